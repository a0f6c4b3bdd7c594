package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 9: a finding's life follows the failures, not each request. Successes between failures
 * (an intermittent fault, a root rotation half done) keep it open; it resolves after a sustained period
 * of successes without failures, and its history shows one open period.
 */
class SustainedResolutionTest {

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    static void fail(Harness h, Instant t) {
        h.pipe(MeshEvents.backendToInfo(
                t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        h.pipe(MeshEvents.infoInbound(t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
    }

    static void succeed(Harness h, Instant t) {
        h.pipe(MeshEvents.backendToInfo(t, null, null, null));
    }

    static List<FindingState> states(Finding f) {
        return f.history().stream().map(Finding.StateChange::state).toList();
    }

    @Test
    void successesBetweenFailuresKeepOneOpenPeriod() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // half the pods rotated their root: every other request fails, for ten minutes
            Instant t = T0;
            for (int i = 0; i < 60; i++) {
                if (i % 2 == 0) {
                    fail(h, t);
                } else {
                    succeed(h, t);
                }
                t = t.plusSeconds(5 + (i % 7) * 3);
                assertEquals(FindingState.OPEN, only(h).state(), "after request " + i);
            }
            Finding f = only(h);
            assertEquals(List.of(FindingState.OPEN), states(f), f.history().toString());
            assertEquals(30, f.count());
        }
    }

    @Test
    void resolvesAfterASustainedRunOfSuccessesOnly() throws Exception {
        Duration sustain = CorrelationConfig.DEFAULT_RESOLVE_AFTER;
        try (Harness h = Harness.withDefaults()) {
            fail(h, T0);
            succeed(h, T0.plusSeconds(10));
            fail(h, T0.plusSeconds(20));
            // successes from +30 s on; resolution only once they have lasted the configured time
            Instant last = T0.plusSeconds(20);
            Instant t = T0.plusSeconds(30);
            while (t.isBefore(last.plus(sustain))) {
                succeed(h, t);
                assertEquals(FindingState.OPEN, only(h).state(), "success at " + t);
                t = t.plusSeconds(20);
            }
            succeed(h, t);
            succeed(h, t.plusSeconds(20));
            Finding f = only(h);
            assertEquals(FindingState.RESOLVED, f.state());
            assertEquals(List.of(FindingState.OPEN, FindingState.RESOLVED), states(f));
            Instant resolvedAt = f.history().get(1).at();
            assertFalse(resolvedAt.isBefore(T0.plusSeconds(30).plus(sustain)), "resolved at " + resolvedAt);
            assertTrue(
                    f.history().get(1).reason().contains("without failures"),
                    f.history().get(1).reason());

            // and a failure after that opens a second period
            fail(h, t.plusSeconds(60));
            assertEquals(List.of(FindingState.OPEN, FindingState.RESOLVED, FindingState.OPEN), states(only(h)));
        }
    }
}
