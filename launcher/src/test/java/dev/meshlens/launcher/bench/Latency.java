package dev.meshlens.launcher.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Nearest-rank percentiles of a set of latencies in milliseconds.
 *
 * @param n how many
 */
record Latency(int n, long p50, long p90, long p99, long max) {

    static Latency of(long[] millis) {
        if (millis.length == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        long[] s = millis.clone();
        Arrays.sort(s);
        return new Latency(s.length, rank(s, 0.50), rank(s, 0.90), rank(s, 0.99), s[s.length - 1]);
    }

    /** The smallest value with at least {@code p} of the values at or below it. */
    static long rank(long[] sorted, double p) {
        int r = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, r - 1)];
    }

    /** One table row: {@code | what | n | p50 | p90 | p99 | max |}, seconds with two decimals. */
    String row(String what) {
        if (n == 0) {
            return String.format(Locale.ROOT, "| %s | 0 | – | – | – | – |", what);
        }
        return String.format(
                Locale.ROOT,
                "| %s | %d | %.2f s | %.2f s | %.2f s | %.2f s |",
                what,
                n,
                p50 / 1000.0,
                p90 / 1000.0,
                p99 / 1000.0,
                max / 1000.0);
    }
}
