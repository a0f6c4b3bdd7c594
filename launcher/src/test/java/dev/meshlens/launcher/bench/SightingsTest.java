package dev.meshlens.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.launcher.bench.Sightings.Failure;
import dev.meshlens.launcher.bench.Sightings.Stage;
import org.junit.jupiter.api.Test;

/** The freshness benchmark's bookkeeping: which failure a finding's count shows, and the percentiles it reports. */
class SightingsTest {
    private static Sightings threeFailures() {
        Sightings s = new Sightings();
        s.written(new Failure(0, "a->x", 1, 1_000));
        s.written(new Failure(1, "b->x", 1, 1_100));
        s.written(new Failure(2, "a->x", 2, 1_500));
        return s;
    }

    @Test
    void aCountShowsEveryFailureOfItsPairUpToIt() {
        Sightings s = threeFailures();
        s.count(Stage.LISTED, "a->x", 1, 1_900);
        assertArrayEquals(new long[] {900}, s.latencies(null, Stage.LISTED, f -> true));
        assertTrue(s.pending(Stage.LISTED, "a->x"), "the second failure of a->x is not shown by count 1");

        s.count(Stage.LISTED, "a->x", 2, 2_600);
        assertArrayEquals(new long[] {900, 1_100}, s.latencies(null, Stage.LISTED, f -> true));
        assertFalse(s.pending(Stage.LISTED, "a->x"));
        assertTrue(s.pending(Stage.LISTED, "b->x"), "another pair's finding shows nothing of b->x");
        assertEquals(2, s.seen(Stage.LISTED));
    }

    @Test
    void theFirstSightingCountsAndLaterOnesDoNotMoveIt() {
        Sightings s = threeFailures();
        s.count(Stage.INDEXED, "a->x", 2, 2_000);
        s.count(Stage.INDEXED, "a->x", 2, 5_000);
        s.at(Stage.PUBLISHED, 2, 1_600);
        s.at(Stage.PUBLISHED, 2, 1_700);
        assertArrayEquals(new long[] {1_000, 500}, s.latencies(null, Stage.INDEXED, f -> true));
        assertArrayEquals(new long[] {400}, s.latencies(Stage.PUBLISHED, Stage.INDEXED, f -> true));
        assertArrayEquals(
                new long[] {500}, s.latencies(null, Stage.INDEXED, f -> f.ordinal() > 1), "only later failures");
    }

    @Test
    void failuresAreRecordedInOrder() {
        Sightings s = new Sightings();
        assertThrows(IllegalArgumentException.class, () -> s.written(new Failure(1, "a->x", 1, 0)));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        Latency l = Latency.of(hundred);
        assertEquals(new Latency(100, 50, 90, 99, 100), l);
        assertEquals(new Latency(3, 20, 30, 30, 30), Latency.of(new long[] {30, 10, 20}));
        assertEquals(0, Latency.of(new long[0]).n());
        assertEquals(
                "| x | 3 | 0.02 s | 0.03 s | 0.03 s | 0.03 s |",
                Latency.of(new long[] {30, 10, 20}).row("x"));
    }
}
