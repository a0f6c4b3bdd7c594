package dev.meshlens.telemetry.log;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Log4j configuration the services run with, in both formats, through slf4j and java.util.logging. */
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream err = System.err;

    @AfterEach
    void restore() {
        System.setErr(err);
        System.clearProperty(LogFormat.PROPERTY);
    }

    private String capture(LogFormat format, Runnable logging) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Logging.use(format);
            logging.run();
        } finally {
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesCarryTraceAndSpanIdsWhileASpanIsCurrent() throws Exception {
        String out;
        String traceId;
        String spanId;
        try (OpenTelemetrySdk sdk = Telemetry.start("meshlens-test")) {
            Span span = sdk.getTracer("t").spanBuilder("work").startSpan();
            traceId = span.getSpanContext().getTraceId();
            spanId = span.getSpanContext().getSpanId();
            out = capture(LogFormat.JSON, () -> {
                LoggerFactory.getLogger("dev.meshlens.test").info("outside any span");
                try (Scope s = span.makeCurrent()) {
                    LoggerFactory.getLogger("dev.meshlens.test").warn("inside {}", "a span");
                    Logger.getLogger("jul.test").warning("from java.util.logging");
                    LoggerFactory.getLogger("dev.meshlens.test").error("failed", new IllegalStateException("boom"));
                }
            });
            span.end();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                lines.add(JSON.readTree(l)); // every line parses
            }
        }
        assertEquals(4, lines.size(), String.valueOf(lines));
        assertEquals("outside any span", lines.get(0).get("message").asText());
        assertFalse(lines.get(0).has("trace_id"));
        JsonNode inside = lines.get(1);
        assertEquals("inside a span", inside.get("message").asText());
        assertEquals("WARN", inside.get("level").asText());
        assertEquals("dev.meshlens.test", inside.get("logger").asText());
        assertEquals(traceId, inside.get("trace_id").asText());
        assertEquals(spanId, inside.get("span_id").asText());
        assertEquals("from java.util.logging", lines.get(2).get("message").asText());
        assertEquals(traceId, lines.get(2).get("trace_id").asText());
        assertEquals(
                IllegalStateException.class.getName(),
                lines.get(3).get("error.type").asText());
        assertTrue(
                lines.get(3).get("error.stack_trace").asText().contains("JsonLogsTest"),
                lines.get(3).get("error.stack_trace").asText());
    }

    @Test
    void textLinesAreNeitherJsonNorColoured() {
        String out = capture(
                LogFormat.TEXT,
                () -> LoggerFactory.getLogger("dev.meshlens.test").info("plain"));
        assertTrue(out.contains("[INFO] dev.meshlens.test - plain"), out);
        assertFalse(out.contains("{"), out);
        assertFalse(out.contains("\u001b"), out);
    }
}
