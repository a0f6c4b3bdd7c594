package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * corpus s10: a Consul client without a client certificate calls an Istio ingress gateway that requires one,
 * over TLS 1.3. The client finishes its handshake before the server checks its certificate (RFC 8446: the
 * client's Certificate and Finished come last; google/conscrypt#777: "TLS 1.3 will also make the server error
 * appear in the first client read"), so its Envoy logs a connection termination after connect (UC, no
 * transport failure reason), while the gateway's listener line says PEER_DID_NOT_RETURN_A_CERTIFICATE.
 */
class Tls13ClientCertTest {
    static final String TD = "7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul";
    static final String OPS_CONSOLE = "spiffe://" + TD + "/ns/default/dc/dc1/svc/ops-console";
    static final String INGRESS = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    /** The Consul client's line: 503 UC upstream_reset_before_response_started{connection_termination}. */
    static MeshEvent consulClient(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("c"))
                .observedTime(t)
                .meshId("consul")
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(OPS_CONSOLE)
                .upstreamCluster("ops.east.example.com")
                .authority("ops.east.example.com")
                .responseCode(503)
                .responseFlags("UC")
                .responseCodeDetails("upstream_reset_before_response_started{connection_termination}")
                .tls(new TlsFailure(
                        FailureCategory.CONNECTION_RESET,
                        RejectedBy.UNKNOWN,
                        null,
                        "connection termination",
                        null,
                        "upstream_reset_before_response_started{connection_termination}"))
                .build();
    }

    /** The gateway's listener line (deploy/mesh/istio/30-envoyfilter-listener-tls-failures.yaml). */
    static MeshEvent gatewayListener(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("s"))
                .observedTime(t)
                .meshId("istio")
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .localUriSan(INGRESS)
                .requestedServerName("ops.east.example.com")
                .responseFlags("-")
                .downstreamTransportFailureReason(
                        "TLS_error:|268435648:SSL_routines:OPENSSL_internal:"
                                + "PEER_DID_NOT_RETURN_A_CERTIFICATE:peer_did_not_provide_required_client_certificate:TLS_error_end")
                .tls(new TlsFailure(
                        FailureCategory.CLIENT_CERT_MISSING,
                        RejectedBy.SELF,
                        268435648L,
                        "PEER_DID_NOT_RETURN_A_CERTIFICATE",
                        "peer did not provide required client certificate",
                        "TLS_error:|268435648:...:TLS_error_end"))
                .build();
    }

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void aTls13ClientsConnectionTerminationPairsWithTheServersMissingCertificate() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 2; i++) {
                h.pipe(consulClient(T0.plusSeconds(3 * i)));
                h.pipe(gatewayListener(T0.plusSeconds(3 * i).plusMillis(4)));
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(FailureCategory.CLIENT_CERT_MISSING, f.category());
            assertEquals(RejectedBy.PEER, f.rejectedBy(), "the server rejected the client");
            assertFalse(f.oneSided());
            assertEquals(2, f.count());
            assertEquals("consul", f.clientMesh());
            assertEquals(OPS_CONSOLE, f.clientIdentity());
            assertEquals("istio", f.serverMesh());
            assertEquals("ops", f.serverService());
            assertTrue(
                    f.details().get("decided_by").contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"),
                    f.details().toString());
            assertFalse(f.direction().contains("did not speak TLS"), f.direction());
        }
    }

    /**
     * The gateway's own admin endpoint counts the same two failures (ssl.fail_verify_no_cert). A gateway fronts
     * many services: its listener counters name none of them, and corroborate the pair's finding instead of
     * opening one about the gateway.
     */
    @Test
    void theGatewaysCountersCorroborateInsteadOfOpeningAFindingOfTheirOwn() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 2; i++) {
                h.pipe(consulClient(T0.plusSeconds(3 * i)));
                h.pipe(gatewayListener(T0.plusSeconds(3 * i).plusMillis(4)));
            }
            h.pipe(MeshEvent.builder()
                    .eventId(MeshEvents.id("st"))
                    .observedTime(T0.plusSeconds(8))
                    .meshId("istio")
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.ENVOY_STATS)
                    .observerRole(ObserverRole.SERVER)
                    .localUriSan(INGRESS)
                    .attributes(Map.of("workload", "istio-ingressgateway"))
                    .stats(new StatsDelta("listener", "0.0.0.0_8443", Map.of("ssl.fail_verify_no_cert", 2L), 5))
                    .build());
            h.advanceTo(T0.plus(Duration.ofMinutes(2)));
            Finding f = only(h);
            assertEquals(FailureCategory.CLIENT_CERT_MISSING, f.category());
            assertEquals(2, f.count(), "the counters repeat the two logged failures: " + f.details());
            assertTrue(
                    f.details().getOrDefault("server_counters", "").contains("ssl.fail_verify_no_cert"),
                    f.details().toString());
        }
    }

    /** A plaintext client (no TLS error either) still pairs with the server's plaintext rejection, as before. */
    @Test
    void aPlaintextClientStillReadsAsPlaintext() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(consulClient(T0));
            h.pipe(MeshEvent.builder()
                    .eventId(MeshEvents.id("s"))
                    .observedTime(T0)
                    .meshId("istio")
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.SERVER)
                    .localUriSan(INGRESS)
                    .requestedServerName("ops.east.example.com")
                    .tls(new TlsFailure(
                            FailureCategory.PLAINTEXT_MISMATCH,
                            RejectedBy.SELF,
                            268435612L,
                            "HTTP_REQUEST",
                            null,
                            "TLS_error:|268435612:...:HTTP_REQUEST:TLS_error_end"))
                    .build());
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(FailureCategory.PLAINTEXT_MISMATCH, f.category());
            assertFalse(f.oneSided());
        }
    }
}
