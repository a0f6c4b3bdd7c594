package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * DESIGN.md, correlation: "Only handshake failures are TLS findings". A connection refused before any TLS ran
 * (corpus s26) and an app down behind its own sidecar (corpus s27) are indexed events, never findings; and a
 * line towards Consul's local_app belongs to the service its sidecar serves, not to a key every Consul
 * sidecar shares (corpus s27 leaked into s28 through it).
 */
class NotAHandshakeTest {
    static final String TD = "7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul";

    static TlsFailure connectFailure(String reason, String raw) {
        return new TlsFailure(FailureCategory.UPSTREAM_CONNECT_FAILURE, RejectedBy.UNKNOWN, null, reason, null, raw);
    }

    /** corpus s26: Istio's line of a request whose three connect attempts were refused (errno 111). */
    static MeshEvent refusedWithRetries(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("c"))
                .observedTime(t)
                .meshId("istio")
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan("spiffe://cluster.local/ns/shop/sa/shop-api")
                .upstreamCluster("outbound|20000||inventory-cache.service.consul")
                .responseCode(503)
                .responseFlags("UF,URX")
                .responseCodeDetails(
                        "upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}")
                .upstreamTransportFailureReason("delayed connect error: 111")
                .tls(connectFailure("delayed_connect_error", "delayed connect error: 111"))
                .build();
    }

    /**
     * A Consul sidecar's line for a request it accepted from the mesh and could not hand to its own app, as a
     * collector that predates the inbound reading publishes it (observer role client: its upstream failed).
     */
    static MeshEvent appDownBehindSidecar(Instant t, String mesh, String service, String utfr) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("app"))
                .observedTime(t)
                .meshId(mesh)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan("spiffe://" + TD + "/ns/default/dc/dc1/svc/" + service)
                .upstreamCluster("local_app")
                .requestedServerName(service + ".default.dc1.internal." + TD)
                .authority(service)
                .responseCode(503)
                .responseFlags("UF")
                .upstreamTransportFailureReason(utfr)
                .tls(utfr == null ? connectFailure("UF", "UF") : connectFailure("delayed_connect_error", utfr))
                .build();
    }

    @Test
    void aRefusedConnectionIsNoHandshakeFailureHoweverOftenItWasRetried() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(refusedWithRetries(T0.plusSeconds(2)));
            h.pipe(refusedWithRetries(T0.plusSeconds(5)));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(Map.of(), h.findings());
            assertEquals(2, h.stats.notHandshakes());
        }
    }

    @Test
    void anAppDownBehindItsConsulSidecarIsNoHandshakeFailure() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(appDownBehindSidecar(
                    T0.plusSeconds(6), "consul-a", "recommendations", "delayed_connect_error:_111"));
            // no reason at all: the app's connect timed out, still on the loopback connection
            h.pipe(appDownBehindSidecar(T0.plusSeconds(7), "consul-a", "recommendations", null));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(Map.of(), h.findings());
        }
    }

    /**
     * corpus s27 + s28: one mesh's app failure behind its sidecar must not become the other mesh's business
     * through a shared "local_app" key, and a real failure towards the other sidecar's service stays its own.
     */
    @Test
    void localAppLinesStayWithTheServiceTheirSidecarServes() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvent.builder()
                    .eventId(MeshEvents.id("ok"))
                    .observedTime(T0)
                    .meshId("consul-b")
                    .meshKind(MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .localUriSan("spiffe://" + TD + "/ns/default/dc/dc1/svc/stock")
                    .upstreamCluster("local_app")
                    .requestedServerName("stock.default.dc1.internal." + TD)
                    .responseCode(200)
                    .responseFlags("-")
                    .build());
            h.pipe(appDownBehindSidecar(
                    T0.plusSeconds(1), "consul-a", "recommendations", "delayed_connect_error:_111"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            for (Finding f : h.findings().values()) {
                assertTrue(!f.serverService().equals("local_app"), "keyed by local_app: " + f);
            }
            assertEquals(Map.of(), h.findings());
        }
    }

    /** corpus s22: a connect timeout inside the handshake (UF, URX, no reason) stays an UPSTREAM_CONNECT_FAILURE. */
    @Test
    void aConnectFailureWithoutAReasonStillIsOne() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvent.builder()
                    .eventId(MeshEvents.id("c"))
                    .observedTime(T0)
                    .meshId("istio")
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.CLIENT)
                    .localUriSan("spiffe://cluster.local/ns/trading/sa/fx-client")
                    .upstreamCluster("outbound|20000||fx-rates.service.consul")
                    .responseCode(503)
                    .responseFlags("UF,URX")
                    .responseCodeDetails("upstream_reset_before_response_started{connection_failure}")
                    .tls(connectFailure(
                            "connection failure", "upstream_reset_before_response_started{connection_failure}"))
                    .build());
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Map<String, Finding> f = h.findings();
            assertEquals(1, f.size(), f.toString());
            assertEquals(
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    f.values().iterator().next().category());
        }
    }
}
