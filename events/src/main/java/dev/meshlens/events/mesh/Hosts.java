package dev.meshlens.events.mesh;

import java.util.Locale;

/** Host-name reduction every profile shares: what is left of a name once scheme, user info and path are gone. */
public final class Hosts {
    private Hosts() {}

    /** Strips scheme, user info and path; null for null, blank or {@code -}. */
    public static String bare(String name) {
        if (name == null) {
            return null;
        }
        String h = name.trim();
        if (h.isEmpty() || "-".equals(h)) {
            return null;
        }
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int at = h.lastIndexOf('@');
        if (at >= 0) {
            h = h.substring(at + 1);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        return h.isEmpty() ? null : h;
    }

    /** Without a trailing {@code :port}; null for an IPv6 literal (it names no service). */
    public static String withoutPort(String h) {
        if (h == null || h.startsWith("[")) {
            return null;
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    /**
     * The service a plain DNS name spells: its first label, lower case; null for an address or an empty name.
     * {@code backend.default.svc.cluster.local}, {@code backend:8080} and {@code backend.service.consul} all
     * give {@code backend}.
     */
    public static String firstLabel(String host) {
        String h = withoutPort(host);
        if (h == null || h.isEmpty() || isIpv4(h)) {
            return null;
        }
        int dot = h.indexOf('.');
        String first = dot >= 0 ? h.substring(0, dot) : h;
        return first.isEmpty() ? null : first.toLowerCase(Locale.ROOT);
    }

    static boolean isIpv4(String h) {
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
