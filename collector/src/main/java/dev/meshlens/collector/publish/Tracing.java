package dev.meshlens.collector.publish;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context for published events. With an OpenTelemetry SDK installed (GlobalOpenTelemetry)
 * a real PRODUCER span is started; without one, a fresh sampled context is generated so the
 * {@code traceparent} header still links collector and query-api spans.
 */
public final class Tracing {
    public static final String TRACEPARENT = "traceparent";
    private static final HexFormat HEX = HexFormat.of();

    private Tracing() {}

    /** A started span for publishing one event; end it when the send completes. */
    public static Span startPublishSpan(String topic) {
        Tracer tracer = GlobalOpenTelemetry.getTracer("dev.meshlens.collector");
        Span span = tracer.spanBuilder("publish " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
        if (span.getSpanContext().isValid()) {
            return span;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String traceId = HEX.toHexDigits(r.nextLong() | 1L) + HEX.toHexDigits(r.nextLong());
        String spanId = HEX.toHexDigits(r.nextLong() | 1L);
        return Span.wrap(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()));
    }

    /** The {@code traceparent} header value of a span. */
    public static String traceparent(Span span) {
        String[] out = new String[1];
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), out, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key) && carrier != null) {
                carrier[0] = value;
            }
        });
        return out[0];
    }
}
