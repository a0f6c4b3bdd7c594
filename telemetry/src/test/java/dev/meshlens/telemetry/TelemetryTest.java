package dev.meshlens.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    @Test
    void byDefaultSpansArePropagatedButNotExported() {
        try (OpenTelemetrySdk sdk = Telemetry.start("meshlens-test")) {
            Span s = sdk.getTracer("t").spanBuilder("x").startSpan();
            assertTrue(s.getSpanContext().isValid(), s.getSpanContext().toString());
            assertTrue(s.getSpanContext().isSampled());
            s.end();
            assertFalse(
                    sdk.getSdkTracerProvider().toString().contains("OtlpHttpSpanExporter"),
                    sdk.getSdkTracerProvider().toString());
            assertTrue(
                    sdk.getSdkTracerProvider().toString().contains("service.name=\"meshlens-test\""),
                    sdk.getSdkTracerProvider().toString());
        }
    }

    @Test
    void theStandardPropertiesTurnTheOtlpExporterOn() {
        try (OpenTelemetrySdk sdk = Telemetry.start(
                "meshlens-test",
                Map.of(
                        "otel.traces.exporter", "otlp", // what OTEL_TRACES_EXPORTER=otlp sets
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:9"))) {
            // OTLP/HTTP without naming the protocol: the JDK sender is the one meshlens ships
            assertTrue(
                    sdk.getSdkTracerProvider().toString().contains("OtlpHttpSpanExporter"),
                    sdk.getSdkTracerProvider().toString());
        }
    }

    @Test
    void sdkDisabledMakesNoSpans() {
        try (OpenTelemetrySdk sdk = Telemetry.start("meshlens-test", Map.of("otel.sdk.disabled", "true"))) {
            Span s = sdk.getTracer("t").spanBuilder("x").startSpan();
            assertFalse(s.getSpanContext().isValid());
        }
    }
}
