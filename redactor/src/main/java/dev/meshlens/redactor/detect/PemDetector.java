package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** PEM private key blocks ({@code -----BEGIN ... PRIVATE KEY-----} to the matching END line). */
final class PemDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_DASH;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return s.indexOf("-----BEGIN") >= 0 ? pem(s, sp) : sp;
    }

    private static Spans pem(String s, Spans sp) {
        int from = 0;
        int b;
        while ((b = s.indexOf("-----BEGIN", from)) >= 0) {
            int hdrEnd = s.indexOf("-----", b + 10);
            if (hdrEnd < 0) {
                break;
            }
            String hdr = s.substring(b, hdrEnd);
            if (!hdr.contains("PRIVATE KEY")) {
                from = hdrEnd + 5;
                continue;
            }
            int end = s.indexOf("-----END", hdrEnd + 5);
            int stop;
            if (end < 0) {
                stop = s.length();
            } else {
                int close = s.indexOf("-----", end + 8);
                stop = close < 0 ? s.length() : close + 5;
            }
            sp = add(sp, b, stop, DetectorKind.PRIVATE_KEY);
            from = stop;
        }
        return sp;
    }
}
