package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.CONSUL;
import static dev.meshlens.correlator.MeshEvents.INFO;
import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 9, item 3: every failed connection counts once, however its halves arrive. */
class FailureCountTest {

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void serverOnlyHalvesAbsorbedAfterExpiryAreCounted() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // one handshake seen by both sides, then the client mesh's collector stops publishing:
            // seven more failed handshakes are seen by the server's listener log only
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(MeshEvents.infoInbound(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            for (int i = 1; i <= 7; i++) {
                h.pipe(MeshEvents.infoInbound(
                        T0.plusSeconds(i),
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        "CERTIFICATE_VERIFY_FAILED"));
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(8, f.count(), "eight failed connections: " + f.details());
            assertEquals("1", f.details().get("paired_count"));
            assertEquals("7", f.details().get("one_sided_count"));
        }
    }

    @Test
    void aLateServerHalfOfAnAlreadyCountedClientHalfCountsOnce() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.advanceTo(T0.plusSeconds(40)); // the client half expires alone
            h.pipe(MeshEvents.infoInbound(
                    T0.plusSeconds(1), FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            assertEquals(1, only(h).count(), "the late server line is the other half of the same handshake");
        }
    }

    @Test
    void countersThatRepeatListenerLogsAreNotCountedAgain() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 3; i++) {
                h.pipe(MeshEvents.backendToInfo(
                        T0.plusSeconds(i), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
                h.pipe(MeshEvents.infoInbound(
                        T0.plusSeconds(i),
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        "CERTIFICATE_VERIFY_FAILED"));
            }
            // info's own admin endpoint: the same three handshakes in its listener counters
            h.pipe(MeshEvents.listenerDelta(
                    CONSUL,
                    MeshKind.CONSUL,
                    T0.plusSeconds(5),
                    "0.0.0.0_20000",
                    Map.of("ssl.fail_verify_error", 3L),
                    INFO));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(3, only(h).count());
        }
    }

    @Test
    void counterFailuresBeyondWhatTheLogsShowAreCounted() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // one handshake in both access logs; the server's counters saw five in that poll interval
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(MeshEvents.infoInbound(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(MeshEvents.listenerDelta(
                    CONSUL,
                    MeshKind.CONSUL,
                    T0.plusSeconds(5),
                    "0.0.0.0_20000",
                    Map.of("ssl.fail_verify_error", 5L),
                    INFO));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(5, only(h).count());
        }
    }
}
