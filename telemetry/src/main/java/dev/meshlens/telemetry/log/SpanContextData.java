package dev.meshlens.telemetry.log;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Puts {@code trace_id} and {@code span_id} of the current span into every log event's context data
 * (Log4j finds this provider through {@code META-INF/services}); the JSON layout writes them. Nothing is
 * added when no valid span is current, so lines outside a trace carry no ids.
 */
public final class SpanContextData implements ContextDataProvider {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    @Override
    public Map<String, String> supplyContextData() {
        SpanContext sc = Span.current().getSpanContext();
        if (!sc.isValid()) {
            return Map.of();
        }
        return Map.of(TRACE_ID, sc.getTraceId(), SPAN_ID, sc.getSpanId());
    }
}
