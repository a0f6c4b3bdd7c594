package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * corpus s21: the Istio server's certificate never arrived over SDS. Envoy's transport socket is then a
 * not-ready socket (source/common/tls/ssl_socket.cc: NotReadyReason "TLS error: Secret is not supplied by
 * SDS") that closes every connection, so the client's Envoy sees its handshake reset by the peer. Both halves
 * are one failure: the server's trust configuration.
 */
class ServerWithoutSecretTest {
    static final String TD = "7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul";

    static MeshEvent consulClientReset(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("c"))
                .observedTime(t)
                .meshId("consul")
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan("spiffe://" + TD + "/ns/default/dc/dc1/svc/reconciler")
                .upstreamCluster("ledger-export.default.dc1.internal." + TD)
                .responseCode(0)
                .responseFlags("UF")
                .upstreamTransportFailureReason(
                        "TLS_error:|33554536:system_library:OPENSSL_internal:Connection_reset_by_peer:TLS_error_end")
                .tls(new TlsFailure(
                        FailureCategory.CONNECTION_RESET,
                        RejectedBy.UNKNOWN,
                        33554536L,
                        "Connection reset by peer",
                        null,
                        "TLS_error:|33554536:...:TLS_error_end"))
                .build();
    }

    static MeshEvent istioServerWithoutSecret(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("s"))
                .observedTime(t)
                .meshId("istio")
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .localUriSan("spiffe://cluster.local/ns/finance/sa/ledger-export")
                .requestedServerName("outbound_.9000_._.ledger-export.finance.svc.cluster.local")
                .downstreamTransportFailureReason("TLS_error:_Secret_is_not_supplied_by_SDS")
                .tls(new TlsFailure(
                        FailureCategory.TRUST_CONFIG_ERROR,
                        RejectedBy.SELF,
                        null,
                        "Secret is not supplied by SDS",
                        null,
                        "TLS_error:_Secret_is_not_supplied_by_SDS"))
                .build();
    }

    @Test
    void aResetClientPairsWithAServerThatHadNoCertificate() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            for (int i = 0; i < 2; i++) {
                h.pipe(consulClientReset(T0.plusSeconds(2 * i)));
                h.pipe(istioServerWithoutSecret(T0.plusSeconds(2 * i).plusMillis(1)));
            }
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Map<String, Finding> all = h.findings();
            assertEquals(1, all.size(), all.values().toString());
            Finding f = all.values().iterator().next();
            assertEquals(FailureCategory.TRUST_CONFIG_ERROR, f.category());
            assertEquals(RejectedBy.PEER, f.rejectedBy(), "the server side failed");
            assertFalse(f.oneSided());
            assertEquals(2, f.count());
            assertEquals("consul", f.clientMesh());
            assertEquals("istio", f.serverMesh());
        }
    }
}
