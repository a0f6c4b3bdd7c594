package dev.meshlens.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Many successful requests of one kind stood for by one event: the collector rolls healthy traffic up
 * per Envoy, peer and outcome per interval, so cost follows the signal (failures stay one event each:
 * every one is evidence). The event that carries this is the first request of the group, with its
 * observed time moved to the last one.
 *
 * @param count requests the event stands for (at least 1)
 * @param firstTime observed time of the first of them
 * @param lastTime observed time of the last of them
 */
public record Rollup(long count, Instant firstTime, Instant lastTime) {
    public Rollup {
        Objects.requireNonNull(firstTime, "firstTime");
        Objects.requireNonNull(lastTime, "lastTime");
        if (count < 1) {
            throw new IllegalArgumentException("a roll-up stands for at least one request: " + count);
        }
        if (lastTime.isBefore(firstTime)) {
            throw new IllegalArgumentException("last time " + lastTime + " before first time " + firstTime);
        }
    }

    /** How many requests {@code e} stands for: its roll-up's count, else 1. */
    public static long countOf(MeshEvent e) {
        return e.rollup() == null ? 1 : e.rollup().count();
    }
}
