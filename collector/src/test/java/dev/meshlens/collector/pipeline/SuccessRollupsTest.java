package dev.meshlens.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.events.Direction;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.Rollup;
import dev.meshlens.events.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 11: healthy traffic rolled up into one event per Envoy, peer and outcome; failures stay single. */
class SuccessRollupsTest {
    static final String OK =
            "[2026-11-28T10:00:%02d.000Z] \"GET /api/%d HTTP/1.1\" 200 - via_upstream - \"-\" 0 120 3 2 "
                    + "\"-\" \"curl\" \"r%d\" \"payments:9090\" \"10.2.0.4:9090\" outbound|9090||payments.billing.svc.cluster.local "
                    + "10.2.0.9:1 10.96.0.20:9090 10.2.0.9:50001 - default";
    static final String FAIL = "[2026-11-28T10:00:%02d.000Z] \"GET /api/%d HTTP/1.1\" 503 UF "
            + "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:SSL_routines:"
            + "OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end} - \"TLS_error:|268436504:SSL_routines:OPENSSL_internal:"
            + "TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\" 0 91 3 - \"-\" \"curl\" \"r%d\" \"payments:9090\" \"10.2.0.4:9090\" "
            + "outbound|9090||payments.billing.svc.cluster.local - 10.96.0.20:9090 10.2.0.9:50000 - default";
    /** A TCP line with nothing received and no response: evidence for plaintext pairing, never rolled up. */
    static final String EMPTY_TCP =
            "[2026-11-28T10:00:%02d.000Z] \"- - -\" 0 - - - \"-\" 0 0 1 - \"-\" \"-\" \"-\" \"-\" "
                    + "\"10.2.0.4:9090\" outbound|9090||payments.billing.svc.cluster.local 10.2.0.9:1 10.96.0.20:9090 "
                    + "10.2.0.9:50002 - -";

    final List<MeshEvent> published = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> acks = new ArrayList<>();
    final EventPublisher capture = e -> {
        published.add(e);
        CompletableFuture<Void> f = new CompletableFuture<>();
        acks.add(f);
        return f;
    };

    @Test
    void aThreadsRecentKeysAreReusedOnlyForTheVerySameParts() {
        SuccessRollups rollups = new SuccessRollups(capture, Duration.ofSeconds(10), 1000);
        SuccessRollups.Keys keys = rollups.newKeys();
        String cluster = "outbound|9090||payments.billing.svc.cluster.local";
        Instant t = Instant.parse("2026-11-28T10:00:01Z");
        SuccessRollups.Key first = keys.key(
                "file:1#0",
                ObserverRole.CLIENT,
                Direction.OUTBOUND,
                null,
                null,
                cluster,
                null,
                "payments:9090",
                false,
                200,
                t);
        assertEquals(
                rollups.key(
                        "file:1#0",
                        ObserverRole.CLIENT,
                        Direction.OUTBOUND,
                        null,
                        null,
                        cluster,
                        null,
                        "payments:9090",
                        false,
                        200,
                        t),
                first,
                "the same key as without the cache");
        assertSame(
                first,
                keys.key(
                        "file:1#0",
                        ObserverRole.CLIENT,
                        Direction.OUTBOUND,
                        null,
                        null,
                        cluster,
                        null,
                        "payments:9090",
                        false,
                        204,
                        t.plusSeconds(5)),
                "same parts, same outcome class and window: the same key");
        SuccessRollups.Key nextWindow = keys.key(
                "file:1#0",
                ObserverRole.CLIENT,
                Direction.OUTBOUND,
                null,
                null,
                cluster,
                null,
                "payments:9090",
                false,
                200,
                t.plusSeconds(10));
        assertNotSame(first, nextWindow);
        assertEquals(first.window() + 1, nextWindow.window());
        SuccessRollups.Key copy = keys.key(
                "file:1#0",
                ObserverRole.CLIENT,
                Direction.OUTBOUND,
                null,
                null,
                new String(cluster),
                null,
                "payments:9090",
                false,
                200,
                t);
        assertEquals(first, copy, "an equal string that is another instance gives an equal key");
        SuccessRollups.Key server = keys.key(
                "file:1#0",
                ObserverRole.SERVER,
                Direction.OUTBOUND,
                null,
                null,
                cluster,
                null,
                "payments:9090",
                false,
                200,
                t);
        assertFalse(server.equals(first));
    }

    @Test
    void successesBecomeOneEventWithTheirCountFailuresStaySingle() throws Exception {
        SuccessRollups rollups = new SuccessRollups(capture, Duration.ofHours(1), 1000);
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, capture, CollectorMetrics.noop("istio-east")))
                .format(Presets.ISTIO)
                .successRollups(rollups)
                .build();
        SourceContext ctx = new SourceContext("istio-east", MeshKind.ISTIO, "east", SourceKind.ACCESS_LOG, "file:1#0");
        List<CompletableFuture<Void>> lineFutures = new ArrayList<>();
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            String line = i % 20 == 7 ? String.format(FAIL, i % 60, i, i) : String.format(OK, i % 60, i, i);
            failures += i % 20 == 7 ? 1 : 0;
            lineFutures.add(p.process(ctx, i * 1000L, line, null, null, "test"));
        }
        CompletableFuture<Void> empty = p.process(ctx, 999_000L, String.format(EMPTY_TCP, 59), null, null, "test");
        assertEquals(failures + 1, published.size(), "before the flush only failures and the empty TCP line are out");
        assertFalse(lineFutures.get(0).isDone(), "a rolled-up line is not delivered before its roll-up is");
        rollups.flushAll();
        MeshEvent r =
                published.stream().filter(e -> e.rollup() != null).findFirst().orElseThrow();
        assertEquals(failures + 2, published.size(), "one roll-up for 190 successes");
        assertEquals(200 - failures, r.rollup().count());
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), r.rollup().firstTime());
        assertEquals(Instant.parse("2026-11-28T10:00:59Z"), r.rollup().lastTime());
        assertEquals(r.rollup().lastTime(), r.observedTime());
        MeshEvent single = published.stream()
                .filter(e -> e.rollup() == null && !e.isFailure())
                .findFirst()
                .orElseThrow();
        assertEquals(0L, single.bytesReceived(), "the empty TCP line went out on its own, as evidence");
        assertEquals(
                200 - failures + failures + 1,
                published.stream().mapToLong(Rollup::countOf).sum(),
                "every line accounted for once");
        assertFalse(lineFutures.get(0).isDone());
        acks.forEach(a -> a.complete(null));
        assertTrue(lineFutures.get(0).isDone(), "delivered once the roll-up is durable");
        assertNotNull(empty);
    }

    @Test
    void peersAndOutcomesAreRolledUpApart() throws Exception {
        SuccessRollups rollups = new SuccessRollups(capture, Duration.ofHours(1), 1000);
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, capture, CollectorMetrics.noop("istio-east")))
                .format(Presets.ISTIO)
                .successRollups(rollups)
                .build();
        SourceContext ctx = new SourceContext("istio-east", MeshKind.ISTIO, "east", SourceKind.ACCESS_LOG, "file:1#0");
        for (int i = 0; i < 10; i++) {
            p.process(ctx, i, String.format(OK, i, i, i), null, null, "t");
            p.process(ctx, 100 + i, String.format(OK, i, i, i).replace(" 200 - ", " 404 - "), null, null, "t");
            p.process(
                    ctx,
                    200 + i,
                    String.format(OK, i, i, i).replace("payments.billing", "ledger.billing"),
                    null,
                    null,
                    "t");
        }
        assertEquals(3, rollups.openBuckets());
        rollups.flushAll();
        assertEquals(3, published.size());
        assertTrue(published.stream().allMatch(e -> e.rollup().count() == 10));
    }

    @Test
    void aBucketIsPublishedOnceItIsAnIntervalOld() throws Exception {
        SuccessRollups rollups = new SuccessRollups(capture, Duration.ofMillis(50), 1000);
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, capture, CollectorMetrics.noop("istio-east")))
                .format(Presets.ISTIO)
                .successRollups(rollups)
                .build();
        SourceContext ctx = new SourceContext("istio-east", MeshKind.ISTIO, "east", SourceKind.ACCESS_LOG, "file:1#0");
        p.process(ctx, 1, String.format(OK, 1, 1, 1), null, null, "t");
        rollups.flushDue();
        assertEquals(0, published.size(), "not yet an interval old");
        Thread.sleep(80);
        rollups.flushDue();
        assertEquals(1, published.size());
        assertEquals(0, rollups.openBuckets());
    }
}
