package dev.meshlens.redactor.detect;

import static dev.meshlens.redactor.detect.Chars.*;

/** The generic secret test: character mixture and Shannon entropy of a token. */
final class Entropy {
    private Entropy() {}

    /**
     * Generic secret test: base64-like mixture (upper, lower and digits), or 32+ alphanumerics with
     * digits and non-hex letters, and Shannon entropy of at least 3.5 (4.0 for the long form) bits
     * per character. Pure hex (fingerprints, ids, hashes) and words are not flagged.
     */
    static boolean highEntropy(String s, int st, int en) {
        int n = en - st;
        boolean up = false, lo = false, dg = false, nonHexLetter = false;
        int punct = 0;
        for (int k = st; k < en; k++) {
            char c = s.charAt(k);
            byte cl = CLS[c];
            if (cl == UPPER) {
                up = true;
                if (c > 'F') {
                    nonHexLetter = true;
                }
            } else if (cl == LOWER) {
                lo = true;
                if (c > 'f') {
                    nonHexLetter = true;
                }
            } else if (cl == DIGIT) {
                dg = true;
            } else {
                punct++;
            }
        }
        if (punct * 3 > n) {
            return false; // mostly punctuation: separators, not a token
        }
        boolean mixed = up && lo && dg;
        boolean longAlnum = n >= 32 && dg && nonHexLetter && (up || lo);
        if (!mixed && !longAlnum) {
            return false;
        }
        return entropy(s, st, en) >= (mixed ? 3.5 : 4.0);
    }

    /**
     * Shannon entropy in bits per character: log2(n) - (1/n) * sum(f * log2 f), with log2 from a
     * table (no Math.log on the hot path) and the counts in a per-thread scratch array.
     */
    static double entropy(String s, int st, int en) {
        int n = en - st;
        if (n > MAX_TABLE) {
            return entropySlow(s, st, en);
        }
        int[] freq = FREQ.get();
        double sum = 0;
        for (int k = st; k < en; k++) {
            freq[s.charAt(k) & 127]++;
        }
        for (int k = st; k < en; k++) {
            int c = s.charAt(k) & 127;
            int f = freq[c];
            if (f != 0) {
                sum += f * LOG2[f];
                freq[c] = 0; // count each symbol once, and leave the scratch array zeroed
            }
        }
        return LOG2[n] - sum / n;
    }

    private static final int MAX_TABLE = 1024;
    private static final double[] LOG2 = new double[MAX_TABLE + 1];
    private static final ThreadLocal<int[]> FREQ = ThreadLocal.withInitial(() -> new int[128]);

    static {
        for (int i = 1; i <= MAX_TABLE; i++) {
            LOG2[i] = Math.log(i) / Math.log(2);
        }
    }

    private static double entropySlow(String s, int st, int en) {
        int[] freq = new int[128];
        int n = en - st;
        for (int k = st; k < en; k++) {
            freq[s.charAt(k) & 127]++;
        }
        double h = 0;
        for (int f : freq) {
            if (f > 0) {
                double p = (double) f / n;
                h -= p * (Math.log(p) / LN2);
            }
        }
        return h;
    }

    private static final double LN2 = Math.log(2);
}
