package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {
    @Property(tries = 300)
    void waitsStayBetweenTheBoundsAndSpreadOut(
            @ForAll @LongRange(min = 1, max = 5_000) long initial, @ForAll @LongRange(min = 1, max = 60_000) long max) {
        Backoff b = new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max));
        long cap = Math.max(initial, max);
        long wait = b.firstMillis();
        assertTrue(wait >= initial / 2 && wait <= initial, "first " + wait);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            wait = b.nextMillis(wait);
            assertTrue(wait >= initial && wait <= cap, "wait " + wait + " outside [" + initial + ", " + cap + "]");
            seen.add(wait);
        }
        if (cap - initial >= 100) {
            assertTrue(seen.size() > 5, "jittered, not lockstep: " + seen);
        }
    }

    @Property(tries = 50)
    void growsTowardsTheCapWhileFailuresGoOn(@ForAll @LongRange(min = 10, max = 500) long initial) {
        Backoff b = new Backoff(Duration.ofMillis(initial), Duration.ofSeconds(30));
        long sum = 0;
        long wait = b.firstMillis();
        for (int i = 0; i < 200; i++) {
            wait = b.nextMillis(wait);
            if (i >= 100) {
                sum += wait;
            }
        }
        assertTrue(sum / 100 > 5 * initial, "after many failures the mean wait is well above the first: " + sum / 100);
    }
}
