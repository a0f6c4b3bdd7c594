package dev.meshlens.redactor.detect;

/** Character classes shared by the scanners: one table lookup per character, ASCII only. */
final class Chars {
    private Chars() {}

    static final byte UPPER = 1;
    static final byte LOWER = 2;
    static final byte DIGIT = 4;
    static final byte TOKEN_PUNCT = 8; // + / = _ -
    static final byte[] CLS = new byte[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            CLS[c] = UPPER;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLS[c] = LOWER;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLS[c] = DIGIT;
        }
        for (char c : "+/=_-".toCharArray()) {
            CLS[c] = TOKEN_PUNCT;
        }
    }

    static boolean isB64Url(char c) {
        return c < 128 && (CLS[c] & (UPPER | LOWER | DIGIT)) != 0 || c == '-' || c == '_';
    }

    static boolean isAlnum(char c) {
        return c < 128 && (CLS[c] & (UPPER | LOWER | DIGIT)) != 0;
    }

    static boolean isTokenChar(char c) {
        return c < 128 && CLS[c] != 0;
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
