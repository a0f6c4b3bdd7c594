package dev.meshlens.telemetry;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaTracingTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    private OpenTelemetrySdk sdk(Sampler sampler) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setSampler(sampler)
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @Test
    void consumerSpanIsChildOfTheProducerSpanThroughRecordHeaders() {
        KafkaTracing producer = new KafkaTracing(sdk(Sampler.alwaysOn()), "test.producer");
        Span send = producer.startSend("meshlens.events.a");
        ConsumerRecord<byte[], byte[]> r =
                new ConsumerRecord<>("meshlens.events.a", 2, 41L, null, "v".getBytes(StandardCharsets.UTF_8));
        producer.inject(send, r.headers());
        KafkaTracing.sent(send, new RecordMetadata(new TopicPartition("meshlens.events.a", 2), 41L, 0, 0L, 1, 1));

        Span process = new KafkaTracing(sdk(Sampler.alwaysOn()), "test.consumer").startProcess(r, "meshlens-query-api");
        process.end();

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData p = spans.stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER)
                .findFirst()
                .orElseThrow();
        SpanData c = spans.stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER)
                .findFirst()
                .orElseThrow();
        assertEquals(p.getTraceId(), c.getTraceId());
        assertEquals(p.getSpanId(), c.getParentSpanId());
        assertEquals("send meshlens.events.a", p.getName());
        assertEquals("process meshlens.events.a", c.getName());
        assertEquals("kafka", p.getAttributes().get(AttributeKey.stringKey("messaging.system")));
        assertEquals("send", p.getAttributes().get(AttributeKey.stringKey("messaging.operation.type")));
        assertEquals("2", p.getAttributes().get(AttributeKey.stringKey("messaging.destination.partition.id")));
        assertEquals(41L, p.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
        assertEquals("process", c.getAttributes().get(AttributeKey.stringKey("messaging.operation.type")));
        assertEquals(
                "meshlens-query-api", c.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")));
        assertEquals(41L, c.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")));
    }

    @Test
    void aRecordWithoutTraceContextGetsNoSpan() {
        KafkaTracing consumer = new KafkaTracing(sdk(Sampler.alwaysOn()), "test.consumer");
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("t", 0, 0L, null, new byte[0]);
        assertNull(consumer.startProcess(r, "g"));
    }

    @Test
    void noSdkMeansNoHeaderAndNoInventedTraceId() {
        Span send = KafkaTracing.noop().startSend("t");
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("t", 0, 0L, null, new byte[0]);
        KafkaTracing.noop().inject(send, r.headers());
        assertNull(r.headers().lastHeader(KafkaTracing.TRACEPARENT));
        assertNull(KafkaTracing.noop().traceparent(send));
    }

    @Test
    void anUnsampledSpanStillPropagatesItsDecision() {
        KafkaTracing t = new KafkaTracing(sdk(Sampler.alwaysOff()), "test");
        Span send = t.startSend("t");
        String tp = t.traceparent(send);
        assertFalse(send.getSpanContext().isSampled());
        assertTrue(tp != null && tp.contains(send.getSpanContext().getTraceId()), tp);
        send.end();
        assertTrue(exporter.getFinishedSpanItems().isEmpty());
    }
}
