package dev.meshlens.testkit;

import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.time.Instant;

/** Ready-made {@link MeshEvent}s for tests; ids are stable (same mesh + sequence = same id). */
public final class TestEvents {
    private TestEvents() {}

    /**
     * A client-side access-log line of a failed upstream handshake ({@code 503 UF}) in an Istio
     * mesh, rejected by this side ({@code rejected_by=self}) with the given category.
     */
    public static MeshEvent clientFailure(String meshId, long sequence, FailureCategory category, Instant time) {
        return MeshEvent.builder()
                .eventId(EventIds.of(meshId, "access-log:/var/log/envoy/access.log", sequence))
                .observedTime(time)
                .meshId(meshId)
                .meshKind(MeshKind.ISTIO)
                .cluster("cluster-a")
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .requestedServerName("outbound_.8080_._.backend.consul")
                .authority("backend.consul:8080")
                .responseCode(503)
                .responseFlags("UF")
                .upstreamCluster("outbound|8080||backend.consul")
                .localUriSan("spiffe://cluster.local/ns/default/sa/frontend")
                .durationMs(3L)
                .tls(new TlsFailure(
                        category,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        null,
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .build();
    }

    /** A successful mTLS request seen by the client side. */
    public static MeshEvent clientSuccess(String meshId, long sequence, Instant time) {
        return MeshEvent.builder()
                .eventId(EventIds.of(meshId, "access-log:/var/log/envoy/access.log", sequence))
                .observedTime(time)
                .meshId(meshId)
                .meshKind(MeshKind.ISTIO)
                .cluster("cluster-a")
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .authority("backend.consul:8080")
                .responseCode(200)
                .responseFlags("-")
                .localUriSan("spiffe://cluster.local/ns/default/sa/frontend")
                .peerUriSan("spiffe://dc1.consul/ns/default/dc/dc1/svc/backend")
                .tlsVersion("TLSv1.3")
                .durationMs(12L)
                .build();
    }
}
