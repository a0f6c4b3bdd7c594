package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.Rollup;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A collector's roll-up of successful requests (issue 11) stands for all of them: it counts as many
 * successes, and a roll-up spanning the sustain period after the last failure resolves the finding,
 * while one whose span covers a failure only counts the successes after it.
 */
class RollupSuccessTest {
    static MeshEvent rollup(Instant first, Instant last, long n) {
        MeshEvent one = MeshEvents.backendToInfo(last, null, null, null);
        return one.toBuilder().rollup(new Rollup(n, first, last)).build();
    }

    static double successes(Harness h) {
        var c = h.registry.find(CorrelatorMetrics.HANDSHAKE_SUCCESSES).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aRollupCountsEveryRequestItStandsFor() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(rollup(T0, T0.plusSeconds(10), 250));
            h.pipe(MeshEvents.backendToInfo(T0.plusSeconds(11), null, null, null));
            assertEquals(251.0, successes(h));
        }
    }

    @Test
    void aRollupSpanningTheSustainPeriodResolvesAndOneCoveringAFailureDoesNot() throws Exception {
        var sustain = CorrelationConfig.DEFAULT_RESOLVE_AFTER;
        try (Harness h = Harness.withDefaults()) {
            SustainedResolutionTest.fail(h, T0);
            // successes from before the failure to just short of the sustain period after it: stays open
            h.pipe(rollup(T0.minusSeconds(60), T0.plus(sustain).minusSeconds(5), 900));
            assertEquals(FindingState.OPEN, SustainedResolutionTest.only(h).state());
            // the next roll-up carries the run past the sustain period since the failure
            h.pipe(rollup(T0.plus(sustain).minusSeconds(4), T0.plus(sustain).plusSeconds(10), 40));
            Finding f = SustainedResolutionTest.only(h);
            assertEquals(FindingState.RESOLVED, f.state(), f.history().toString());
        }
    }

    @Test
    void aSingleRollupAfterTheFailureLongEnoughResolves() throws Exception {
        var sustain = CorrelationConfig.DEFAULT_RESOLVE_AFTER;
        try (Harness h = Harness.withDefaults()) {
            SustainedResolutionTest.fail(h, T0);
            h.pipe(rollup(T0.plusSeconds(1), T0.plus(sustain).plusSeconds(2), 3000));
            assertEquals(FindingState.RESOLVED, SustainedResolutionTest.only(h).state());
            assertEquals(
                    1, SustainedResolutionTest.only(h).count(), "successes never add to a finding's failure count");
        }
    }
}
