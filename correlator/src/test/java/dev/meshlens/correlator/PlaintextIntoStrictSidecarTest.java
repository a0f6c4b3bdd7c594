package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.BACKEND;
import static dev.meshlens.correlator.MeshEvents.CONSUL;
import static dev.meshlens.correlator.MeshEvents.EASTWEST;
import static dev.meshlens.correlator.MeshEvents.INFO;
import static dev.meshlens.correlator.MeshEvents.ISTIO;
import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, item 2: Istio logs a plaintext connection on a STRICT sidecar's inbound listener as
 * {@code "- - -" 0 NR filter_chain_not_found} without SNI; the plaintext client's Envoy (a Consul transparent
 * proxy, say) logs an ordinary tcp_proxy line. The server half alone names the cause; the client line, where
 * one names the destination, tells who.
 */
class PlaintextIntoStrictSidecarTest {

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @ParameterizedTest(name = "collector classifies the NR line as PLAINTEXT_MISMATCH: {0}")
    @ValueSource(booleans = {true, false})
    void serverHalfAloneIsAOneSidedPlaintextMismatch(boolean newCollector) throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.strictInboundNoChain(T0, BACKEND, newCollector));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(FailureCategory.PLAINTEXT_MISMATCH, f.category(), f.toString());
            assertEquals(RejectedBy.PEER, f.rejectedBy(), "the server required mTLS and refused the client");
            assertEquals(ISTIO, f.serverMesh());
            assertEquals("backend", f.serverService());
            assertTrue(f.oneSided());
            assertTrue(f.direction().contains("sends plaintext to service backend"), f.direction());
            assertTrue(f.direction().contains("which requires mutual TLS"), f.direction());
            assertTrue(
                    f.details().get("decided_by").contains("filter_chain_not_found"),
                    f.details().toString());
        }
    }

    @Test
    void theClientsOrdinaryConnectionLinePairsWithTheServerHalf() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.infoPlainConnectionToBackend(T0));
            h.pipe(MeshEvents.strictInboundNoChain(T0.plusMillis(300), BACKEND, false));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(FailureCategory.PLAINTEXT_MISMATCH, f.category());
            assertEquals(RejectedBy.PEER, f.rejectedBy());
            assertEquals(CONSUL, f.clientMesh(), "the client line says who spoke plaintext");
            assertEquals(INFO, f.clientIdentity());
            assertFalse(f.oneSided());
            assertEquals(1, f.count());
            assertTrue(
                    f.direction().startsWith(INFO + " in mesh consul-dc1 sends plaintext to service backend"),
                    f.direction());
            assertTrue(f.remediation().contains("Enable TLS origination in mesh consul-dc1"), f.remediation());
        }
    }

    @Test
    void ordinaryConnectionLinesAloneAreNotFindings() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.infoPlainConnectionToBackend(T0));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertTrue(h.findings().isEmpty(), h.findings().toString());
        }
    }

    @Test
    void gatewaysAndUnroutableSniKeepNoRoute() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // the east-west gateway: no filter chain, no SNI
            h.pipe(MeshEvents.strictInboundNoChain(T0, EASTWEST, false));
            // a sidecar that got an SNI no chain matches
            MeshEvent withSni = MeshEvents.strictInboundNoChain(T0.plusSeconds(1), BACKEND, false).toBuilder()
                    .requestedServerName("outbound_.8080_._.catalog.default.svc.cluster.local")
                    .build();
            h.pipe(withSni);
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Map<String, Finding> all = h.findings();
            assertEquals(2, all.size(), all.toString());
            all.values().forEach(f -> assertEquals(FailureCategory.NO_ROUTE, f.category(), f.toString()));
        }
    }
}
