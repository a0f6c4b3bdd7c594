package dev.meshlens.correlator;

import dev.meshlens.events.Direction;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events as the collectors publish them, for the correlator tests: an Istio mesh ({@code backend},
 * {@code frontend}) and a Consul mesh ({@code info}), each Envoy named by its SPIFFE ID.
 */
final class MeshEvents {
    private MeshEvents() {}

    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final String ISTIO = "istio-east";
    static final String CONSUL = "consul-dc1";
    static final String TD = "6f1c1a2e-0d6a-4a4f-9a53-2b7c1de0e1aa.consul";
    static final String BACKEND = "spiffe://cluster.local/ns/default/sa/backend";
    static final String INFO = "spiffe://" + TD + "/ns/default/dc/dc1/svc/info";
    static final String EASTWEST = "spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway";
    private static final AtomicInteger SEQ = new AtomicInteger();

    static String id(String prefix) {
        return prefix + SEQ.incrementAndGet();
    }

    /** Istio backend calling Consul info (outbound line); {@code c == null} is a successful request. */
    static MeshEvent backendToInfo(Instant t, FailureCategory c, RejectedBy rb, String reason) {
        MeshEvent.Builder b = MeshEvent.builder()
                .eventId(id("c"))
                .observedTime(t)
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(BACKEND)
                .upstreamCluster("outbound|8443||info.service.consul")
                .responseCode(c == null ? 200 : 503)
                .responseFlags(c == null ? "-" : "UF");
        if (c != null) {
            b.tls(new TlsFailure(c, rb, null, reason, null, "TLS_error:|" + reason + ":TLS_error_end"));
        }
        return b.build();
    }

    /** Consul info's listener-level log line of a failed inbound handshake. */
    static MeshEvent infoInbound(Instant t, FailureCategory c, RejectedBy rb, String reason) {
        return MeshEvent.builder()
                .eventId(id("s"))
                .observedTime(t)
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.INBOUND)
                .observerRole(ObserverRole.SERVER)
                .localUriSan(INFO)
                .requestedServerName("outbound_.8443_._.info.service.consul")
                .responseCode(0)
                .tls(new TlsFailure(c, rb, null, reason, null, reason))
                .build();
    }

    /** An Envoy admin ssl.* delta of one listener (as the collector's admin source publishes it: no identity). */
    static MeshEvent listenerDelta(
            String mesh, MeshKind kind, Instant t, String listener, Map<String, Long> deltas, String identity) {
        return MeshEvent.builder()
                .eventId(id("st"))
                .observedTime(t)
                .meshId(mesh)
                .meshKind(kind)
                .sourceKind(SourceKind.ENVOY_STATS)
                .observerRole(ObserverRole.SERVER)
                .localUriSan(identity)
                .stats(new StatsDelta("listener", listener, deltas, 10))
                .build();
    }

    /** An Envoy's /certs inventory: its leaf certificate for {@code identity} (how the correlator learns a service's mesh). */
    static MeshEvent certs(String mesh, MeshKind kind, Instant t, String identity) {
        return MeshEvent.builder()
                .eventId(id("certs"))
                .observedTime(t)
                .meshId(mesh)
                .meshKind(kind)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .certificates(List.of(new dev.meshlens.events.CertificateInfo(
                        "",
                        "CN=" + mesh + "-ca",
                        "1f",
                        "cc" + SEQ.incrementAndGet(),
                        List.of(identity),
                        List.of(),
                        t.minus(Duration.ofDays(1)),
                        t.plus(Duration.ofDays(1)),
                        "03",
                        "02",
                        false)))
                .build();
    }

    /**
     * Istio's line for a plaintext connection on a STRICT sidecar's inbound listener: {@code "- - -" 0 NR
     * filter_chain_not_found}, no SNI. {@code plaintext} is what a collector that knows this case publishes
     * (PLAINTEXT_MISMATCH, rejected by self); otherwise the older NO_ROUTE classification.
     */
    static MeshEvent strictInboundNoChain(Instant t, String localIdentity, boolean plaintext) {
        return MeshEvent.builder()
                .eventId(id("nr"))
                .observedTime(t)
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .localUriSan(localIdentity)
                .downstreamLocalAddress("10.244.1.11:8080")
                .downstreamRemoteAddress("10.20.1.21:41234")
                .responseCode(0)
                .responseFlags("NR")
                .responseCodeDetails("filter_chain_not_found")
                .tls(
                        plaintext
                                ? new TlsFailure(
                                        FailureCategory.PLAINTEXT_MISMATCH,
                                        RejectedBy.SELF,
                                        null,
                                        null,
                                        null,
                                        "filter_chain_not_found")
                                : new TlsFailure(
                                        FailureCategory.NO_ROUTE,
                                        RejectedBy.UNKNOWN,
                                        null,
                                        null,
                                        null,
                                        "filter_chain_not_found"))
                .build();
    }

    /**
     * Consul info's outbound tcp_proxy line for a connection to Istio backend that looked ordinary to its Envoy:
     * no flags, nothing received, no TLS fields.
     */
    static MeshEvent infoPlainConnectionToBackend(Instant t) {
        return MeshEvent.builder()
                .eventId(id("plain"))
                .observedTime(t)
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(INFO)
                .upstreamCluster("backend.default.dc1.internal." + TD)
                .upstreamHost("10.244.1.11:8080")
                .upstreamLocalAddress("10.20.1.21:41234")
                .responseCode(0)
                .responseFlags("-")
                .bytesReceived(0L)
                .bytesSent(0L)
                .durationMs(1L)
                .build();
    }
}
