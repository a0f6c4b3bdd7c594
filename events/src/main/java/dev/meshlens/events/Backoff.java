package dev.meshlens.events;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next retry: "decorrelated jitter" (each wait a random point between the
 * initial wait and three times the previous one, capped). After a broker or Elasticsearch outage a
 * fleet of collectors and consumers then reconnects spread out instead of in lockstep, while one
 * process still backs off roughly exponentially.
 *
 * @param initial the shortest wait, and the first one's upper bound
 * @param max the longest wait
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial back-off must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            max = initial;
        }
    }

    /** The first wait after a success: a random point in [initial/2, initial]. */
    public long firstMillis() {
        long i = initial.toMillis();
        return i / 2 + ThreadLocalRandom.current().nextLong(i - i / 2 + 1);
    }

    /** The wait after one of {@code previousMillis} failed again: random in [initial, min(max, 3 × previous)]. */
    public long nextMillis(long previousMillis) {
        long lo = initial.toMillis();
        long hi = Math.min(max.toMillis(), Math.max(lo, previousMillis) * 3);
        return lo + ThreadLocalRandom.current().nextLong(hi - lo + 1);
    }
}
