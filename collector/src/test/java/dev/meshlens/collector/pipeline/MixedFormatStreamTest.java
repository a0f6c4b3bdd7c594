package dev.meshlens.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * One Istio sidecar stdout as it is with the settings in deploy/mesh/istio: Istio's default text access
 * log and the JSON lines of the EnvoyFilter's listener-level log of failed handshakes (its keys read from
 * the shipped EnvoyFilter itself), plus a pilot-agent line. One source, a list of formats (or auto): every
 * access-log line becomes an event, counted per format; only the agent's own line is a misfit.
 */
class MixedFormatStreamTest {
    static final String TEXT_OK =
            "[2026-11-28T10:00:00.100Z] \"GET /items HTTP/1.1\" 200 - via_upstream - \"-\" 0 120 3 2"
                    + " \"-\" \"curl/8.5.0\" \"4b1c\" \"catalog:8080\" \"10.244.0.15:8080\" inbound|8080|| 127.0.0.6:41234"
                    + " 10.244.0.15:8080 10.244.0.16:51230 outbound_.8080_._.catalog.default.svc.cluster.local default";
    static final String LISTENER_JSON = "{\"connection_termination_details\":null,\"downstream_local_address\":"
            + "\"10.244.0.15:8080\",\"downstream_local_uri_san\":null,\"downstream_remote_address\":\"10.20.0.21:51234\","
            + "\"downstream_transport_failure_reason\":\"TLS_error:|268435648:SSL_routines:OPENSSL_internal:"
            + "PEER_DID_NOT_RETURN_A_CERTIFICATE:TLS_error_end\",\"duration\":1,\"requested_server_name\":"
            + "\"outbound_.8080_._.catalog.default.svc.cluster.local\",\"response_flags\":\"-\",\"start_time\":"
            + "\"2026-11-28T10:00:00.200Z\"}";
    static final String TEXT_NR =
            "[2026-11-28T10:00:00.300Z] \"- - -\" 0 NR filter_chain_not_found - \"-\" 0 0 0 - \"-\""
                    + " \"-\" \"-\" \"-\" \"-\" - - 10.244.0.15:8080 10.244.0.17:40000 unknown.sni.example -";
    static final String AGENT = "2026-11-28T10:00:00.400000Z\tinfo\txdsproxy\tconnected to upstream XDS server: "
            + "istiod.istio-system.svc:15012";

    final List<MeshEvent> published = new CopyOnWriteArrayList<>();
    final EventPublisher capture = e -> {
        published.add(e);
        return CompletableFuture.completedFuture(null);
    };

    /** The listener log's json_format of the shipped EnvoyFilter (deploy/mesh/istio). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> envoyFilterListenerFormat() throws Exception {
        Path ef = Path.of("..", "deploy", "mesh", "istio", "30-envoyfilter-listener-tls-failures.yaml");
        Map<String, Object> doc = new Yaml().load(Files.readString(ef));
        Map<String, Object> patch = (Map<String, Object>)
                ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec")).get("configPatches"))
                        .get(0)
                        .get("patch");
        Map<String, Object> log =
                ((List<Map<String, Object>>) ((Map<String, Object>) patch.get("value")).get("access_log")).get(0);
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) log.get("typed_config")).get("log_format"))
                        .get("json_format");
    }

    List<MeshEvent> run(FormatChain formats, CollectorMetrics metrics) throws Exception {
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"), new EventOutlet(e -> e, capture, metrics))
                .formats(formats)
                .build();
        SourceContext ctx = new SourceContext(
                "istio-east",
                MeshKind.ISTIO,
                "east",
                SourceKind.ACCESS_LOG,
                "file:/var/log/pods/default_catalog-7d9c6b5f4-x2x9q_0f3c/istio-proxy/0.log");
        long pos = 0;
        for (String line : List.of(TEXT_OK, LISTENER_JSON, TEXT_NR, AGENT)) {
            p.process(ctx, pos, line, null, null, "istio-proxy/0.log");
            pos += line.length() + 1;
        }
        return published;
    }

    @Test
    void oneStdoutWithTheAccessLogAndTheListenerLogIsReadWithAListOfFormats() throws Exception {
        Object configured = List.of("istio", envoyFilterListenerFormat());
        FormatChain formats = CollectorConfig.toFormats(configured);
        assertEquals(List.of("istio", "custom-json"), formats.tags());
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        List<MeshEvent> events = run(formats, metrics);

        assertEquals(3, events.size(), "every access-log line of either format is an event");
        MeshEvent listener = events.get(1);
        assertEquals(FailureCategory.CLIENT_CERT_MISSING, listener.tls().category());
        assertEquals(ObserverRole.SERVER, listener.observerRole());
        assertEquals("outbound_.8080_._.catalog.default.svc.cluster.local", listener.requestedServerName());
        assertNull(events.get(0).tls());
        assertEquals(FailureCategory.NO_ROUTE, events.get(2).tls().category());

        assertEquals(2, metrics.count(CollectorMetrics.LINES_PARSED, "format", "istio"));
        assertEquals(1, metrics.count(CollectorMetrics.LINES_PARSED, "format", "custom-json"));
        assertEquals(
                1,
                metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "prefix_mismatch"),
                "only pilot-agent's own line fits no format");
    }

    @Test
    void autoDetectsEachLinesKindAsExplainDoes() throws Exception {
        FormatChain formats = CollectorConfig.toFormats("auto");
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        List<MeshEvent> events = run(formats, metrics);
        assertEquals(3, events.size());
        assertEquals(FailureCategory.CLIENT_CERT_MISSING, events.get(1).tls().category());
        assertEquals(2, metrics.count(CollectorMetrics.LINES_PARSED, "format", "istio"));
        assertEquals(1, metrics.count(CollectorMetrics.LINES_PARSED, "format", "envoy-json"));
        assertEquals(1, metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "prefix_mismatch"));
    }

    @Test
    void oneFormatStillDeadLettersTheOtherFormatsLines() throws Exception {
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        List<MeshEvent> events = run(CollectorConfig.toFormats("istio"), metrics);
        assertEquals(2, events.size());
        assertEquals(
                2,
                metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "prefix_mismatch"),
                "the listener line and the agent line");
        assertTrue(
                events.stream()
                        .noneMatch(e -> e.tls() != null && e.tls().category() == FailureCategory.CLIENT_CERT_MISSING),
                "the server half is lost");
    }
}
