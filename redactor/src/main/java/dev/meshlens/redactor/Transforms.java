package dev.meshlens.redactor;

/** The value transformations behind mask and generalise. Pure functions. */
final class Transforms {
    private Transforms() {}

    /** Letters and digits become '*', everything else stays (shape without content). */
    static String mask(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (Character.isLetterOrDigit(c[i])) {
                c[i] = '*';
            }
        }
        return new String(c);
    }

    /** The host part of an address without its port: "10.1.2.3:80" -> "10.1.2.3", "[::1]:80" -> "::1". */
    static String hostOf(String a) {
        a = a.trim();
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close > 0 ? a.substring(1, close) : a;
        }
        int colon = a.indexOf(':');
        if (colon > 0 && a.indexOf(':', colon + 1) < 0) {
            return a.substring(0, colon); // host:port (IPv4 or name)
        }
        return a;
    }

    /**
     * Each address in a comma-separated list to its network: IPv4 to /v4, IPv6 to /v6, ports
     * dropped. A host name is returned without its port (detectors still run over it); anything else
     * (user-info, paths, free text from a client-controlled header) becomes {@code {address}}.
     */
    static String generaliseIp(String value, int v4, int v6) {
        if (value.indexOf(',') < 0) {
            return generaliseOne(value, v4, v6);
        }
        StringBuilder sb = new StringBuilder();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(generaliseOne(part, v4, v6));
        }
        return sb.toString();
    }

    private static String generaliseOne(String a, int v4, int v6) {
        String fast = fastV4(a, v4);
        if (fast != null) {
            return fast;
        }
        String again = network(a.strip(), v4, v6);
        if (again != null) {
            return again;
        }
        String h = hostOf(a);
        int[] q = parseV4(h);
        if (q != null) {
            int ip = (q[0] << 24) | (q[1] << 16) | (q[2] << 8) | q[3];
            int mask = v4 == 0 ? 0 : -1 << (32 - v4);
            int net = ip & mask;
            return ((net >>> 24) & 255) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "." + (net & 255)
                    + "/" + v4;
        }
        int[] g = parseV6(h);
        if (g != null) {
            // embedded IPv4 (::ffff:a.b.c.d) generalises as IPv4
            if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
                return generaliseOne(
                        ((g[6] >> 8) & 255) + "." + (g[6] & 255) + "." + ((g[7] >> 8) & 255) + "." + (g[7] & 255),
                        v4,
                        v6);
            }
            int bits = v6;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                int keep = Math.max(0, Math.min(16, bits - i * 16));
                int m = keep == 0 ? 0 : (0xffff << (16 - keep)) & 0xffff;
                g[i] &= m;
            }
            // compress the trailing zero groups
            int last = 7;
            while (last >= 0 && g[last] == 0) {
                last--;
            }
            for (int i = 0; i <= last; i++) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(g[i]));
            }
            sb.append(last < 7 ? "::" : "").append('/').append(v6);
            return sb.toString();
        }
        return plainHost(h) ? h : "{address}";
    }

    /**
     * A network this rule produced before ({@code 10.244.1.0/24}, {@code 2001:db8:1:2::/64}) stays a
     * network, at the coarser of its own prefix and the rule's, so generalising is idempotent: events
     * that already passed a policy ({@code explain --json} prints them so) can be redacted again.
     * Null when {@code t} is not a network.
     */
    private static String network(String t, int v4, int v6) {
        int slash = t.indexOf('/');
        int digits = t.length() - slash - 1;
        if (slash <= 0 || digits < 1 || digits > 3) {
            return null;
        }
        int len = 0;
        for (int i = slash + 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            len = len * 10 + (c - '0');
        }
        String addr = t.substring(0, slash);
        if (len <= 32 && parseV4(addr) != null) {
            return generaliseOne(addr, Math.min(len, v4), v6);
        }
        if (len <= 128 && addr.indexOf(':') >= 0 && parseV6(addr) != null) {
            return generaliseOne(addr, v4, Math.min(len, v6));
        }
        return null;
    }

    /** A DNS name (letters, digits, '.', '-', '_'); anything else in an address field is not published. */
    private static boolean plainHost(String h) {
        if (h.isEmpty() || h.length() > 253) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** "a.b.c.d" or "a.b.c.d:port" straight to "net/prefix" without intermediate strings; null otherwise. */
    private static String fastV4(String a, int prefix) {
        int len = a.length();
        int ip = 0;
        int part = 0;
        int v = -1;
        int i = 0;
        for (; i < len; i++) {
            char c = a.charAt(i);
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (v > 255) {
                    return null;
                }
            } else if (c == '.' && v >= 0 && part < 3) {
                ip = (ip << 8) | v;
                part++;
                v = -1;
            } else if (c == ':' && part == 3 && v >= 0) {
                break;
            } else {
                return null;
            }
        }
        if (part != 3 || v < 0) {
            return null;
        }
        for (int k = i + 1; k < len; k++) {
            char c = a.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        ip = (ip << 8) | v;
        int net = ip & (prefix == 0 ? 0 : -1 << (32 - prefix));
        int slot = (net * 0x9E3779B1 + prefix) >>> (32 - 10);
        Net cached = NETS[slot];
        if (cached != null && cached.net == net && cached.prefix == prefix) {
            return cached.text; // networks repeat: no allocation
        }
        StringBuilder sb = new StringBuilder(18);
        sb.append((net >>> 24) & 255)
                .append('.')
                .append((net >>> 16) & 255)
                .append('.')
                .append((net >>> 8) & 255)
                .append('.')
                .append(net & 255)
                .append('/')
                .append(prefix);
        String text = sb.toString();
        NETS[slot] = new Net(net, prefix, text);
        return text;
    }

    /** A generalised IPv4 network and its text. */
    private record Net(int net, int prefix, String text) {}

    /** Direct-mapped cache of network texts (racy by design: slots hold immutable records). */
    private static final Net[] NETS = new Net[1024];

    static int[] parseV4(String h) {
        int[] q = new int[4];
        int part = 0;
        int v = -1;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (v > 255) {
                    return null;
                }
            } else if (c == '.' && v >= 0 && part < 3) {
                q[part++] = v;
                v = -1;
            } else {
                return null;
            }
        }
        if (part != 3 || v < 0) {
            return null;
        }
        q[3] = v;
        return q;
    }

    static int[] parseV6(String h) {
        int pct = h.indexOf('%');
        if (pct >= 0) {
            h = h.substring(0, pct); // zone id
        }
        if (h.indexOf(':') < 0) {
            return null;
        }
        int dbl = h.indexOf("::");
        if (dbl >= 0 && h.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? h.substring(0, dbl) : h;
        String tail = dbl >= 0 ? h.substring(dbl + 2) : "";
        int[] a = groups(head);
        int[] b = groups(tail);
        if (a == null || b == null) {
            return null;
        }
        if (dbl < 0 ? a.length != 8 : a.length + b.length > 7) {
            return null;
        }
        int[] g = new int[8];
        System.arraycopy(a, 0, g, 0, a.length);
        System.arraycopy(b, 0, g, 8 - b.length, b.length);
        return g;
    }

    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int extra = 0;
        String lastPart = parts[parts.length - 1];
        int[] v4 = lastPart.indexOf('.') >= 0 ? parseV4(lastPart) : null;
        if (lastPart.indexOf('.') >= 0 && v4 == null) {
            return null;
        }
        if (v4 != null) {
            extra = 1;
        }
        int[] g = new int[parts.length + extra];
        int n = v4 != null ? parts.length - 1 : parts.length;
        for (int i = 0; i < n; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            try {
                g[i] = Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (v4 != null) {
            g[n] = (v4[0] << 8) | v4[1];
            g[n + 1] = (v4[2] << 8) | v4[3];
        }
        return g;
    }

    /** Path to template plus query parameter names: /api/users/42/orders/9?x=1&y=2 -> /api/users/{id}/orders/{id}?x&y. */
    static String pathTemplate(String value) {
        int q = value.indexOf('?');
        String path = q < 0 ? value : value.substring(0, q);
        int h = path.indexOf('#');
        if (h >= 0) {
            path = path.substring(0, h);
        }
        StringBuilder sb = new StringBuilder(value.length());
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '/') {
                sb.append('/');
                i++;
                continue;
            }
            int e = path.indexOf('/', i);
            if (e < 0) {
                e = n;
            }
            sb.append(segment(path, i, e));
            i = e;
        }
        if (q >= 0) {
            sb.append(queryNames(value.substring(q)));
        }
        return sb.toString();
    }

    /** Keeps the path, reduces the query string to its parameter names. */
    static String queryOnly(String value) {
        int q = value.indexOf('?');
        return q < 0 ? value : value.substring(0, q) + queryNames(value.substring(q));
    }

    /** "?a=1&b=2&a=3" -> "?a&b&a"; names that are not plain words become {param}. */
    static String queryNames(String q) {
        StringBuilder sb = new StringBuilder("?");
        int i = 1;
        int h = q.indexOf('#');
        int n = h < 0 ? q.length() : h;
        boolean first = true;
        while (i < n) {
            int amp = i;
            while (amp < n && q.charAt(amp) != '&' && q.charAt(amp) != ';') {
                amp++;
            }
            int eq = i;
            while (eq < amp && q.charAt(eq) != '=') {
                eq++;
            }
            if (eq > i) {
                if (!first) {
                    sb.append('&');
                }
                first = false;
                sb.append(plainName(q, i, eq) ? q.substring(i, eq) : "{param}");
            }
            i = amp + 1;
        }
        return sb.length() == 1 ? "" : sb.toString();
    }

    private static boolean plainName(String s, int st, int en) {
        if (en - st > 40) {
            return false;
        }
        for (int k = st; k < en; k++) {
            char c = s.charAt(k);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.'
                    || c == '['
                    || c == ']')) {
                return false;
            }
        }
        return true;
    }

    /** One path segment: kept when it looks like a word, else a typed placeholder. */
    static String segment(String p, int st, int en) {
        int n = en - st;
        if (n == 0) {
            return "";
        }
        int digits = 0, letters = 0, hex = 0, other = 0, upper = 0;
        boolean at = false, pct = false;
        for (int k = st; k < en; k++) {
            char c = p.charAt(k);
            if (c >= '0' && c <= '9') {
                digits++;
                hex++;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                letters++;
                hex++;
                if (c <= 'F') {
                    upper++;
                }
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                letters++;
                if (c <= 'Z') {
                    upper++;
                }
            } else if (c == '@') {
                at = true;
            } else if (c == '%') {
                pct = true;
            } else if (c != '-' && c != '_' && c != '.' && c != '~') {
                other++;
            }
        }
        if (at) {
            return "{email}";
        }
        if (digits == n) {
            return "{id}";
        }
        if (n == 36
                && p.charAt(st + 8) == '-'
                && p.charAt(st + 13) == '-'
                && p.charAt(st + 18) == '-'
                && p.charAt(st + 23) == '-'
                && hex == 32) {
            return "{uuid}";
        }
        if (hex == n && n >= 16) {
            return "{hash}";
        }
        if (pct || other > 0) {
            return "{value}";
        }
        if (digits > 0 && n >= 8) {
            return "{id}"; // mixed ids like usr_8f3k2j9d, a1b2c3d4e5
        }
        if (n > 32) {
            return "{value}";
        }
        if (digits > 0 && letters > 0 && n >= 4 && digits * 2 >= n) {
            return "{id}";
        }
        if (upper > 0 && letters - upper > 0 && n >= 16 && Character.isUpperCase(p.charAt(st + n - 1))) {
            return "{value}";
        }
        return p.substring(st, en);
    }

    /** Authority without user-info: "user:pw@host:443" -> "host:443". Returns the input when it has none. */
    static String stripUserInfo(String authority) {
        if (authority.indexOf('@') < 0) { // indexOf is vectorised, lastIndexOf is not
            return authority;
        }
        return authority.substring(authority.lastIndexOf('@') + 1);
    }
}
