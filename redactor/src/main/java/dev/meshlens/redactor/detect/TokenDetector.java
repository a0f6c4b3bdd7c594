package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;

/** Token-shaped runs of 15+ characters, each judged by the {@link TokenClassifier}; path-like runs per segment. */
final class TokenDetector implements Detector {
    private final TokenClassifier classifier;

    TokenDetector(TokenClassifier classifier) {
        this.classifier = classifier;
    }

    @Override
    public int requiresAll() {
        return F_RUN15;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return tokens(s, sp);
    }

    /** Token-shaped secrets: runs of [A-Za-z0-9+/=_-] of 15+ characters. */
    private Spans tokens(String s, Spans sp) {
        int len = s.length();
        int i = 0;
        while (i < len) {
            char c = s.charAt(i);
            if (!isTokenChar(c)) {
                i++;
                continue;
            }
            int st = i;
            while (i < len && isTokenChar(s.charAt(i))) {
                i++;
            }
            int en = i;
            if (en - st < 15) {
                continue;
            }
            if (sp != null && sp.covers(st)) {
                continue;
            }
            if (s.charAt(st) == '/' || hasDoubleSlash(s, st, en)) {
                // path-like: judge each segment on its own
                int p = st;
                while (p < en) {
                    while (p < en && s.charAt(p) == '/') {
                        p++;
                    }
                    int ss = p;
                    while (p < en && s.charAt(p) != '/') {
                        p++;
                    }
                    if (p - ss >= 15) {
                        sp = classifier.classify(s, ss, p, sp);
                    }
                }
            } else {
                sp = classifier.classify(s, st, en, sp);
            }
        }
        return sp;
    }

    private static boolean hasDoubleSlash(String s, int st, int en) {
        for (int k = st + 1; k < en; k++) {
            if (s.charAt(k) == '/' && s.charAt(k - 1) == '/') {
                return true;
            }
        }
        return false;
    }
}
