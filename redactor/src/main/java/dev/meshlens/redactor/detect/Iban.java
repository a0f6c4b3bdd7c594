package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;

/** IBAN shape and ISO 13616 mod-97 check, shared by the compact (token) and the spaced IBAN rules. */
final class Iban {
    private Iban() {}

    static boolean isStart(String s, int st) {
        return st >= 0
                && st + 4 <= s.length()
                && isDigit(s.charAt(st + 2))
                && isUpper(s.charAt(st))
                && isUpper(s.charAt(st + 1))
                && isDigit(s.charAt(st + 3));
    }

    /** ISO 13616 mod-97 check over [st, en), ignoring spaces. */
    static boolean valid(String s, int st, int en) {
        int count = 0;
        for (int k = st; k < en; k++) {
            char c = s.charAt(k);
            if (c == ' ') {
                continue;
            }
            if (!isUpper(c) && !isDigit(c)) {
                return false;
            }
            count++;
        }
        if (count < 15 || count > 34) {
            return false;
        }
        int rem = 0;
        // rearranged: chars from position 4 on, then the first four
        int seen = 0;
        for (int pass = 0; pass < 2; pass++) {
            seen = 0;
            for (int k = st; k < en; k++) {
                char c = s.charAt(k);
                if (c == ' ') {
                    continue;
                }
                boolean head = seen < 4;
                seen++;
                if (head != (pass == 1)) {
                    continue;
                }
                if (isDigit(c)) {
                    rem = (rem * 10 + (c - '0')) % 97;
                } else {
                    int v = c - 'A' + 10;
                    rem = (rem * 100 + v) % 97;
                }
            }
        }
        return rem == 1;
    }
}
