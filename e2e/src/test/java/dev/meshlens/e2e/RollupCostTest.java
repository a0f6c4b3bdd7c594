package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.pipeline.SuccessRollups;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.Rollup;
import dev.meshlens.events.SourceKind;
import dev.meshlens.redactor.HashKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What success roll-ups save (issue 11), on the same lines in one run: a node's worth of Istio sidecars
 * (100 sidecars, 5 peers each) writing access-log lines at 100,000 a second with 5% TLS failures, through
 * the collector's real parser, classifier, redaction and pipeline, once with every success its own event
 * and once rolled up; then both event streams through the correlation topology. Prints Kafka messages
 * (= Elasticsearch documents: one document per event) per 1,000,000 lines, and asserts the findings are
 * the same.
 *
 * <p>Rerun with a million lines: {@code mvn -B -ntp -pl e2e -am test-compile surefire:test
 * -Dtest=RollupCostTest -Dmeshlens.rollup.lines=1000000} (default 100,000 so the suite stays quick).
 */
class RollupCostTest {
    static final int LINES = Integer.getInteger("meshlens.rollup.lines", 100_000);
    static final int SIDECARS = 100;
    static final int PEERS = 5;
    static final int BROKEN_PAIRS = 25; // of 500: 5% of the traffic fails (a root the peer does not trust)
    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    static final DateTimeFormatter ENVOY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static String line(Instant t, int sidecar, int peer, boolean fail, int i) {
        String host = "svc-" + ((sidecar * 7 + peer * 13) % 60) + ".shop.svc.cluster.local";
        String cluster = "outbound|8080||" + host;
        if (fail) {
            String r = "TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end";
            return "[" + ENVOY_TIME.format(t) + "] \"GET /api/" + i + " HTTP/1.1\" 503 UF,URX "
                    + "upstream_reset_before_response_started{remote_connection_failure|" + r + "} - \"" + r
                    + "\" 0 91 3 - \"-\" "
                    + "\"curl/8.5\" \"req-" + i + "\" \"" + host + ":8080\" \"10.1." + peer + ".9:8080\" " + cluster
                    + " - 10.96.0." + peer + ":8080 10.0." + sidecar + ".5:40000 - default";
        }
        return "[" + ENVOY_TIME.format(t) + "] \"GET /api/" + i
                + " HTTP/1.1\" 200 - via_upstream - \"-\" 0 512 3 2 \"-\" "
                + "\"curl/8.5\" \"req-" + i + "\" \"" + host + ":8080\" \"10.1." + peer + ".9:8080\" " + cluster
                + " 10.0."
                + sidecar + ".5:51000 10.96.0." + peer + ":8080 10.0." + sidecar + ".5:40000 - default";
    }

    /** Events one run of the collector's pipeline publishes for the lines (roll-ups on or off). */
    static List<MeshEvent> collect(boolean rollUp) throws Exception {
        List<MeshEvent> out = new ArrayList<>();
        EventPublisher capture = e -> {
            out.add(e);
            return CompletableFuture.completedFuture(null);
        };
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        EventRedactor redactor =
                EventRedactor.engine(null, HashKey.of("0123456789abcdef0123456789abcdef"), metrics.registry());
        SuccessRollups rollups = rollUp ? new SuccessRollups(capture, Duration.ofSeconds(10), 100_000) : null;
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(redactor, capture, metrics))
                .format(Presets.ISTIO)
                .successRollups(rollups)
                .build();
        SourceContext[] ctx = new SourceContext[SIDECARS];
        for (int s = 0; s < SIDECARS; s++) {
            ctx[s] =
                    new SourceContext("istio-east", MeshKind.ISTIO, "east", SourceKind.ACCESS_LOG, "file:sidecar-" + s);
        }
        Random r = new Random(42);
        long[] position = new long[SIDECARS];
        for (int i = 0; i < LINES; i++) {
            int pair = r.nextInt(SIDECARS * PEERS);
            int sidecar = pair / PEERS;
            int peer = pair % PEERS;
            Instant t = T0.plusNanos(i * 10_000L); // 100,000 lines a second
            String text = line(t, sidecar, peer, pair < BROKEN_PAIRS, i);
            p.process(
                    ctx[sidecar],
                    position[sidecar]++,
                    text,
                    null,
                    Map.of("workload", "sidecar-" + sidecar),
                    "sidecar-" + sidecar);
        }
        if (rollups != null) {
            rollups.flushAll();
        }
        return out;
    }

    static String summary(Finding f) {
        return f.category() + " " + f.clientMesh() + "/" + f.clientIdentity() + " -> " + f.serverMesh() + "/"
                + f.serverService() + " x" + f.count() + " " + f.rejectedBy() + " " + f.state();
    }

    static Map<String, String> findings(List<MeshEvent> events) throws Exception {
        Map<String, String> out = new TreeMap<>();
        CorrelationPipelineEvaluationTest.correlateEvents(events)
                .values()
                .forEach(f -> out.put(CorrelationPipelineEvaluationTest.key(f), summary(f)));
        return out;
    }

    @Test
    void rollUpsCutMessagesAndDocumentsAndKeepEveryFinding() throws Exception {
        List<MeshEvent> each = collect(false);
        List<MeshEvent> rolled = collect(true);
        long failures = each.stream().filter(MeshEvent::isFailure).count();
        assertEquals(LINES, each.size(), "without roll-ups every line is an event");
        assertEquals(LINES, rolled.stream().mapToLong(Rollup::countOf).sum(), "roll-ups account for every line once");
        double perMillionEach = each.size() * 1_000_000.0 / LINES;
        double perMillionRolled = rolled.size() * 1_000_000.0 / LINES;
        Map<String, String> findingsEach = findings(each);
        Map<String, String> findingsRolled = findings(rolled);
        System.out.printf(
                "%n=== success roll-ups: %,d access-log lines, %.1f%% failures, %d sidecars x %d peers, 100k lines/s"
                        + "%nKafka messages = Elasticsearch documents: every success its own event %,d (%,.0f per 1M lines);"
                        + " rolled up %,d (%,.0f per 1M lines): %.1f%% of the events, ratio %.3f"
                        + "%nfindings: %d and %d, identical: %s%n",
                LINES,
                100.0 * failures / LINES,
                SIDECARS,
                PEERS,
                each.size(),
                perMillionEach,
                rolled.size(),
                perMillionRolled,
                100.0 * rolled.size() / each.size(),
                (double) rolled.size() / each.size(),
                findingsEach.size(),
                findingsRolled.size(),
                findingsEach.equals(findingsRolled));
        findingsEach.values().stream().limit(3).forEach(s -> System.out.println("  " + s));
        assertTrue(perMillionRolled <= 60_000, "at most 60,000 messages per 1M lines: " + perMillionRolled);
        assertTrue(!findingsEach.isEmpty(), "the broken pairs are found");
        assertEquals(findingsEach, findingsRolled, "the same findings from the same lines");
    }
}
