package dev.meshlens.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenTelemetry SDK of one meshlens service, configured by the standard {@code OTEL_*} environment
 * variables and {@code otel.*} system properties (the SDK's autoconfigure module reads them; see its
 * documentation for every option).
 *
 * <p>Off by default in what leaves the process: unless {@code OTEL_TRACES_EXPORTER} names an exporter
 * ({@code otlp}), spans are created, sampled and propagated in Kafka headers (so logs carry a
 * {@code trace_id} and the query API links an event to its collector) but exported nowhere. Metrics
 * and logs exporters default to {@code none}: metrics are served on {@code /metrics}, logs go to the
 * console. {@code OTEL_SDK_DISABLED=true} turns the SDK off entirely (no spans, no trace headers).
 */
public final class Telemetry {

    /**
     * Defaults below system properties and environment variables (autoconfigure's precedence). OTLP goes over
     * HTTP/protobuf (port 4318): the Java SDK's own default is gRPC, whose sender (OkHttp) meshlens does not
     * ship; the JDK's HTTP client sends OTLP/HTTP without another dependency.
     */
    static Map<String, String> defaults(String serviceName) {
        return Map.of(
                "otel.service.name", serviceName,
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.traces.exporter", "none",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none");
    }

    private Telemetry() {}

    /**
     * An SDK for the service named {@code serviceName} (the resource's {@code service.name} unless
     * {@code OTEL_SERVICE_NAME} says otherwise). Close it on stop: that flushes spans not yet exported.
     */
    public static OpenTelemetrySdk start(String serviceName) {
        return start(serviceName, Map.of());
    }

    /** With explicit properties on top of the defaults (tests; an in-process OTLP receiver). */
    public static OpenTelemetrySdk start(String serviceName, Map<String, String> properties) {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(properties, "properties");
        AutoConfiguredOpenTelemetrySdkBuilder b = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(serviceName))
                .addTracerProviderCustomizer((tracers, config) -> tracers.addSpanProcessor(PROPAGATE_ONLY))
                .disableShutdownHook();
        if (!properties.isEmpty()) {
            b.addPropertiesSupplier(() -> properties);
        }
        return b.build().getOpenTelemetrySdk();
    }

    /**
     * The SDK hands out no-op tracers when no span processor is registered (the traces exporter is
     * {@code none}); this processor, which does nothing, keeps real span contexts (trace ids in logs and in
     * Kafka headers) without exporting anything.
     */
    private static final SpanProcessor PROPAGATE_ONLY = new SpanProcessor() {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }
    };
}
