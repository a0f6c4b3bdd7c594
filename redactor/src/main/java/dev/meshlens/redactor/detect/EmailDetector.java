package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** E-mail addresses, plain or with a URL-encoded {@code @} ({@code %40}). */
final class EmailDetector implements Detector {
    @Override
    public int requiresAll() {
        return 0;
    }

    @Override
    public int requiresAny() {
        return F_AT | F_PCT;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return (features & F_AT) != 0 || s.indexOf("%40") >= 0 ? emails(s, sp) : sp;
    }

    private static boolean isLocalPart(char c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static Spans emails(String s, Spans sp) {
        sp = emails(s, sp, "@");
        if (s.indexOf("%40") >= 0) {
            sp = emails(s, sp, "%40"); // URL-encoded
        }
        return sp;
    }

    private static Spans emails(String s, Spans sp, String sep) {
        int from = 0;
        int at;
        int len = s.length();
        int w = sep.length();
        while ((at = s.indexOf(sep, from)) >= 0) {
            from = at + w;
            if (sp != null && (sp.covers(at) || (at > 0 && sp.covers(at - 1)))) {
                continue; // user-info of a URL, already marked
            }
            int l = at;
            while (l > 0 && isLocalPart(s.charAt(l - 1))) {
                l--;
            }
            int r = at + w;
            int lastDot = -1;
            while (r < len) {
                char c = s.charAt(r);
                if (isAlnum(c) || c == '-') {
                    r++;
                } else if (c == '.' && r + 1 < len && isAlnum(s.charAt(r + 1))) {
                    lastDot = r;
                    r++;
                } else {
                    break;
                }
            }
            if (l < at && lastDot > at + w) {
                int tld = 0;
                for (int k = lastDot + 1; k < r; k++) {
                    char c = s.charAt(k);
                    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                        tld++;
                    } else {
                        tld = -1;
                        break;
                    }
                }
                if (tld >= 2) {
                    sp = add(sp, l, r, DetectorKind.EMAIL);
                    from = r;
                }
            }
        }
        return sp;
    }
}
