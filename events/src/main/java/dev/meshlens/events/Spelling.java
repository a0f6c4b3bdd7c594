package dev.meshlens.events;

/**
 * "Did you mean …?" for configuration keys, policy fields and names: every module validates user
 * input against a table of known names, and they all suggest the nearest one the same way.
 */
public final class Spelling {
    private Spelling() {}

    /**
     * The candidate nearest to {@code input} by edit distance (the first on a tie), or null when the
     * nearest is farther than {@code maxDistance}.
     */
    public static String closest(String input, Iterable<String> candidates, int maxDistance) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(input, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= maxDistance ? best : null;
    }

    /** Levenshtein distance: insertions, deletions and substitutions of single characters. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
