package dev.meshlens.collector.format;

/** Minimal allocation-free JSON scanning helpers over a String. */
final class Json {
    static final int TRUNCATED = -2;
    static final int INVALID = -1;

    private Json() {}

    static int skipWs(String s, int i, int len) {
        while (i < len) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /** {@code i} is just after the opening quote; returns the index of the closing quote, or TRUNCATED. */
    static int stringEnd(String s, int i, int len) {
        int q = s.indexOf('"', i);
        while (q >= 0 && q < len) {
            int b = q - 1;
            int n = 0;
            while (b >= i && s.charAt(b) == '\\') {
                n++;
                b--;
            }
            if ((n & 1) == 0) {
                return q;
            }
            q = s.indexOf('"', q + 1);
        }
        return TRUNCATED;
    }

    /** Whether [from, to) holds a backslash (so it needs unescaping). */
    static boolean hasEscape(String s, int from, int to) {
        int idx = s.indexOf('\\', from);
        return idx >= 0 && idx < to;
    }

    /** Skips any value starting at {@code i}; returns the index after it, TRUNCATED or INVALID. */
    static int skipValue(String s, int i, int len) {
        if (i >= len) {
            return TRUNCATED;
        }
        char c = s.charAt(i);
        if (c == '"') {
            int e = stringEnd(s, i + 1, len);
            return e < 0 ? e : e + 1;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < len) {
                char d = s.charAt(i);
                if (d == '"') {
                    int e = stringEnd(s, i + 1, len);
                    if (e < 0) {
                        return e;
                    }
                    i = e + 1;
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            return TRUNCATED;
        }
        int start = i;
        while (i < len) {
            char d = s.charAt(i);
            if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\t' || d == '\r' || d == '\n') {
                break;
            }
            i++;
        }
        if (i == start) {
            return INVALID;
        }
        return i >= len ? TRUNCATED : i;
    }

    static String unescape(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (i + 4 < to) {
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                            i += 4;
                        } catch (RuntimeException e) {
                            sb.append("\\u");
                        }
                    } else {
                        sb.append("\\u");
                    }
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    /**
     * Extracts a top-level string member from a JSON object line (used to unwrap Docker's
     * {@code {"log":…}}); null when absent or not a string.
     */
    static String stringMember(String s, String key) {
        int len = s.length();
        int i = skipWs(s, 0, len);
        if (i >= len || s.charAt(i) != '{') {
            return null;
        }
        i++;
        while (true) {
            i = skipWs(s, i, len);
            if (i >= len || s.charAt(i) != '"') {
                return null;
            }
            int ke = stringEnd(s, i + 1, len);
            if (ke < 0) {
                return null;
            }
            boolean match = ke - i - 1 == key.length() && s.startsWith(key, i + 1);
            i = skipWs(s, ke + 1, len);
            if (i >= len || s.charAt(i) != ':') {
                return null;
            }
            i = skipWs(s, i + 1, len);
            if (match) {
                if (i >= len || s.charAt(i) != '"') {
                    return null;
                }
                int ve = stringEnd(s, i + 1, len);
                if (ve < 0) {
                    return null;
                }
                return hasEscape(s, i + 1, ve) ? unescape(s, i + 1, ve) : s.substring(i + 1, ve);
            }
            int after = skipValue(s, i, len);
            if (after < 0) {
                return null;
            }
            i = skipWs(s, after, len);
            if (i >= len || s.charAt(i) != ',') {
                return null;
            }
            i++;
        }
    }
}
