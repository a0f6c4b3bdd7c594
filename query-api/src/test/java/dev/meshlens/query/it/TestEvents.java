package dev.meshlens.query.it;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events and findings of two federated meshes (istio-east calls backend in consul-dc1) and an unrelated mesh-c. */
public final class TestEvents {
    /** Unique per test JVM, so tests sharing one broker never read each other's mesh topics. */
    public static final String RUN = "q" + UUID.randomUUID().toString().substring(0, 6);

    public static final String ISTIO = RUN + "-istio-east";
    public static final String CONSUL = RUN + "-consul-dc1";
    public static final String OTHER = RUN + "-mesh-c";
    public static final String FRONTEND_ID = "spiffe://cluster.local/ns/default/sa/frontend";
    public static final String BACKEND_ID = "spiffe://1111-2222.consul/ns/default/dc/dc1/svc/backend";

    private TestEvents() {}

    /** A client-side failure in istio-east: frontend -> backend, the server rejected our certificate. */
    public static MeshEvent clientFailure(String source, long pos, Instant t) {
        return untrustedRootClientHalf()
                .eventId(EventIds.of(ISTIO, source, pos))
                .observedTime(t)
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .upstreamCluster("outbound|8443||backend.default.svc.cluster.local")
                .localUriSan(FRONTEND_ID)
                .build();
    }

    /** The server half in consul-dc1: backend rejected an unknown issuer. */
    public static MeshEvent serverFailure(String source, long pos, Instant t) {
        return untrustedRootServerHalf()
                .eventId(EventIds.of(CONSUL, source, pos))
                .observedTime(t)
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .requestedServerName("backend.default.dc1.internal.1111-2222.consul")
                .localUriSan(BACKEND_ID)
                .build();
    }

    /**
     * The client half of an untrusted-root handshake as an Istio sidecar logs it (the server sent
     * TLSV1_ALERT_UNKNOWN_CA); the caller names the mesh, the source, the time and the peers.
     */
    public static MeshEvent.Builder untrustedRootClientHalf() {
        return MeshEvent.builder()
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .responseCode(503)
                .responseFlags("UF")
                .upstreamTransportFailureReason(
                        "TLS_error:|268436502:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end")
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.PEER,
                        268436502L,
                        "TLSV1_ALERT_UNKNOWN_CA",
                        null,
                        "TLSV1_ALERT_UNKNOWN_CA"));
    }

    /** The server half of the same handshake (its validator found no trusted issuer). */
    public static MeshEvent.Builder untrustedRootServerHalf() {
        return MeshEvent.builder()
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .downstreamTransportFailureReason(
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED")
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        "unable to get local issuer certificate",
                        "CERTIFICATE_VERIFY_FAILED"));
    }

    /** A healthy request in a mesh. */
    public static MeshEvent success(String mesh, String source, long pos, Instant t) {
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, source, pos))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .authority("svc-" + pos % 7 + ":8080")
                .responseCode(200)
                .responseFlags("-")
                .build();
    }

    public static MeshEvent stats(String mesh, long pos, Instant t) {
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "stats", pos))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.ENVOY_STATS)
                .stats(new StatsDelta("listener", "0.0.0.0_15006", Map.of("ssl.fail_verify_error", 3L), 10))
                .build();
    }

    public static MeshEvent certs(String mesh, String spiffe, Instant t, Instant notAfter) {
        CertificateInfo leaf = new CertificateInfo(
                "CN=leaf",
                "CN=" + mesh + " CA",
                "01",
                "ff" + mesh.hashCode(),
                List.of(spiffe),
                List.of(),
                t.minusSeconds(86_400),
                notAfter,
                "aa",
                "bb",
                false);
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "certs", t.toEpochMilli()))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .cluster("pod-1")
                .certificates(List.of(leaf))
                .build();
    }

    public static MeshEvent bundle(String mesh, String trustDomain, Instant t, Instant rootNotAfter) {
        TrustBundle b = new TrustBundle(
                mesh,
                trustDomain,
                "/etc/roots.pem",
                List.of(new TrustBundle.Root(
                        "CN=" + mesh + " Root",
                        "abc" + mesh.length(),
                        "11",
                        "11",
                        t.minusSeconds(86_400 * 365L),
                        rootNotAfter)));
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "bundle", t.toEpochMilli()))
                .observedTime(t)
                .meshId(mesh)
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(b)
                .build();
    }

    public static Finding finding(
            String clientMesh,
            String clientId,
            String serverMesh,
            String serverService,
            FailureCategory c,
            FindingState state,
            long count,
            Instant first,
            Instant last,
            List<String> evidence,
            List<Finding.StateChange> history) {
        String id = Finding.idFor(clientMesh + "/" + clientId, serverMesh + "/" + serverService, c);
        return new Finding(
                1,
                id,
                c,
                clientMesh,
                clientId,
                serverMesh,
                serverService,
                null,
                RejectedBy.PEER,
                "mesh " + serverMesh + " does not trust the root that signs " + clientId,
                first,
                last,
                count,
                state,
                false,
                null,
                evidence,
                "import the Istio trust bundle into Consul (mesh " + serverMesh + ")",
                Map.of("missing_root", "CN=istio Root"),
                history);
    }
}
