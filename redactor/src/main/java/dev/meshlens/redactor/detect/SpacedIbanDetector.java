package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** IBANs written in groups of four ({@code DE89 3704 ...}); compact ones are tokens ({@link TokenClassifier}). */
final class SpacedIbanDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_UPPER | F_SPACE | F_DIGITS8;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return spacedIban(s, sp);
    }

    private static Spans spacedIban(String s, Spans sp) {
        int len = s.length();
        int from = 4;
        int space;
        // a spaced IBAN starts four characters before a space: "DE89 3704 ..."
        while ((space = s.indexOf(' ', from)) >= 0) {
            from = space + 1;
            int i = space - 4;
            if (!Iban.isStart(s, i) || (i > 0 && isAlnum(s.charAt(i - 1)))) {
                continue;
            }
            if (sp != null && sp.covers(i)) {
                continue;
            }
            int p = i;
            int count = 0;
            int lastGood = -1;
            while (p < len && count < 34) {
                char c = s.charAt(p);
                if (isUpper(c) || isDigit(c)) {
                    count++;
                    p++;
                    if (count >= 15 && (p == len || !isAlnum(s.charAt(p)))) {
                        if (Iban.valid(s, i, p)) {
                            lastGood = p;
                        }
                    }
                } else if (c == ' ' && p + 1 < len && isAlnum(s.charAt(p + 1)) && p > i) {
                    p++;
                } else {
                    break;
                }
            }
            if (lastGood > 0) {
                sp = add(sp, i, lastGood, DetectorKind.IBAN);
                from = lastGood;
            }
        }
        return sp;
    }
}
