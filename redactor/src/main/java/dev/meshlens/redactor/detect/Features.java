package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;

/**
 * Feature bits of the pre-pass ({@link Detectors}): one table lookup per character, plus a few bits
 * derived from the counts once the pass is done, so that a detector's gate is a mask test.
 */
final class Features {
    private Features() {}

    static final int F_AT = 1;
    static final int F_SLASH = 1 << 1;
    static final int F_EQ = 1 << 2;
    static final int F_QMARK = 1 << 3;
    static final int F_SPACE = 1 << 4;
    static final int F_DASH = 1 << 5;
    static final int F_UPPER = 1 << 6;
    static final int F_DOT = 1 << 7;
    static final int F_COLON = 1 << 8;
    static final int F_PCT = 1 << 9;
    static final int F_PLUS = 1 << 10;
    static final int F_TOKEN = 1 << 11;
    /** Digits set bit 12 and nothing above it, so {@code (f >>> 12) & 1} counts them. */
    static final int F_DIGIT_SHIFT = 12;

    static final int F_DIGIT = 1 << F_DIGIT_SHIFT;
    static final int[] FEAT = new int[128];

    static {
        for (int c = 0; c < 128; c++) {
            int f = 0;
            byte cl = CLS[c];
            if (cl != 0) {
                f |= F_TOKEN;
            }
            if (cl == UPPER) {
                f |= F_UPPER;
            } else if (cl == DIGIT) {
                f |= F_DIGIT;
            }
            switch (c) {
                case '@' -> f |= F_AT;
                case '/' -> f |= F_SLASH;
                case '=' -> f |= F_EQ;
                case '?' -> f |= F_QMARK;
                case ' ', '\t', '\n', '\r' -> f |= F_SPACE;
                case '-' -> f |= F_DASH;
                case '.' -> f |= F_DOT;
                case ':' -> f |= F_COLON;
                case '%' -> f |= F_PCT;
                case '+' -> f |= F_PLUS;
                default -> {}
            }
            FEAT[c] = f;
        }
    }

    // derived bits, set after the pass (never in FEAT: they sit above the digit bit)
    /** The string is at least 10 characters long. */
    static final int F_LEN10 = 1 << 13;
    /** A run of token characters ({@code [A-Za-z0-9+/=_-]}) of at least 10. */
    static final int F_RUN10 = 1 << 14;
    /** A run of token characters of at least 15. */
    static final int F_RUN15 = 1 << 15;
    /** At least 8 digits. */
    static final int F_DIGITS8 = 1 << 16;
    /** At least 13 digits (the shortest card). */
    static final int F_DIGITS13 = 1 << 17;
}
