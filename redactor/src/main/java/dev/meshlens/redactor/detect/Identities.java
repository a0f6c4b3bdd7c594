package dev.meshlens.redactor.detect;

import java.util.Arrays;

/**
 * Finds mesh identities in text by their grammar, so that the generic token rule (length and
 * entropy) never judges them: identities are structure, not secrets, and the correlator needs
 * them whole. A Consul service {@code .../dc/central1/svc/shipping} has just enough digits and
 * entropy to look like a token to that rule, which then cut the SPIFFE ID in half.
 *
 * <p>Recognised, wherever they stand (their own field or inside free text such as response
 * details, TLS error text or an Envoy debug line):
 *
 * <ul>
 *   <li>SPIFFE IDs: {@code spiffe://<trust-domain>[/<segment>...]} as the SPIFFE spec spells them
 *       (trust domain {@code [a-z0-9._-]}, path segments {@code [A-Za-z0-9._-]}): Istio, Consul
 *       services, agents and mesh gateways, SPIRE and any other template alike;
 *   <li>Istio cluster names {@code outbound|<port>|<subset>|<host>} and {@code inbound|...};
 *   <li>Istio SNI {@code outbound_.<port>_.<subset>_.<host>};
 *   <li>mesh host names (SNI, authority, Consul cluster names) with an optional port: lower-case
 *       DNS names with a {@code svc} label ({@code name.ns.svc}, {@code name.ns.svc.cluster.local})
 *       or ending in {@code .consul} ({@code backend.default.dc1.internal.<uuid>.consul}, peered
 *       {@code ...external...}, {@code <uuid>.consul}).
 * </ul>
 *
 * <p>Only the generic rule is suspended inside these spans. Detectors that recognise a secret by
 * its own shape or context (a JWT, an {@code AKIA} key, a card number that passes Luhn,
 * user-info, {@code name=value}) still run there: such a value is not an identity, whatever
 * surrounds it. Stateless.
 */
final class Identities {
    private Identities() {}

    private static final String SPIFFE = "spiffe://";

    /**
     * The identity spans of {@code s}: sorted, non-overlapping {@code [start, end)} pairs, or null
     * when there is none.
     */
    static int[] find(String s) {
        int[] r = null;
        int n = 0;
        int from = 0;
        int i;
        while ((i = s.indexOf(SPIFFE, from)) >= 0) {
            int e = spiffeEnd(s, i);
            if (e > 0) {
                r = push(r, n, i, e);
                n += 2;
            }
            from = Math.max(e, i + SPIFFE.length());
        }
        from = 0;
        while ((i = s.indexOf("bound|", from)) >= 0) {
            from = i + 6;
            int st = s.startsWith("out", i - 3) ? i - 3 : s.startsWith("in", i - 2) ? i - 2 : -1;
            int e = st < 0 ? -1 : istioClusterEnd(s, i + 6);
            if (e > 0) {
                r = push(r, n, st, e);
                n += 2;
                from = e;
            }
        }
        from = 0;
        while ((i = s.indexOf("outbound_.", from)) >= 0) {
            from = i + 10;
            int e = istioSniEnd(s, i + 10);
            if (e > 0) {
                r = push(r, n, i, e);
                n += 2;
                from = e;
            }
        }
        for (String anchor : MESH_LABELS) {
            from = 0;
            while ((i = s.indexOf(anchor, from)) >= 0) {
                int after = i + anchor.length();
                from = after;
                if (after < s.length() && isLabelChar(s.charAt(after))) {
                    continue; // ".svcx", ".consulate": another label
                }
                int st = i;
                while (st > 0 && isHostChar(s.charAt(st - 1))) {
                    st--;
                }
                while (st < i && !isAlnumLower(s.charAt(st))) {
                    st++; // a name starts with a letter or digit
                }
                if (st == i || (st > 0 && isUpper(s.charAt(st - 1)))) {
                    continue; // ".svc" with no name in front, or the tail of a mixed-case word: not a mesh name
                }
                int e = hostEnd(s, after);
                r = push(r, n, st, e);
                n += 2;
                from = e;
            }
        }
        return r == null ? null : merge(r, n);
    }

    /** Labels that make a lower-case DNS name a mesh name: Kubernetes services and Consul. */
    private static final String[] MESH_LABELS = {".svc", ".consul"};

    /** End of the SPIFFE ID starting at {@code i}, or -1 when the trust domain is empty. */
    static int spiffeEnd(String s, int i) {
        int len = s.length();
        int p = i + SPIFFE.length();
        int td = p;
        while (p < len && isTrustDomainChar(s.charAt(p))) {
            p++;
        }
        if (p == td) {
            return -1;
        }
        while (p + 1 < len && s.charAt(p) == '/' && isSegmentChar(s.charAt(p + 1))) {
            p += 2;
            while (p < len && isSegmentChar(s.charAt(p))) {
                p++;
            }
        }
        return p;
    }

    /** End of {@code <port>|<subset>|<host>} starting at {@code p}, or -1. */
    private static int istioClusterEnd(String s, int p) {
        int len = s.length();
        int d = p;
        while (p < len && isDigit(s.charAt(p))) {
            p++;
        }
        if (p == d || p >= len || s.charAt(p) != '|') {
            return -1;
        }
        p++;
        while (p < len && isSegmentChar(s.charAt(p))) {
            p++; // subset name, often empty
        }
        if (p >= len || s.charAt(p) != '|') {
            return -1;
        }
        return hostEnd(s, p + 1);
    }

    /** End of {@code <port>_.<subset>_.<host>} starting at {@code p}, or -1. */
    private static int istioSniEnd(String s, int p) {
        int len = s.length();
        int d = p;
        while (p < len && isDigit(s.charAt(p))) {
            p++;
        }
        if (p == d || !s.startsWith("_.", p)) {
            return -1;
        }
        p += 2;
        while (p < len && (isLabelChar(s.charAt(p)) || s.charAt(p) == '.') && !s.startsWith("_.", p)) {
            p++; // subset name, often empty
        }
        if (!s.startsWith("_.", p)) {
            return -1;
        }
        int h = p + 2;
        int e = hostEnd(s, h);
        return e > h ? e : -1;
    }

    /** End of a lower-case DNS name (possibly empty) and an optional {@code :port}, from {@code p}. */
    private static int hostEnd(String s, int p) {
        int len = s.length();
        while (p < len && isHostChar(s.charAt(p))) {
            p++;
        }
        while (p > 0 && s.charAt(p - 1) == '.') {
            p--; // the full stop of a sentence
        }
        if (p + 1 < len && s.charAt(p) == ':' && isDigit(s.charAt(p + 1))) {
            p++;
            while (p < len && isDigit(s.charAt(p))) {
                p++;
            }
        }
        return p;
    }

    private static int[] push(int[] r, int n, int st, int en) {
        if (r == null) {
            r = new int[8];
        } else if (n + 2 > r.length) {
            r = Arrays.copyOf(r, r.length * 2);
        }
        r[n] = st;
        r[n + 1] = en;
        return r;
    }

    /** Sorts the pairs by start and merges overlapping or touching ones. */
    private static int[] merge(int[] r, int n) {
        int pairs = n / 2;
        long[] packed = new long[pairs];
        for (int k = 0; k < pairs; k++) {
            packed[k] = ((long) r[2 * k] << 32) | r[2 * k + 1];
        }
        Arrays.sort(packed);
        int[] out = new int[n];
        int m = 0;
        for (long pk : packed) {
            int st = (int) (pk >>> 32);
            int en = (int) pk;
            if (m > 0 && st <= out[m - 1]) {
                out[m - 1] = Math.max(out[m - 1], en);
            } else {
                out[m++] = st;
                out[m++] = en;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** An upper-case letter: mesh names are lower case, so a name cannot start right after one. */
    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnumLower(char c) {
        return (c >= 'a' && c <= 'z') || isDigit(c);
    }

    /** A DNS label character (lower case: mesh names are Kubernetes / Consul names). */
    private static boolean isLabelChar(char c) {
        return isAlnumLower(c) || c == '-';
    }

    private static boolean isHostChar(char c) {
        return isLabelChar(c) || c == '.';
    }

    private static boolean isTrustDomainChar(char c) {
        return isHostChar(c) || c == '_';
    }

    private static boolean isSegmentChar(char c) {
        return (c >= 'A' && c <= 'Z') || isTrustDomainChar(c);
    }
}
