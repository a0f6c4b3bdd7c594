package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;
import static dev.meshlens.redactor.detect.Features.*;
import static dev.meshlens.redactor.detect.Spans.add;

/** Payment card numbers: 13-19 digits in groups, a known prefix, Luhn check. */
final class CardDetector implements Detector {
    @Override
    public int requiresAll() {
        return F_DIGITS13;
    }

    @Override
    public Spans find(String s, int features, Spans sp) {
        return cards(s, sp);
    }

    private static Spans cards(String s, Spans sp) {
        int len = s.length();
        int i = 0;
        while (i < len) {
            char c = s.charAt(i);
            if (!isDigit(c) || (i > 0 && isAlnum(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int st = i;
            int n = 0;
            int p = i;
            int lastEnd = -1;
            while (p < len) {
                char ch = s.charAt(p);
                if (isDigit(ch)) {
                    n++;
                    p++;
                    lastEnd = p;
                } else if ((ch == ' ' || ch == '-') && p + 1 < len && isDigit(s.charAt(p + 1)) && p > st) {
                    p++;
                } else {
                    break;
                }
            }
            if (n >= 13 && (lastEnd >= len || !isAlnum(s.charAt(lastEnd)))) {
                sp = cardsInRun(s, st, lastEnd, sp);
            }
            i = Math.max(p, st + 1);
            while (i < len && isDigit(s.charAt(i))) {
                i++;
            }
        }
        return sp;
    }

    /**
     * A run of digit groups ("443 4111 1111 1111 1111 2024"): tries every group start and keeps the
     * longest 13-19 digit span ending at a group end that has a card prefix and passes Luhn.
     */
    private static Spans cardsInRun(String s, int st, int end, Spans sp) {
        int gs = st;
        while (gs < end) {
            int digits = 0;
            int best = -1;
            for (int p = gs; p < end; p++) {
                if (!isDigit(s.charAt(p))) {
                    continue;
                }
                if (++digits > 19) {
                    break;
                }
                boolean groupEnd = p + 1 == end || !isDigit(s.charAt(p + 1));
                if (digits >= 13 && groupEnd && cardPrefix(s, gs, digits) && luhn(s, gs, p + 1)) {
                    best = p + 1;
                }
            }
            if (best > 0) {
                if (sp == null || !sp.covers(gs)) {
                    sp = add(sp, gs, best, DetectorKind.CARD);
                }
                gs = best;
            }
            // next group start
            while (gs < end && isDigit(s.charAt(gs))) {
                gs++;
            }
            while (gs < end && !isDigit(s.charAt(gs))) {
                gs++;
            }
        }
        return sp;
    }

    /** The k-th digit (0-based) at or after st, skipping separators. */
    private static int digitAt(String s, int st, int k) {
        for (int p = st; p < s.length(); p++) {
            char c = s.charAt(p);
            if (isDigit(c)) {
                if (k-- == 0) {
                    return c - '0';
                }
            }
        }
        return -1;
    }

    private static boolean cardPrefix(String s, int st, int n) {
        int d0 = digitAt(s, st, 0);
        int d1 = digitAt(s, st, 1);
        int p2 = d0 * 10 + d1;
        return switch (d0) {
            case 4 -> n == 13 || n == 16 || n == 19; // Visa
            case 5 -> p2 >= 51 && p2 <= 55 && n == 16; // Mastercard
            case 2 -> {
                int p4 = p2 * 100 + digitAt(s, st, 2) * 10 + digitAt(s, st, 3);
                yield p4 >= 2221 && p4 <= 2720 && n == 16;
            }
            case 3 ->
                (p2 == 34 || p2 == 37) && n == 15
                        || (p2 == 36 || p2 == 38 || p2 == 30) && n == 14
                        || p2 == 35 && n >= 16; // Amex, Diners, JCB
            case 6 -> n >= 16; // Discover, UnionPay, Maestro
            default -> false;
        };
    }

    /** Luhn check over the digits in [st, en), separators skipped. */
    static boolean luhn(String s, int st, int en) {
        int sum = 0;
        boolean dbl = false;
        for (int k = en - 1; k >= st; k--) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                continue;
            }
            int v = c - '0';
            if (dbl) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
