package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.BACKEND;
import static dev.meshlens.correlator.MeshEvents.CONSUL;
import static dev.meshlens.correlator.MeshEvents.INFO;
import static dev.meshlens.correlator.MeshEvents.ISTIO;
import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 4: an Envoy admin {@code ssl.*} delta corroborates the findings its failures belong to; only
 * a delta nothing else explains becomes a finding of its own, and that one names the listener (or Envoy), the
 * counter that moved and what is missing to say more.
 */
class CounterEvidenceTest {

    @Test
    void aListenerDeltaWithoutIdentityCorroboratesTheAccessLogFindingInsteadOfOpeningOne() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // Consul does not trust Istio's root: backend's outbound log has the alert; Consul writes no line,
            // only info's public listener counters move (the collector's admin source knows no Envoy identity;
            // its /certs poll says which mesh serves info)
            h.pipe(MeshEvents.certs(CONSUL, MeshKind.CONSUL, T0.minusSeconds(60), INFO));
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(MeshEvents.backendToInfo(
                    T0.plusSeconds(2), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(MeshEvents.listenerDelta(
                    CONSUL,
                    MeshKind.CONSUL,
                    T0.plusSeconds(8),
                    "0.0.0.0_20000",
                    Map.of("ssl.fail_verify_error", 2L),
                    null));
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            Map<String, Finding> all = h.findings();
            assertEquals(1, all.size(), "no finding of its own for the delta: " + all.values());
            Finding f = all.values().iterator().next();
            assertEquals("info", f.serverService());
            assertEquals(2, f.count(), "the counters repeat the two failures the client logged");
            String corroboration = f.details().get("server_counters");
            assertNotNull(corroboration, f.details().toString());
            assertTrue(
                    corroboration.contains("listener 0.0.0.0_20000") && corroboration.contains("ssl.fail_verify_error"),
                    corroboration);
            assertTrue(
                    f.details().get("blind_side_status").contains("ssl.* counters"),
                    f.details().toString());
        }
    }

    @Test
    void aDeltaNothingExplainsNamesTheListenerTheCounterAndWhatIsMissing() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.listenerDelta(
                    ISTIO, MeshKind.ISTIO, T0, "0.0.0.0_15006", Map.of("ssl.connection_error", 3L), null));
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            Map<String, Finding> all = h.findings();
            assertEquals(1, all.size(), all.toString());
            Finding f = all.values().iterator().next();
            assertEquals(ISTIO, f.serverMesh());
            assertEquals("listener 0.0.0.0_15006", f.serverService(), "named after what is known: the listener");
            assertFalse(f.serverService().startsWith("mesh:"), f.serverService());
            assertEquals(3, f.count());
            assertTrue(
                    f.direction().contains("listener 0.0.0.0_15006")
                            && f.direction().contains("ssl.connection_error"),
                    f.direction());
            assertTrue(
                    f.details().get("counter").contains("ssl.connection_error +3"),
                    f.details().toString());
            assertTrue(
                    f.details().get("missing").contains("access-log"),
                    f.details().toString());
            assertTrue(f.remediation().contains("identity"), f.remediation());
        }
    }

    @Test
    void aDeltaOfAKnownEnvoyNamesThatEnvoy() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.listenerDelta(
                    ISTIO, MeshKind.ISTIO, T0, "0.0.0.0_15006", Map.of("ssl.fail_verify_san", 1L), BACKEND));
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            Finding f = h.findings().values().iterator().next();
            assertEquals("backend", f.serverService());
            assertEquals(BACKEND, f.serverIdentity());
            assertEquals(FailureCategory.SAN_MISMATCH, f.category());
            assertTrue(
                    f.direction().contains("listener 0.0.0.0_15006")
                            && f.direction().contains("ssl.fail_verify_san"),
                    f.direction());
            assertTrue(f.direction().contains(BACKEND), f.direction());
        }
    }

    @Test
    void aDeltaWithIdentityStillPairsWithTheClientHalves() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(MeshEvents.listenerDelta(
                    CONSUL,
                    MeshKind.CONSUL,
                    T0.plusSeconds(8),
                    "0.0.0.0_20000",
                    Map.of("ssl.fail_verify_error", 1L),
                    INFO));
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            assertEquals(1, h.findings().size(), h.findings().toString());
            Finding f = h.findings().values().iterator().next();
            assertFalse(f.oneSided());
            assertEquals(1, f.count());
        }
    }
}
