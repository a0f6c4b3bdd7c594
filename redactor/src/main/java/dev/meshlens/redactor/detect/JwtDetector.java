package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** JSON Web Tokens: {@code eyJ} and three base64url segments. */
final class JwtDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_RUN10 | F_DOT;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return s.indexOf("eyJ") >= 0 ? jwt(s, sp) : sp;
    }

    private static Spans jwt(String s, Spans sp) {
        int from = 0;
        int i;
        int len = s.length();
        while ((i = s.indexOf("eyJ", from)) >= 0) {
            from = i + 3;
            if (i > 0 && isB64Url(s.charAt(i - 1))) {
                continue;
            }
            int p = i;
            int dots = 0;
            int seg = 0;
            int minSeg = Integer.MAX_VALUE;
            while (p < len) {
                char c = s.charAt(p);
                if (isB64Url(c)) {
                    seg++;
                } else if (c == '.' && dots < 2) {
                    minSeg = Math.min(minSeg, seg);
                    seg = 0;
                    dots++;
                } else {
                    break;
                }
                p++;
            }
            if (dots == 2 && minSeg >= 4) {
                // signature may be empty (alg none); trailing '=' padding sometimes appears
                while (p < len && s.charAt(p) == '=') {
                    p++;
                }
                sp = add(sp, i, p, DetectorKind.JWT);
                from = p;
            }
        }
        return sp;
    }
}
