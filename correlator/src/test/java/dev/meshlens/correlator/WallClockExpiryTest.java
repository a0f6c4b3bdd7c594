package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A lone half on a quiet partition becomes a one-sided finding once its window + stats interval + grace (25 s
 * by default) has passed on the wall clock, with no further record to move stream time.
 */
class WallClockExpiryTest {

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void aLoneFailureOnAQuietPartitionBecomesOneSidedByTheWallClock() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.advanceWallClock(Duration.ofSeconds(20));
            assertTrue(h.findings().isEmpty(), "the other half may still come");
            h.advanceWallClock(Duration.ofSeconds(10));
            Finding f = only(h);
            assertTrue(f.oneSided());
            assertEquals(1, f.count());
            assertEquals(FailureCategory.UNTRUSTED_ROOT, f.category());
        }
    }

    @Test
    void theOtherHalfArrivingInsideTheHorizonStillPairs() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceWallClock(Duration.ofSeconds(15)); // the server mesh's collector is slower
            h.pipe(MeshEvents.infoInbound(
                    T0.plusSeconds(1), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.advanceWallClock(Duration.ofSeconds(60));
            Finding f = only(h);
            assertFalse(f.oneSided());
            assertEquals(FailureCategory.UNTRUSTED_ROOT, f.category());
        }
    }

    @Test
    void aHalfArrivingAfterTheWallClockSweptItsTimeIsNotLost() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.advanceWallClock(Duration.ofSeconds(60)); // expired up to T0 + 35 s
            // a late line of the same client, from before what was swept: it counts at once
            h.pipe(MeshEvents.backendToInfo(
                    T0.plusSeconds(2), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            assertEquals(2, only(h).count());
        }
    }
}
