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
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * corpus s04: a client's bare CERTIFICATE_VERIFY_FAILED (an Envoy before 1.37 writes no validator detail)
 * names no cause, but its own cluster's ssl.fail_verify_san moved for the same handshakes (Envoy's
 * default validator bumps it when the SAN check fails, docs ssl_stats): the finding says SAN_MISMATCH.
 */
class ClientCounterRefinementTest {
    static final String TD = "7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul";
    static final String SHIPPING = "spiffe://" + TD + "/ns/default/dc/dc1/svc/shipping-rates";
    static final String CLUSTER = "quotes.default.dc1.internal." + TD;

    static MeshEvent bareVerifyFailure(Instant t) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("c"))
                .observedTime(t)
                .meshId("consul")
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(SHIPPING)
                .upstreamCluster(CLUSTER)
                .responseCode(503)
                .responseFlags("UF")
                .tls(new TlsFailure(
                        FailureCategory.CERT_REJECTED,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        null,
                        "TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .build();
    }

    /** The client Envoy's admin endpoint: its upstream cluster's ssl.* delta. */
    static MeshEvent clusterDelta(Instant t, String identity, Map<String, Long> deltas) {
        return MeshEvent.builder()
                .eventId(MeshEvents.id("st"))
                .observedTime(t)
                .meshId("consul")
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ENVOY_STATS)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan(identity)
                .upstreamCluster(CLUSTER)
                .stats(new StatsDelta("cluster", CLUSTER, deltas, 5))
                .build();
    }

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    @Test
    void theClientsOwnClusterCounterNamesTheCause() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(bareVerifyFailure(T0.plusMillis(2500)));
            h.pipe(bareVerifyFailure(T0.plusMillis(7100)));
            h.pipe(clusterDelta(T0.plusSeconds(5), SHIPPING, Map.of("ssl.fail_verify_san", 1L)));
            h.pipe(clusterDelta(T0.plusSeconds(10), SHIPPING, Map.of("ssl.fail_verify_san", 1L)));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(FailureCategory.SAN_MISMATCH, f.category(), f.details().toString());
            assertEquals(RejectedBy.SELF, f.rejectedBy(), "the client rejected the server's identity");
            assertEquals(2, f.count(), "the counters repeat the logged failures");
            assertTrue(
                    f.details().get("decided_by").contains("ssl.fail_verify_san"),
                    f.details().toString());
        }
    }

    /** Another Envoy's counters (another client of the same service) say nothing about this client's handshakes. */
    @Test
    void anotherEnvoysCountersDoNotRefine() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(bareVerifyFailure(T0.plusMillis(2500)));
            h.pipe(clusterDelta(
                    T0.plusSeconds(5),
                    "spiffe://" + TD + "/ns/default/dc/dc1/svc/other-client",
                    Map.of("ssl.fail_verify_san", 1L)));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(FailureCategory.CERT_REJECTED, only(h).category());
        }
    }

    /** A chain failure counter (fail_verify_error) does not say which: the bare rejection stays. */
    @Test
    void aVerifyErrorCounterDoesNotNarrowIt() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(bareVerifyFailure(T0.plusMillis(2500)));
            h.pipe(clusterDelta(T0.plusSeconds(5), SHIPPING, Map.of("ssl.fail_verify_error", 1L)));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(FailureCategory.CERT_REJECTED, only(h).category());
        }
    }
}
