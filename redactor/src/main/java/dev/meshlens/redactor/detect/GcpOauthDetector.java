package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** Google OAuth access tokens ({@code ya29.}). */
final class GcpOauthDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_DOT;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return s.indexOf("ya29.") >= 0 ? gcpOauth(s, sp) : sp;
    }

    private static Spans gcpOauth(String s, Spans sp) {
        int from = 0;
        int i;
        int len = s.length();
        while ((i = s.indexOf("ya29.", from)) >= 0) {
            int p = i + 5;
            while (p < len && (isB64Url(s.charAt(p)) || s.charAt(p) == '.')) {
                p++;
            }
            if (p - i >= 20) {
                sp = add(sp, i, p, DetectorKind.GCP_KEY);
            }
            from = p;
        }
        return sp;
    }
}
