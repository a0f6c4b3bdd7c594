package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorrelationKeysTest {

    @ParameterizedTest
    @CsvSource({
        "backend.default.svc.cluster.local,backend",
        "outbound_.8080_._.backend.default.svc.cluster.local,backend",
        "backend.default.dc1.internal.7b3c1f0e-1111-2222-3333-444455556666.consul,backend",
        "backend:8080,backend",
        "Backend.Example.COM,backend",
        "https://user:pw@backend.example.com:8443/x,backend",
        "spiffe://abc.consul/ns/default/dc/dc1/svc/backend,backend",
    })
    void hostSpellingsReduceToTheService(String host, String service) {
        assertEquals(service, CorrelationKeys.serviceFromHost(host));
    }

    @Test
    void addressesAndAbsentValuesGiveNoService() {
        assertNull(CorrelationKeys.serviceFromHost("10.1.2.3:8080"));
        assertNull(CorrelationKeys.serviceFromHost("[::1]:443"));
        assertNull(CorrelationKeys.serviceFromHost("-"));
        assertNull(CorrelationKeys.serviceFromCluster("outbound|8080||"));
    }

    @Test
    void clientAndServerHalvesOfOneHandshakeShareAKey() {
        MeshEvent client = MeshEvent.builder()
                .eventId("c")
                .observedTime(Instant.EPOCH)
                .meshId("istio")
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .upstreamCluster("outbound|8443||backend.consul-dc1.global")
                .build();
        MeshEvent server = MeshEvent.builder()
                .eventId("s")
                .observedTime(Instant.EPOCH)
                .meshId("consul")
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .requestedServerName("backend.default.dc1.internal.abc.consul")
                .build();
        assertEquals("backend", CorrelationKeys.joinKey(client));
        assertEquals(CorrelationKeys.joinKey(client), CorrelationKeys.joinKey(server));
        MeshEvent anonymous = MeshEvent.builder()
                .eventId("a")
                .observedTime(Instant.EPOCH)
                .meshId("istio")
                .sourceKind(SourceKind.ENVOY_STATS)
                .build();
        assertEquals("mesh:istio", CorrelationKeys.joinKey(anonymous));
    }

    /**
     * corpus s27/s28: a Consul sidecar's line towards its own app (cluster local_app) is keyed by the service it
     * serves, whatever role its upstream failure gave it: every sidecar's local_app is a different service.
     */
    @Test
    void linesTowardsConsulsLocalAppAreKeyedByTheServiceTheyServe() {
        MeshEvent refused = MeshEvent.builder()
                .eventId("r")
                .observedTime(Instant.EPOCH)
                .meshId("consul")
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .upstreamCluster("local_app")
                .upstreamTransportFailureReason("delayed_connect_error:_111")
                .authority("recommendations")
                .requestedServerName("recommendations.default.dc1.internal.7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul")
                .build();
        assertEquals("recommendations", CorrelationKeys.joinKey(refused));
        MeshEvent ok = MeshEvent.builder()
                .eventId("o")
                .observedTime(Instant.EPOCH)
                .meshId("consul")
                .sourceKind(SourceKind.ACCESS_LOG)
                .upstreamCluster("local_app")
                .authority("stock.service.consul:20000")
                .localUriSan("spiffe://7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul/ns/default/dc/dc1/svc/stock")
                .build();
        assertEquals("stock", CorrelationKeys.joinKey(ok), "no SNI: the Envoy's own identity names the service");
    }

    /** A gateway's admin counters name no service it fronts: they go to the mesh-wide key (corpus s10). */
    @Test
    void aGatewaysOwnIdentityIsNoServiceKey() {
        MeshEvent gatewayDelta = MeshEvent.builder()
                .eventId("g")
                .observedTime(Instant.EPOCH)
                .meshId("istio")
                .sourceKind(SourceKind.ENVOY_STATS)
                .observerRole(ObserverRole.SERVER)
                .localUriSan("spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account")
                .build();
        assertEquals("mesh:istio", CorrelationKeys.joinKey(gatewayDelta));
        MeshEvent sidecarDelta = gatewayDelta.toBuilder()
                .localUriSan("spiffe://cluster.local/ns/shop/sa/quotes")
                .build();
        assertEquals("quotes", CorrelationKeys.joinKey(sidecarDelta));
    }
}
