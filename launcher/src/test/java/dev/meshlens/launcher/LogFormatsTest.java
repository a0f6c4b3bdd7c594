package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.collector.cli.Collector;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.dist.LogSetup;
import dev.meshlens.telemetry.Telemetry;
import dev.meshlens.telemetry.log.LogFormat;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The services' log formats on the launcher's runtime classpath (Log4j, the slf4j and commons-logging bridges):
 * a service asked for JSON writes one JSON object per line, its own lines, Kafka's and the Elasticsearch
 * client's alike, with {@code trace_id}/{@code span_id} while a span is current; the CLI commands stay plain
 * text whatever the environment asks for.
 */
class LogFormatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED_LINE = "[2026-11-28T10:00:00.000Z] \"GET /api/orders/1 HTTP/1.1\" 503 UF,URX"
            + " upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:"
            + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end} - \"TLS_error:|268436504:"
            + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\" 0 91 3 - \"203.0.113.7\""
            + " \"curl/8.5\" \"req-1\" \"backend.shop:8080\" \"10.0.0.5:8080\""
            + " outbound|8080||backend.shop.svc.cluster.local 10.0.0.9:40000 10.96.0.10:8080 10.0.0.9:39999 - default";

    @TempDir
    Path dir;

    private final PrintStream err = System.err;
    private final PrintStream out = System.out;

    @AfterEach
    void restore() {
        System.setErr(err);
        System.setOut(out);
        LogSetup.apply("explain", Map.of(), err); // back to text for the tests after this one
        System.clearProperty(LogFormat.PROPERTY); // (which records the choice in the property)
    }

    @Test
    void aCollectorWithJsonLogsWritesJsonLinesCarryingTheCurrentSpan() throws Exception {
        System.setProperty(LogFormat.PROPERTY, "json"); // what MESHLENS_LOG_FORMAT=json asks for
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there: Kafka's client warns, the collector spools
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("proxy.log"), FAILED_LINE + "\n");
        CollectorConfig config = CollectorConfig.parse("""
        mesh: {id: json-logs, kind: istio, cluster: east}
        sources:
          files: [{globs: ["%s/proxy.log"], format: istio}]
          checkpoint_dir: %s/cp
          poll_interval_ms: 50
        kafka: {bootstrap_servers: "127.0.0.1:%d", create_topic: false}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(logs, dir, closedPort, dir, dir), "json-logs");

        String traceId;
        String spanId;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try (OpenTelemetrySdk otel = Telemetry.start("meshlens-collector")) {
            assertTrue(LogSetup.apply("collector", Map.of(), err));
            try (Collector c = new Collector(config, otel).start()) {
                Span span = otel.getTracer("test").spanBuilder("work").startSpan();
                traceId = span.getSpanContext().getTraceId();
                spanId = span.getSpanContext().getSpanId();
                try (Scope s = span.makeCurrent()) {
                    LoggerFactory.getLogger(Collector.class).info("inside a span");
                    LogFactory.getLog("org.elasticsearch.client.RestClient").warn("from commons-logging");
                }
                span.end();
                awaitLine(buf, l -> l.contains("org.apache.kafka"), 20_000);
                awaitLine(buf, l -> l.contains("spooling"), 20_000);
            }
        } finally {
            System.setErr(err);
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String l : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
                lines.add(JSON.readTree(l)); // every line of the process is one JSON object
            }
        }
        JsonNode inside = first(lines, "message", "inside a span");
        assertEquals(traceId, inside.path("trace_id").asText());
        assertEquals(spanId, inside.path("span_id").asText());
        assertEquals(
                "dev.meshlens.collector.cli.Collector", inside.path("logger").asText());
        JsonNode es = first(lines, "message", "from commons-logging");
        assertEquals("org.elasticsearch.client.RestClient", es.path("logger").asText());
        assertEquals(traceId, es.path("trace_id").asText());
        JsonNode start = lines.stream()
                .filter(n -> n.path("message").asText().startsWith("starting collector for mesh json-logs"))
                .findFirst()
                .orElse(null);
        assertNotNull(start, "the collector's own start line");
        assertFalse(start.has("trace_id"), "no span current at start: no trace id");
        assertTrue(
                lines.stream().anyMatch(n -> n.path("logger").asText().startsWith("org.apache.kafka")),
                "Kafka's own logs in the same format");
    }

    @Test
    void cliCommandsPrintPlainTextWhateverTheEnvironmentAsks() throws Exception {
        System.setProperty(LogFormat.PROPERTY, "json");
        Path file = dir.resolve("lines.log");
        Files.writeString(file, FAILED_LINE + "\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            assertEquals(0, Main.run(new String[] {"explain", file.toString()}));
            LoggerFactory.getLogger("dev.meshlens.probe").warn("logged after a CLI command");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("TLSV1_ALERT_UNKNOWN_CA") || printed.contains("UNTRUSTED_ROOT"), printed);
        assertTrue(printed.contains("[WARN] dev.meshlens.probe - logged after a CLI command"), printed);
        assertFalse(printed.contains("\u001b"), "no escape codes: " + printed);
        for (String l : printed.split("\n")) {
            assertFalse(l.stripLeading().startsWith("{"), "no JSON line: " + l);
        }
        assertEquals(LogFormat.TEXT, LogSetup.formatFor("demo", Map.of(LogFormat.ENV, "json")));
        assertEquals(LogFormat.TEXT, LogSetup.formatFor("fix", Map.of(LogFormat.ENV, "json")));
    }

    @Test
    void anUnknownFormatStopsAServiceWithTheVariableAndTheChoicesNamed() {
        System.clearProperty(LogFormat.PROPERTY);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean ok = LogSetup.apply(
                "query-api", Map.of(LogFormat.ENV, "yaml"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertFalse(ok);
        String said = buf.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("MESHLENS_LOG_FORMAT") && said.contains("json") && said.contains("text"), said);
    }

    private static JsonNode first(List<JsonNode> lines, String field, String value) {
        return lines.stream()
                .filter(n -> n.path(field).asText().equals(value))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + field + "=" + value + " in " + lines));
    }

    private static void awaitLine(ByteArrayOutputStream buf, Predicate<String> p, long millis)
            throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            for (String l : buf.toString(StandardCharsets.UTF_8).split("\n")) {
                if (p.test(l)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("no such line within " + millis + " ms:\n" + buf.toString(StandardCharsets.UTF_8));
    }
}
