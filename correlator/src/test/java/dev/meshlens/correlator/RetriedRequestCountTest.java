package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * corpus s07, s13, s16, s22: an Istio client's request retried under the default policy fails three
 * handshakes and leaves one line flagged URX; the finding counts failed handshakes, so three.
 */
class RetriedRequestCountTest {

    static MeshEvent retried(Instant t, String protocol, String flags) {
        return MeshEvents.backendToInfo(
                        t, FailureCategory.CERT_REJECTED, RejectedBy.PEER, "SSLV3_ALERT_BAD_CERTIFICATE")
                .toBuilder()
                .protocol(protocol)
                .responseFlags(flags)
                .build();
    }

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void aRetriedRequestsLineCountsEveryAttempt() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(retried(T0, "HTTP/1.1", "UF,URX"));
            h.pipe(retried(T0.plusSeconds(5), "HTTP/1.1", "UF,URX"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(6, f.count(), f.details().toString());
            assertEquals(
                    1, f.evidenceIds().stream().distinct().count() - 1, "two lines of evidence: " + f.evidenceIds());
            assertTrue(f.details().containsKey("retried_requests"), f.details().toString());
        }
    }

    @Test
    void aTcpLineOrALineWithoutUrxIsOneAttempt() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(retried(T0, "-", "UF,URX"));
            h.pipe(retried(T0.plusSeconds(5), "HTTP/1.1", "UF"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(2, only(h).count());
        }
    }

    /** The server's counters saw the three handshakes: they pair with the three attempts, nothing counts twice. */
    @Test
    void theServersCountersPairWithEachAttempt() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(retried(T0.plusSeconds(1), "HTTP/1.1", "UF,URX"));
            h.pipe(MeshEvents.listenerDelta(
                    MeshEvents.CONSUL,
                    MeshKind.CONSUL,
                    T0.plusSeconds(5),
                    "10.20.3.44_8443",
                    Map.of("ssl.fail_verify_error", 3L),
                    MeshEvents.INFO));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(3, f.count(), f.details().toString());
            assertFalse(f.oneSided());
            assertEquals("3", f.details().get("paired_count"));
        }
    }
}
