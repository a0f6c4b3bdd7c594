package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** Values of query-string parameters ({@code ?a=VALUE&b=VALUE}). */
final class QueryDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_QMARK | F_EQ;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return queryValues(s, sp);
    }

    private static Spans queryValues(String s, Spans sp) {
        int len = s.length();
        int q;
        int from = 0;
        while ((q = s.indexOf('?', from)) >= 0) {
            int p = q + 1;
            from = p;
            if (p >= len) {
                break;
            }
            int end = p;
            while (end < len) {
                char c = s.charAt(end);
                if (c == ' ' || c == '#' || c == '"' || c == '\'' || c == '\n' || c == '\t' || c == '\r' || c == '>') {
                    break;
                }
                end++;
            }
            while (p < end) {
                int amp = p;
                while (amp < end && s.charAt(amp) != '&' && s.charAt(amp) != ';') {
                    amp++;
                }
                int eq = s.indexOf('=', p);
                if (eq >= 0 && eq < amp && amp > eq + 1) {
                    sp = add(sp, eq + 1, amp, DetectorKind.QUERY);
                }
                p = amp + 1;
            }
            from = end;
        }
        return sp;
    }
}
