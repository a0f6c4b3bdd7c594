package dev.meshlens.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Kafka spans with the OpenTelemetry messaging semantic conventions, and the W3C trace context carried
 * in record headers ({@code traceparent}). Spans are made for published events only: healthy lines are
 * rolled up before they reach a publisher, so the hot path makes no span per line.
 *
 * <p>{@code messaging.operation.type} is {@code send} for the producer side: the conventions renamed
 * {@code publish} to {@code send} (semantic conventions 1.26), {@code process} for a consumer handling a
 * record. Span names are "{operation name} {topic}".
 */
public final class KafkaTracing {
    public static final String TRACEPARENT = "traceparent";

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    /** @param scope the instrumentation scope name (the component: {@code dev.meshlens.collector}) */
    public KafkaTracing(OpenTelemetry otel, String scope) {
        Objects.requireNonNull(otel, "otel");
        this.tracer = otel.getTracer(Objects.requireNonNull(scope, "scope"));
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /** A tracing that makes no spans and writes no headers. */
    public static KafkaTracing noop() {
        return new KafkaTracing(OpenTelemetry.noop(), "noop");
    }

    /** A started PRODUCER span for sending one record to {@code topic}, child of the current context. */
    public Span startSend(String topic) {
        return startSend(topic, null);
    }

    /**
     * A started PRODUCER span for sending one record to {@code topic}, child of {@code parent} (a process span
     * of a stage that republishes), or of the current context when null.
     */
    public Span startSend(String topic, Span parent) {
        var b = tracer.spanBuilder("send " + topic);
        if (parent != null) {
            b.setParent(Context.root().with(parent));
        }
        return b.setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, topic)
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send")
                .startSpan();
    }

    /** Ends a send span with where the broker put the record. */
    public static void sent(Span span, RecordMetadata md) {
        if (md != null) {
            span.setAttribute(PARTITION, Integer.toString(md.partition()));
            if (md.hasOffset()) {
                span.setAttribute(OFFSET, md.offset());
            }
        }
        span.end();
    }

    /** Ends a span as failed. */
    public static void failed(Span span, Throwable e) {
        span.setStatus(StatusCode.ERROR, e.toString());
        span.end();
    }

    /** The {@code traceparent} value that makes {@code span} the parent of the consumer's span, or null. */
    public String traceparent(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        String[] out = new String[1];
        propagator.inject(Context.root().with(span), out, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key) && carrier != null) {
                carrier[0] = value;
            }
        });
        return out[0];
    }

    /** Writes the context of {@code span} (traceparent, tracestate) into {@code headers}. */
    public void inject(Span span, Headers headers) {
        if (span.getSpanContext().isValid()) {
            propagator.inject(Context.root().with(span), headers, SETTER);
        }
    }

    /**
     * A started CONSUMER span for processing {@code r}, child of the producer's span when the record carries
     * its context, or null when it carries none (nothing to continue: the hot path makes no root spans).
     */
    public Span startProcess(ConsumerRecord<?, ?> r, String group) {
        if (r.headers().lastHeader(TRACEPARENT) == null) {
            return null;
        }
        Context parent = propagator.extract(Context.root(), r.headers(), GETTER);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null;
        }
        var b = tracer.spanBuilder("process " + r.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(DESTINATION, r.topic())
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(PARTITION, Integer.toString(r.partition()))
                .setAttribute(OFFSET, r.offset());
        if (group != null) {
            b.setAttribute(GROUP, group);
        }
        return b.startSpan();
    }

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.US_ASCII));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header h : carrier) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header h = carrier.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
        }
    };
}
