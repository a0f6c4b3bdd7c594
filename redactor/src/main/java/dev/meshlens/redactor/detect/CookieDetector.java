package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** Values of cookie pairs after the word cookie ({@code Cookie: a=1; b=2}, {@code set-cookie=a=1}). */
final class CookieDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_EQ;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return s.indexOf("ookie") >= 0 || s.indexOf("OOKIE") >= 0 ? cookies(s, sp) : sp;
    }

    /** "Cookie: a=1; b=2" / "set-cookie=a=1": every pair value after the word cookie until end of line. */
    private static Spans cookies(String s, Spans sp) {
        int len = s.length();
        int from = 0;
        while (from < len) {
            int i = indexOfIgnoreCase(s, "cookie", from);
            if (i < 0) {
                return sp;
            }
            int p = i + 6;
            while (p < len && (s.charAt(p) == ' ' || s.charAt(p) == '"' || s.charAt(p) == '\'')) {
                p++;
            }
            if (p >= len || (s.charAt(p) != ':' && s.charAt(p) != '=')) {
                from = i + 6;
                continue;
            }
            p++;
            int lineEnd = p;
            while (lineEnd < len
                    && s.charAt(lineEnd) != '\n'
                    && s.charAt(lineEnd) != '\r'
                    && s.charAt(lineEnd) != '"') {
                lineEnd++;
            }
            sp = cookiePairs(s, p, lineEnd, sp);
            from = lineEnd;
        }
        return sp;
    }

    /** Marks the values of "name=value; name=value" between [p, end). Bare values are marked whole. */
    static Spans cookiePairs(String s, int p, int end, Spans sp) {
        while (p < end) {
            while (p < end && (s.charAt(p) == ' ' || s.charAt(p) == ';' || s.charAt(p) == ',')) {
                p++;
            }
            int nameStart = p;
            while (p < end && s.charAt(p) != '=' && s.charAt(p) != ';') {
                p++;
            }
            if (p < end && s.charAt(p) == '=') {
                int vs = p + 1;
                int ve = vs;
                while (ve < end && s.charAt(ve) != ';') {
                    ve++;
                }
                if (ve > vs) {
                    sp = add(sp, vs, ve, DetectorKind.COOKIE);
                }
                p = ve;
            } else if (p > nameStart && !isCookieAttribute(s, nameStart, p)) {
                sp = add(sp, nameStart, p, DetectorKind.COOKIE);
            }
        }
        return sp;
    }

    private static boolean isCookieAttribute(String s, int st, int en) {
        String w = s.substring(st, en).trim();
        return w.equalsIgnoreCase("HttpOnly") || w.equalsIgnoreCase("Secure") || w.isEmpty();
    }

    private static int indexOfIgnoreCase(String s, String lowerNeedle, int from) {
        int n = lowerNeedle.length();
        int max = s.length() - n;
        char f = lowerNeedle.charAt(0);
        for (int i = from; i <= max; i++) {
            char c = s.charAt(i);
            if ((c | 0x20) == f && s.regionMatches(true, i, lowerNeedle, 0, n)) {
                return i;
            }
        }
        return -1;
    }
}
