package dev.meshlens.query.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes records that can never be indexed to the dead-letter topic: original key, value and
 * headers, plus {@code meshlens.dlq.reason}, {@code meshlens.dlq.detail}, {@code meshlens.dlq.source.topic},
 * {@code meshlens.dlq.source.partition}, {@code meshlens.dlq.source.offset}.
 */
public final class DeadLetters {
    public static final String H_REASON = "meshlens.dlq.reason";
    public static final String H_DETAIL = "meshlens.dlq.detail";
    public static final String H_TOPIC = "meshlens.dlq.source.topic";
    public static final String H_PARTITION = "meshlens.dlq.source.partition";
    public static final String H_OFFSET = "meshlens.dlq.source.offset";

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public DeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** One record to dead-letter with its reason (a short code) and detail. */
    public record Letter(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {}

    /** Sends all letters and waits for the broker's acknowledgement of each. */
    public void sendAll(List<Letter> letters) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Letter l : letters) {
            List<Header> headers = new ArrayList<>();
            for (Header h : l.record().headers()) {
                headers.add(h);
            }
            headers.add(h(H_REASON, l.reason()));
            headers.add(h(H_DETAIL, l.detail() == null ? "" : truncate(l.detail(), 4000)));
            headers.add(h(H_TOPIC, l.record().topic()));
            headers.add(h(H_PARTITION, Integer.toString(l.record().partition())));
            headers.add(h(H_OFFSET, Long.toString(l.record().offset())));
            acks.add(producer.send(new ProducerRecord<>(
                    topic, null, l.record().key(), l.record().value(), headers)));
        }
        for (Future<RecordMetadata> f : acks) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    private static Header h(String k, String v) {
        return new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n) + "…";
    }
}
