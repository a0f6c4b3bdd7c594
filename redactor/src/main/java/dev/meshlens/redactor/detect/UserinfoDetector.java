package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** User-info in URLs ({@code scheme://user:pass@host}). */
final class UserinfoDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_COLON | F_SLASH | F_AT;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return s.indexOf("://") >= 0 ? userinfo(s, sp) : sp;
    }

    private static Spans userinfo(String s, Spans sp) {
        int from = 0;
        int i;
        int len = s.length();
        while ((i = s.indexOf("://", from)) >= 0) {
            int st = i + 3;
            int p = st;
            int at = -1;
            while (p < len) {
                char c = s.charAt(p);
                if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'') {
                    break;
                }
                if (c == '@') {
                    at = p;
                }
                p++;
            }
            if (at > st) {
                sp = add(sp, st, at, DetectorKind.USERINFO);
            }
            from = Math.max(p, i + 3);
        }
        return sp;
    }
}
