package dev.meshlens.query.trust;

import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Distinguished-name comparison. The collector, Envoy and Consul spell the same DN differently
 * ({@code CN=a,O=b} vs {@code CN=a, O=b}, attribute-name case), so names are compared in the
 * canonical RFC 2253 form; a string that is not a parseable DN is compared as it is.
 */
final class DistinguishedNames {
    private DistinguishedNames() {}

    static String canonical(String dn) {
        if (dn == null || dn.isBlank()) {
            return null;
        }
        try {
            return new X500Principal(dn).getName(X500Principal.CANONICAL);
        } catch (IllegalArgumentException e) {
            return dn.trim().toLowerCase(Locale.ROOT);
        }
    }

    static boolean equal(String a, String b) {
        String ca = canonical(a);
        return ca != null && ca.equals(canonical(b));
    }

    /** Key identifiers and fingerprints arrive as hex in either case, sometimes with colons. */
    static String hex(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        return s.replace(":", "").trim().toLowerCase(Locale.ROOT);
    }

    static boolean sameHex(String a, String b) {
        String ha = hex(a);
        return ha != null && ha.equals(hex(b));
    }
}
