package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A one-sided finding names the server's mesh when that mesh reported the service (corpus s05, s24, s25), and
 * says "unknown" only when no mesh did.
 */
class ServerMeshTest {
    static final String TD = "7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul";
    static final String PEER_TD = "c2d4e6f8-1a3b-4c5d-8e7f-0a1b2c3d4e5f.consul";
    static final String TAX_ENGINE = "spiffe://" + TD + "/ns/default/dc/dc1/svc/tax-engine";
    static final String INVOICE = "spiffe://cluster.local/ns/billing/sa/invoice-svc";

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    static MeshEvent.Builder line(String id, Instant t, String mesh, MeshKind kind) {
        return MeshEvent.builder()
                .eventId(id)
                .observedTime(t)
                .meshId(mesh)
                .meshKind(kind)
                .sourceKind(SourceKind.ACCESS_LOG);
    }

    /** Istio invoice-svc's line of a handshake to Consul tax-engine whose expired certificate it rejected. */
    static MeshEvent invoiceToTaxEngine(Instant t) {
        return line(MeshEvents.id("c"), t, "istio", MeshKind.ISTIO)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(INVOICE)
                .upstreamCluster("outbound|20000||tax-engine.service.consul")
                .responseCode(0)
                .responseFlags("UF")
                .tls(new TlsFailure(
                        FailureCategory.CERT_EXPIRED,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        "verify cert failed: X509_verify_cert: certificate verification error at depth 0: certificate has expired",
                        "TLS_error:|268435581:...:TLS_error_end"))
                .build();
    }

    /**
     * corpus s05: Consul tax-engine's sidecar served a mesh-internal request (Consul's default JSON line: cluster
     * local_app, no direction; what a collector publishes for it: no observer role).
     */
    @Test
    void aConsulSidecarServingItsAppNamesTheServerMesh() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(line(MeshEvents.id("ok"), T0.plusSeconds(1), "consul", MeshKind.CONSUL)
                    .upstreamCluster("local_app")
                    .authority("tax-engine")
                    .requestedServerName("tax-engine.default.dc1.internal." + TD)
                    .localUriSan(TAX_ENGINE)
                    .responseCode(200)
                    .responseFlags("-")
                    .responseCodeDetails("via_upstream")
                    .build());
            h.pipe(invoiceToTaxEngine(T0.plusSeconds(2)));
            h.pipe(invoiceToTaxEngine(T0.plusSeconds(4)));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals("tax-engine", f.serverService());
            assertEquals("consul", f.serverMesh(), "tax-engine's own sidecar reported for it");
            assertEquals(TAX_ENGINE, f.serverIdentity());
            assertTrue(f.oneSided());
            assertEquals(2, f.count());
        }
    }

    /** corpus s25: the peer's mesh gateway routed the peered SNI to the service its cluster exports. */
    @Test
    void aPeersMeshGatewayRoutingThePeeredSniNamesTheServerMesh() throws Exception {
        String pos = "spiffe://" + TD + "/ap/retail/ns/default/dc/dc1/svc/pos-terminal";
        String peered = "loyalty.default.default.east-peer.external." + PEER_TD;
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 2; i++) {
                Instant t = T0.plusSeconds(2 + 3 * i);
                h.pipe(line(MeshEvents.id("c"), t, "consul", MeshKind.CONSUL)
                        .observerRole(ObserverRole.CLIENT)
                        .localUriSan(pos)
                        .upstreamCluster(peered)
                        .responseCode(0)
                        .responseFlags("UF")
                        .upstreamTransportFailureReason("TLS_error:|268436504:...:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end")
                        .tls(new TlsFailure(
                                FailureCategory.UNTRUSTED_ROOT,
                                RejectedBy.PEER,
                                268436504L,
                                "TLSV1_ALERT_UNKNOWN_CA",
                                null,
                                "TLS_error:|268436504:...:TLS_error_end"))
                        .build());
                // passthrough: nothing wrong in the gateway's own line
                h.pipe(line(MeshEvents.id("gw"), t.plusMillis(2), "consul-peer", MeshKind.CONSUL)
                        .localUriSan("spiffe://" + PEER_TD + "/ns/default/dc/dc1/svc/mesh-gateway")
                        .upstreamCluster("loyalty.default.dc1.internal." + PEER_TD)
                        .requestedServerName(peered)
                        .responseCode(0)
                        .responseFlags("-")
                        .bytesReceived(517L)
                        .bytesSent(2731L)
                        .build());
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals("loyalty", f.serverService());
            assertEquals("consul-peer", f.serverMesh());
            assertEquals(FailureCategory.UNTRUSTED_ROOT, f.category());
            assertNull(f.serverIdentity(), "a gateway does not name the service's own identity");
        }
    }

    /** corpus s24: an Istio client's failures to a Kubernetes service of its own mesh, whose sidecar wrote nothing. */
    @Test
    void anIstioClientCallingAKubernetesServiceNamesItsOwnMesh() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 3; i++) {
                h.pipe(line(MeshEvents.id("c"), T0.plusSeconds(3 * i), "istio", MeshKind.ISTIO)
                        .observerRole(ObserverRole.CLIENT)
                        .localUriSan("spiffe://cluster.local/ns/identity/sa/web-2fa")
                        .upstreamCluster("outbound|7000||auth-2fa.identity.svc.cluster.local")
                        .responseCode(0)
                        .responseFlags("UF")
                        .tls(new TlsFailure(
                                FailureCategory.UNTRUSTED_ROOT,
                                RejectedBy.PEER,
                                268436504L,
                                "TLSV1_ALERT_UNKNOWN_CA",
                                null,
                                "TLS_error:|268436504:...:TLS_error_end"))
                        .build());
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals("auth-2fa", f.serverService());
            assertEquals("istio", f.serverMesh());
            assertTrue(f.oneSided());
            assertEquals(3, f.count());
        }
    }

    /** An inference from a client's naming never overrides what a mesh's own Envoy reported. */
    @Test
    void whatAMeshReportedWinsOverAClientsNaming() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            // an Istio client reaches "backend" under a Kubernetes name, yet Consul's sidecar is the one serving it
            h.pipe(line(MeshEvents.id("ok"), T0, "consul", MeshKind.CONSUL)
                    .upstreamCluster("local_app")
                    .requestedServerName("backend.default.dc1.internal." + TD)
                    .responseCode(200)
                    .responseFlags("-")
                    .build());
            h.pipe(line(MeshEvents.id("c"), T0.plusSeconds(1), "istio", MeshKind.ISTIO)
                    .observerRole(ObserverRole.CLIENT)
                    .localUriSan(MeshEvents.BACKEND)
                    .upstreamCluster("outbound|8080||backend.default.svc.cluster.local")
                    .responseCode(0)
                    .responseFlags("UF")
                    .tls(new TlsFailure(
                            FailureCategory.UNTRUSTED_ROOT,
                            RejectedBy.SELF,
                            268435581L,
                            "CERTIFICATE_VERIFY_FAILED",
                            null,
                            "TLS_error:|268435581:...:TLS_error_end"))
                    .build());
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals("consul", only(h).serverMesh());
        }
    }

    /**
     * corpus s17: a Consul terminating gateway receives Consul SNIs for the external services it calls: its own
     * failing lines do not make its mesh the server.
     */
    @Test
    void aTerminatingGatewaysLinesDoNotNameItsMeshAsTheServer() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 2; i++) {
                h.pipe(line(MeshEvents.id("c"), T0.plusSeconds(3 * i), "consul", MeshKind.CONSUL)
                        .observerRole(ObserverRole.CLIENT)
                        .localUriSan("spiffe://" + TD + "/ns/default/dc/dc1/svc/terminating-gateway")
                        .upstreamCluster("cart.default.dc1.internal." + TD)
                        .requestedServerName("cart.default.dc1.internal." + TD)
                        .responseCode(0)
                        .responseFlags("UF")
                        .tls(new TlsFailure(
                                FailureCategory.CONNECTION_RESET,
                                RejectedBy.UNKNOWN,
                                33554536L,
                                "Connection reset by peer",
                                null,
                                "TLS_error:|33554536:...:TLS_error_end"))
                        .build());
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals("unknown", only(h).serverMesh());
        }
    }
}
