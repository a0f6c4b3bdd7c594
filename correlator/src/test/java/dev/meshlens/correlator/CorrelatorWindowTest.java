package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.Direction;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Window semantics of the correlator on a TopologyTestDriver (RocksDB stores, as in production). */
class CorrelatorWindowTest {
    static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
    static final String ISTIO = "istio-east";
    static final String CONSUL = "consul-dc1";
    static final String TD = "6f1c1a2e-0d6a-4a4f-9a53-2b7c1de0e1aa.consul";
    static final String BACKEND = "spiffe://cluster.local/ns/default/sa/backend";
    static final String INFO = "spiffe://" + TD + "/ns/default/dc/dc1/svc/info";
    static int seq;

    static Harness rocks() throws Exception {
        return new Harness(Harness.defaults(), false);
    }

    /** Istio backend calling Consul info, failing with the given client-side failure. */
    static MeshEvent istioClient(Instant t, FailureCategory c, RejectedBy rb, String reason) {
        MeshEvent.Builder b = MeshEvent.builder()
                .eventId("c" + (seq++))
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

    /** Consul info's listener log of a failed inbound handshake. */
    static MeshEvent consulServer(Instant t, FailureCategory c, RejectedBy rb, String reason) {
        return MeshEvent.builder()
                .eventId("s" + (seq++))
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

    static MeshEvent consulStats(Instant t, Map<String, Long> deltas) {
        return MeshEvent.builder()
                .eventId("st" + (seq++))
                .observedTime(t)
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ENVOY_STATS)
                .direction(Direction.INBOUND)
                .observerRole(ObserverRole.SERVER)
                .localUriSan(INFO)
                .stats(new StatsDelta("listener", "0.0.0.0_15006", deltas, 10))
                .build();
    }

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void skewInsideWindowPairsBothHalves() throws Exception {
        try (Harness h = rocks()) {
            h.pipe(istioClient(T0, FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            // the Consul clock is 4 s behind: its half is logged 4 s "earlier"
            h.pipe(consulServer(
                    T0.minusSeconds(4), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            Finding f = only(h);
            assertEquals(FailureCategory.UNTRUSTED_ROOT, f.category(), "refined by the other half");
            assertEquals(RejectedBy.SELF, f.rejectedBy());
            assertFalse(f.oneSided());
            assertEquals(1, f.count());
            assertEquals(2, f.evidenceIds().size(), "evidence from both sides");
            assertTrue(
                    f.direction().startsWith("mesh istio-east does not trust the root that signs " + INFO),
                    f.direction());
            assertEquals(CONSUL, f.serverMesh());
            assertEquals("info", f.serverService());
        }
    }

    @Test
    void skewOutsideWindowLeavesTheHalvesUnpaired() throws Exception {
        try (Harness h = rocks()) {
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(consulServer(
                    T0.plusSeconds(7), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            assertTrue(h.findings().isEmpty(), "nothing before the window closed");
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertTrue(f.oneSided(), "7 s apart with a 5 s window: not one handshake");
            assertEquals(CONSUL, f.blindSide());
            assertEquals("0", f.details().get("paired_count"));
            assertEquals(
                    "listener log",
                    f.details().get("server_corroboration"),
                    "the server half still counts as evidence");
        }
    }

    @Test
    void graceAcceptsALateHalfAndStreamTimeClosesTheWindow() throws Exception {
        try (Harness h = rocks()) {
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plusSeconds(20)); // stream time moves, still inside window + stats interval + grace (25 s)
            h.pipe(consulServer(
                    T0.plusSeconds(2), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            Finding f = only(h);
            assertFalse(f.oneSided(), "a late record within grace still pairs");
        }
        try (Harness h = rocks()) {
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plusSeconds(40)); // past the horizon: the half left the window store
            Finding f = only(h);
            assertTrue(f.oneSided());
            h.pipe(consulServer(
                    T0.plusSeconds(2), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            Finding g = only(h);
            assertTrue(g.oneSided(), "too late to pair; kept as corroborating evidence");
            assertTrue(g.evidenceIds().size() == 2);
            assertEquals(1, g.count(), "one handshake, counted once");
        }
    }

    @Test
    void bothDirectionsGiveTwoFindingsWithTheirOwnDirection() throws Exception {
        try (Harness h = rocks()) {
            // Istio backend -> Consul info: Consul does not trust Istio's root (the server rejects the client)
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(consulServer(
                    T0.plusSeconds(1), FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            // Consul info -> Istio backend: Istio does not trust Consul's root (the client rejects the server)... seen
            // by Consul
            h.pipe(MeshEvent.builder()
                    .eventId("rev" + (seq++))
                    .observedTime(T0.plusSeconds(2))
                    .meshId(CONSUL)
                    .meshKind(MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .direction(Direction.OUTBOUND)
                    .observerRole(ObserverRole.CLIENT)
                    .localUriSan(INFO)
                    .upstreamCluster("backend.default.dc1.internal." + TD)
                    .responseCode(503)
                    .responseFlags("UF")
                    .tls(new TlsFailure(
                            FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, null, "TLSV1_ALERT_UNKNOWN_CA", null, "x"))
                    .build());
            h.pipe(MeshEvent.builder()
                    .eventId("rev" + (seq++))
                    .observedTime(T0.plusSeconds(2))
                    .meshId(ISTIO)
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .direction(Direction.INBOUND)
                    .observerRole(ObserverRole.SERVER)
                    .localUriSan(BACKEND)
                    .requestedServerName("backend.default.dc1.internal." + TD)
                    .responseCode(0)
                    .tls(new TlsFailure(
                            FailureCategory.UNTRUSTED_ROOT,
                            RejectedBy.SELF,
                            null,
                            "CERTIFICATE_VERIFY_FAILED",
                            null,
                            "x"))
                    .build());
            Map<String, Finding> all = h.findings();
            assertEquals(2, all.size(), all.toString());
            Finding toInfo = all.values().stream()
                    .filter(f -> f.serverService().equals("info"))
                    .findFirst()
                    .orElseThrow();
            Finding toBackend = all.values().stream()
                    .filter(f -> f.serverService().equals("backend"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(RejectedBy.PEER, toInfo.rejectedBy());
            assertTrue(
                    toInfo.direction().startsWith("mesh consul-dc1 does not trust the root that signs " + BACKEND),
                    toInfo.direction());
            assertEquals(RejectedBy.PEER, toBackend.rejectedBy());
            assertTrue(
                    toBackend.direction().startsWith("mesh istio-east does not trust the root that signs " + INFO),
                    toBackend.direction());
            assertTrue(toInfo.remediation().contains("into mesh consul-dc1"), toInfo.remediation());
        }
    }

    @Test
    void oneSidedWithABlindButReportingServer() throws Exception {
        try (Harness h = rocks()) {
            // Consul reports (a success seen by info's listener), but wrote nothing for the failure
            h.pipe(MeshEvent.builder()
                    .eventId("ok" + (seq++))
                    .observedTime(T0.minusSeconds(30))
                    .meshId(CONSUL)
                    .meshKind(MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .direction(Direction.INBOUND)
                    .observerRole(ObserverRole.SERVER)
                    .localUriSan(INFO)
                    .responseCode(200)
                    .responseFlags("-")
                    .build());
            h.pipe(istioClient(T0, FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertTrue(f.oneSided());
            assertEquals(CONSUL, f.blindSide());
            assertTrue(
                    f.details().get("blind_side_status").contains("blind"),
                    f.details().toString());
            assertEquals(FailureCategory.SAN_MISMATCH, f.category());
        }
    }

    @Test
    void statsDeltaRefinesABareCertificateRejection() throws Exception {
        try (Harness h = rocks()) {
            // the client only received BAD_CERTIFICATE; the server's counters say its SAN matcher rejected the client
            h.pipe(istioClient(T0, FailureCategory.CERT_REJECTED, RejectedBy.PEER, "SSLV3_ALERT_BAD_CERTIFICATE"));
            h.pipe(istioClient(
                    T0.plusSeconds(2), FailureCategory.CERT_REJECTED, RejectedBy.PEER, "SSLV3_ALERT_BAD_CERTIFICATE"));
            h.pipe(consulStats(T0.plusSeconds(8), Map.of("ssl.fail_verify_san", 2L, "ssl.connection_error", 2L)));
            Finding f = only(h);
            assertEquals(FailureCategory.SAN_MISMATCH, f.category());
            assertEquals(RejectedBy.PEER, f.rejectedBy());
            assertEquals(2, f.count());
            assertFalse(f.oneSided());
            assertTrue(
                    f.details().get("refined_by").contains("fail_verify_san"),
                    f.details().toString());
        }
    }

    @Test
    void inventoryRefinesWhenTheServerIsNotReporting() throws Exception {
        try (Harness h = rocks()) {
            Instant nb = T0.minus(Duration.ofDays(1));
            Instant na = T0.plus(Duration.ofDays(1));
            h.pipe(MeshEvent.builder()
                    .eventId("b1")
                    .observedTime(T0.minusSeconds(60))
                    .meshId(ISTIO)
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.TRUST_BUNDLE)
                    .trustBundle(new TrustBundle(
                            ISTIO,
                            "cluster.local",
                            "file",
                            List.of(new TrustBundle.Root("CN=istio-ca", "aa", "01", "01", nb, na))))
                    .build());
            h.pipe(MeshEvent.builder()
                    .eventId("b2")
                    .observedTime(T0.minusSeconds(60))
                    .meshId(CONSUL)
                    .meshKind(MeshKind.CONSUL)
                    .sourceKind(SourceKind.TRUST_BUNDLE)
                    .trustBundle(new TrustBundle(
                            CONSUL,
                            TD,
                            "/v1/connect/ca/roots",
                            List.of(new TrustBundle.Root("CN=consul-ca", "bb", "02", "02", nb, na))))
                    .build());
            h.pipe(MeshEvent.builder()
                    .eventId("certs1")
                    .observedTime(T0.minusSeconds(60))
                    .meshId(CONSUL)
                    .meshKind(MeshKind.CONSUL)
                    .sourceKind(SourceKind.ENVOY_CERTS)
                    .localUriSan(INFO)
                    .attributes(Map.of("workload", "info"))
                    .certificates(List.of(new CertificateInfo(
                            "", "CN=consul-ca", "1f", "cc", List.of(INFO), List.of(), nb, na, "03", "02", false)))
                    .build());
            h.pipe(istioClient(T0, FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(
                    FailureCategory.UNTRUSTED_ROOT, f.category(), f.details().toString());
            assertEquals("CN=consul-ca", f.details().get("missing_root_subject"));
            assertEquals("bb", f.details().get("missing_root_sha256"));
            assertEquals(CONSUL, f.serverMesh(), "server mesh from the inventory");
            assertTrue(f.oneSided());
            assertTrue(f.direction().contains("issued by root 'CN=consul-ca'"), f.direction());
        }
    }

    @Test
    void resolvesAfterSustainedSuccessReopensOnFailureAndKeepsHistory() throws Exception {
        CorrelationConfig cfg = Harness.defaults().with(CorrelatorKeys.RESOLVE_AFTER, Duration.ofSeconds(30));
        try (Harness h = new Harness(cfg, false)) {
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(consulServer(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.pipe(istioClient(T0.plusSeconds(10), null, null, null)); // successful mTLS between the pair
            h.pipe(istioClient(T0.plusSeconds(25), null, null, null));
            assertEquals(FindingState.OPEN, only(h).state(), "15 s of successes: not yet the 30 s asked for");
            h.pipe(istioClient(T0.plusSeconds(45), null, null, null));
            Finding f = only(h);
            assertEquals(FindingState.RESOLVED, f.state());
            assertEquals(
                    List.of(FindingState.OPEN, FindingState.RESOLVED),
                    f.history().stream().map(Finding.StateChange::state).toList());
            assertEquals(T0.plusSeconds(45), f.history().get(1).at());
            h.pipe(istioClient(
                    T0.plusSeconds(60), FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(consulServer(
                    T0.plusSeconds(60), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            Finding g = only(h);
            assertEquals(FindingState.OPEN, g.state());
            assertEquals(2, g.count());
            assertEquals("failures again after resolution", g.history().get(2).reason());
            double failures = h.registry
                    .get(CorrelatorMetrics.HANDSHAKE_FAILURES)
                    .tags("client_mesh", ISTIO, "server_mesh", CONSUL, "category", "UNTRUSTED_ROOT")
                    .counter()
                    .count();
            assertEquals(2.0, failures);
            assertEquals(
                    3.0,
                    h.registry
                            .get(CorrelatorMetrics.HANDSHAKE_SUCCESSES)
                            .tags("client_mesh", ISTIO, "server_mesh", CONSUL)
                            .counter()
                            .count());
        }
    }

    @Test
    void quietTimeResolvesInStreamTimeAndResolvedFindingsLeaveByRetention() throws Exception {
        CorrelationConfig cfg = Harness.defaults().with(CorrelatorKeys.QUIET_TIME, Duration.ofMinutes(5));
        try (Harness h = new Harness(cfg, false)) {
            h.pipe(istioClient(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(consulServer(T0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
            h.advanceTo(T0.plus(Duration.ofMinutes(6)));
            Finding f = only(h);
            assertEquals(FindingState.RESOLVED, f.state());
            assertTrue(
                    f.history().get(1).reason().startsWith("quiet"), f.history().toString());
            assertEquals(0, h.stats.findingsRemoved());
            h.advanceTo(T0.plus(Duration.ofHours(25)));
            assertEquals(1, h.stats.findingsRemoved(), "resolved findings leave the store after the retention");
            assertTrue(h.stats.directoryRemoved() >= 2, "directory entries of the pair leave too: " + h.stats);
        }
    }

    @Test
    void undecodableRecordsAreCountedNotFatal() throws Exception {
        try (Harness h = rocks()) {
            h.driver
                    .createInputTopic(
                            "meshlens.events.broken",
                            new org.apache.kafka.common.serialization.ByteArraySerializer(),
                            new org.apache.kafka.common.serialization.ByteArraySerializer())
                    .pipeInput(null, "{not json".getBytes());
            assertEquals(1, h.stats.undecodable());
            assertNull(h.findings().values().stream().findFirst().orElse(null));
        }
    }
}
