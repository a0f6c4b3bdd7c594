package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

import java.util.Locale;

/** The credential after the {@code Bearer} / {@code Basic} auth schemes, in any case, plain or URL-encoded. */
final class AuthSchemeDetector implements Detector {
    private final boolean bearer;
    private final boolean basic;

    AuthSchemeDetector(boolean bearer, boolean basic) {
        this.bearer = bearer;
        this.basic = basic;
    }

    @Override
    public int requiresAll() {
        return F_LEN10;
    }

    @Override
    public int requiresAny() {
        return F_SPACE | F_PCT | F_PLUS;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return authScheme(s, sp, (features & F_UPPER) != 0);
    }

    private Spans authScheme(String s, Spans sp, boolean hasUpper) {
        if (bearer) {
            sp = scheme(s, sp, "earer", "EARER", 'b', DetectorKind.BEARER, hasUpper);
        }
        if (basic) {
            sp = scheme(s, sp, "asic", "ASIC", 'b', DetectorKind.BASIC, hasUpper);
        }
        return sp;
    }

    /** Finds "[Bb]earer <cred>" (case-insensitive) and marks the credential. */
    private static Spans scheme(
            String s, Spans sp, String tail, String upperTail, char first, DetectorKind k, boolean hasUpper) {
        int len = s.length();
        String lower = null;
        int from = 1;
        int i;
        // search lower-case tail first; fall back to a lower-cased copy only if upper-case appears
        String hay = s;
        while (true) {
            i = hay.indexOf(tail, from);
            if (i < 0) {
                if (lower == null && hasUpper && s.indexOf(upperTail) >= 0) {
                    lower = s.toLowerCase(Locale.ROOT);
                    hay = lower;
                    from = 1;
                    continue;
                }
                return sp;
            }
            from = i + tail.length();
            char f = Character.toLowerCase(hay.charAt(i - 1));
            if (f != first || (i >= 2 && isAlnum(s.charAt(i - 2)))) {
                continue;
            }
            int p = i + tail.length();
            if (p < len && (s.charAt(p) == ':' || s.charAt(p) == '=')) {
                p++;
            }
            int ws = p;
            while (p < len) {
                char c = s.charAt(p);
                if (c == ' ' || c == '\t' || c == '+' || c == '_') {
                    p++;
                } else if (c == '%' && s.startsWith("20", p + 1)) {
                    p += 3; // URL-encoded space
                } else {
                    break;
                }
            }
            if (p == ws && !(p > 0 && (s.charAt(p - 1) == ':' || s.charAt(p - 1) == '='))) {
                continue;
            }
            int st = p;
            while (p < len) {
                char c = s.charAt(p);
                if (isAlnum(c)
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '~'
                        || c == '+'
                        || c == '/'
                        || c == '='
                        || c == '%') {
                    p++;
                } else {
                    break;
                }
            }
            if (p - st >= 4) {
                sp = add(sp, st, p, k);
                from = p;
            }
        }
    }
}
