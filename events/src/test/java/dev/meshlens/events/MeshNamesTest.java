package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshNamesTest {

    @Test
    void clusterNamesTellTheDirection() {
        assertEquals(Direction.OUTBOUND, MeshNames.directionOf("outbound|8080||backend.default.svc.cluster.local"));
        assertEquals(Direction.OUTBOUND, MeshNames.directionOf("outbound_.8080_._.backend.default.svc.cluster.local"));
        assertEquals(Direction.INBOUND, MeshNames.directionOf("inbound|8080||"));
        assertEquals(
                Direction.INBOUND, MeshNames.directionOf("local_app"), "Consul's cluster for the app behind a sidecar");
        assertNull(MeshNames.directionOf("reviews.default.dc1.internal.7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul"));
        assertNull(MeshNames.directionOf("local_app_extra"));
        assertNull(MeshNames.directionOf(null));
    }

    @Test
    void consulPeeredServiceSnis() {
        assertTrue(MeshNames.isPeeredServiceSni(
                "loyalty.default.default.east-peer.external.c2d4e6f8-1a3b-4c5d-8e7f-0a1b2c3d4e5f.consul"));
        assertFalse(MeshNames.isPeeredServiceSni(
                "loyalty.default.dc1.internal.c2d4e6f8-1a3b-4c5d-8e7f-0a1b2c3d4e5f.consul"));
        assertFalse(MeshNames.isPeeredServiceSni(
                "loyalty.default.retail.dc1.internal-v1.c2d4e6f8-1a3b-4c5d-8e7f-0a1b2c3d4e5f.consul"));
        assertFalse(MeshNames.isPeeredServiceSni("outbound_.8080_._.loyalty.default.svc.cluster.local"));
        assertFalse(MeshNames.isPeeredServiceSni(null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "outbound|7000||auth-2fa.identity.svc.cluster.local",
                "outbound|7000|v1|auth-2fa.identity.svc.cluster.local",
                "outbound_.7000_._.auth-2fa.identity.svc.cluster.local",
                "outbound|7000||auth-2fa.identity.svc.corp.example"
            })
    void istioClustersOfKubernetesServicesNameTheCallersMesh(String cluster) {
        assertTrue(MeshNames.namesOwnKubernetesService(cluster));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "outbound|20000||tax-engine.service.consul",
                "outbound|8443||search-index.service.dc2.consul",
                "inbound|7000||",
                "tax-engine.default.dc1.internal.7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul",
                "outbound|80||svc.example.com",
                "PassthroughCluster"
            })
    void otherClustersDoNot(String cluster) {
        assertFalse(MeshNames.namesOwnKubernetesService(cluster));
    }

    @Test
    void socketConnectErrorsInEverySpelling() {
        assertTrue(ConnectErrors.isSocketConnectError("delayed connect error: 111"));
        assertTrue(ConnectErrors.isSocketConnectError("delayed_connect_error:_111"));
        assertTrue(ConnectErrors.isSocketConnectError(
                "upstream_reset_before_response_started{connection_failure,delayed_connect_error:_113}"));
        assertTrue(ConnectErrors.isSocketConnectError("immediate connect error: No such file or directory"));
        assertFalse(ConnectErrors.isSocketConnectError(
                "TLS error: 33554536:system library:OPENSSL_internal:Connection reset by peer"));
        assertFalse(ConnectErrors.isSocketConnectError("upstream_reset_before_response_started{connection_failure}"));
        assertFalse(ConnectErrors.isSocketConnectError((String) null));
    }
}
