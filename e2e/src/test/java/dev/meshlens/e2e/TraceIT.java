package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.collector.cli.Collector;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.telemetry.Telemetry;
import dev.meshlens.testkit.RealServices;
import dev.meshlens.testkit.TestNames;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace from an Envoy log line through the collector, the real Kafka broker and the query API's ingest,
 * exported by both services' SDKs (configured the way {@code OTEL_*} variables configure them) to an
 * in-process OTLP/HTTP receiver that decodes {@code ExportTraceServiceRequest}s.
 */
class TraceIT {
    /** A TLS handshake failure as Istio's default text access log writes it (one failed event, no roll-up). */
    private static final String FAILED_LINE = "[2026-11-28T10:00:00.000Z] \"GET /api/orders/1 HTTP/1.1\" 503 UF,URX"
            + " upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:"
            + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end} - \"TLS_error:|268436504:"
            + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\" 0 91 3 - \"203.0.113.7\""
            + " \"curl/8.5\" \"req-1\" \"backend.shop:8080\" \"10.0.0.5:8080\""
            + " outbound|8080||backend.shop.svc.cluster.local 10.0.0.9:40000 10.96.0.10:8080 10.0.0.9:39999 - default";

    /** A span as received, with the service that sent it. */
    record Received(String service, Span span) {
        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        String attribute(String key) {
            for (KeyValue kv : span.getAttributesList()) {
                if (kv.getKey().equals(key)) {
                    return kv.getValue().hasIntValue()
                            ? Long.toString(kv.getValue().getIntValue())
                            : kv.getValue().getStringValue();
                }
            }
            return null;
        }
    }

    @TempDir
    Path dir;

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private String startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                for (ResourceSpans rs : req.getResourceSpansList()) {
                    String service = rs.getResource().getAttributesList().stream()
                            .filter(kv -> kv.getKey().equals("service.name"))
                            .map(kv -> kv.getValue().getStringValue())
                            .findFirst()
                            .orElse("?");
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        ss.getSpansList().forEach(s -> received.add(new Received(service, s)));
                    }
                }
            }
            byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces";
    }

    /** The properties OTEL_TRACES_EXPORTER=otlp, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=... would set (OTLP/HTTP by default). */
    private static Map<String, String> exportTo(String endpoint) {
        return Map.of(
                "otel.traces.exporter", "otlp",
                "otel.exporter.otlp.traces.endpoint", endpoint,
                "otel.bsp.schedule.delay", "100");
    }

    @Test
    void oneTraceFromALogLineThroughTheCollectorKafkaAndIngest() throws Exception {
        String endpoint = startReceiver();
        String bootstrap = RealServices.kafka().bootstrapServers();
        String esUrl = RealServices.elasticsearch().url();
        String mesh = TestNames.meshId("trace");
        String prefix = "trace-" + TestNames.meshId("it").toLowerCase();

        OpenTelemetrySdk queryOtel = Telemetry.start("meshlens-query-api", exportTo(endpoint));
        open.add(queryOtel);
        QueryApiConfig qconfig =
                QueryApiConfig.parse("""
        kafka:
          bootstrap_servers: %s
          group_id: %s
          events_topic_pattern: 'meshlens\\.events\\.%s'
          findings_topic: %s.findings
          dead_letter_topic: %s.deadletter
          metadata_max_age: 1s
        elasticsearch:
          urls: [%s]
          index_prefix: %s
          replicas: 0
        ingest:
          poll_timeout: 100ms
          retention_days: 0
        http:
          host: 127.0.0.1
          port: 0
        correlation:
          enabled: false
        """.formatted(bootstrap, prefix, mesh, prefix, prefix, esUrl, prefix));
        open.add(QueryApiCommand.start(qconfig, MeshlensMetrics.prometheus(), queryOtel, Clock.systemUTC()));

        Path logs = Files.createDirectories(dir.resolve("logs"));
        CollectorConfig cconfig =
                CollectorConfig.parse("""
        mesh: {id: %s, kind: istio, cluster: east}
        sources:
          files: [{globs: ["%s/proxy.log"], format: istio}]
          checkpoint_dir: %s/cp
          poll_interval_ms: 50
        kafka: {bootstrap_servers: "%s", create_topic: true, partitions: 1}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(mesh, logs, dir, bootstrap, dir, dir), "trace-it");
        OpenTelemetrySdk collectorOtel = Telemetry.start("meshlens-collector", exportTo(endpoint));
        open.add(collectorOtel);
        open.add(new Collector(cconfig, collectorOtel).start());
        Files.writeString(logs.resolve("proxy.log"), FAILED_LINE + "\n");

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Received send = null;
        Received process = null;
        while ((send == null || process == null) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            send = find("meshlens-collector", Span.SpanKind.SPAN_KIND_PRODUCER);
            process = find("meshlens-query-api", Span.SpanKind.SPAN_KIND_CONSUMER);
        }
        assertTrue(send != null && process != null, "both halves exported; received: " + received);
        String topic = TestNames.eventsTopic(mesh);

        assertEquals("send " + topic, send.span().getName());
        assertEquals("kafka", send.attribute("messaging.system"));
        assertEquals(topic, send.attribute("messaging.destination.name"));
        assertEquals("send", send.attribute("messaging.operation.type"));
        assertEquals("0", send.attribute("messaging.destination.partition.id"));
        assertEquals("0", send.attribute("messaging.kafka.offset"), "the broker's offset of the record");

        assertEquals(send.traceId(), process.traceId(), "one trace");
        assertEquals(send.spanId(), process.parentSpanId(), "ingest continues the collector's span");
        assertEquals("process " + topic, process.span().getName());
        assertEquals("process", process.attribute("messaging.operation.type"));
        assertEquals(topic, process.attribute("messaging.destination.name"));
        assertEquals("0", process.attribute("messaging.kafka.offset"));
        assertEquals(prefix, process.attribute("messaging.consumer.group.name"));
    }

    private Received find(String service, Span.SpanKind kind) {
        return received.stream()
                .filter(r -> r.service().equals(service) && r.span().getKind() == kind)
                .findFirst()
                .orElse(null);
    }
}
