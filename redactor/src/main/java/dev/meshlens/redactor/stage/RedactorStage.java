package dev.meshlens.redactor.stage;

import dev.meshlens.events.Backoff;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.telemetry.KafkaTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka-to-Kafka redaction stage: consumes raw event JSON from a private topic, redacts each
 * event and produces it to the shared topic {@code meshlens.events.<mesh>}, exactly once: each
 * poll batch is one Kafka transaction holding the redacted records, the dead letters and the
 * consumer offsets ({@code sendOffsetsToTransaction}); the consumer reads {@code read_committed}.
 * A record that is not a valid event goes, unchanged, to the dead-letter topic with headers
 * saying why (the reason is scrubbed by the detectors); it never reaches the shared topic.
 *
 * <p>One thread drives the stage ({@link #run()} or {@link #pollOnce()}); {@link #stop()} may be
 * called from any thread.
 */
public final class RedactorStage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedactorStage.class);

    /** Dead-letter header: why the record was rejected (scrubbed). */
    public static final String HEADER_ERROR = "meshlens.error";

    public static final String HEADER_SOURCE_TOPIC = "meshlens.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "meshlens.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "meshlens.source.offset";

    private final StageConfig cfg;
    private final KafkaTracing tracing;
    private final RedactionEngine engine;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Duration poll;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counter published;
    private final Counter deadLetters;
    private final Counter errors;
    private final EventCodec codec = EventCodec.get();
    private long publishedCount;
    private long deadLetterCount;

    /**
     * Connects, subscribes and initialises the transactional producer (fencing older instances
     * with the same transactional id).
     */
    private final KafkaClientMetrics consumerMetrics;

    private final KafkaClientMetrics producerMetrics;

    public RedactorStage(StageConfig cfg, RedactionEngine engine, MeterRegistry registry) {
        this(cfg, engine, registry, OpenTelemetry.noop());
    }

    /**
     * @param otel traces each republished event: a process span continuing the trace of its input record (when
     *     it carries one) and a send span whose context travels on in the output record's headers
     */
    public RedactorStage(StageConfig cfg, RedactionEngine engine, MeterRegistry registry, OpenTelemetry otel) {
        this.tracing = new KafkaTracing(Objects.requireNonNull(otel, "otel"), "dev.meshlens.redactor.stage");
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.poll = cfg.get(StageConfig.POLL_TIMEOUT);
        Properties common = new Properties();
        common.putAll(cfg.get(StageConfig.CLIENT_PROPERTIES).forClient());
        common.put("bootstrap.servers", cfg.get(StageConfig.BOOTSTRAP_SERVERS));

        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, cfg.groupId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(cfg.get(StageConfig.MAX_POLL_RECORDS)));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, cfg.transactionalId() + "-consumer");
        Properties p = new Properties();
        p.putAll(common);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, cfg.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, cfg.transactionalId() + "-producer");

        this.consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        String mesh = cfg.mesh();
        MeterRegistry r = registry == null ? new io.micrometer.core.instrument.simple.SimpleMeterRegistry() : registry;
        // Kafka's own client metrics (kafka_consumer_*, kafka_producer_*: lag, request latency, errors)
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        this.consumerMetrics.bindTo(r);
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(r);
        this.published = Counter.builder("meshlens.redactor.records.published")
                .tag("mesh", mesh)
                .register(r);
        this.deadLetters = Counter.builder("meshlens.redactor.records.dead_lettered")
                .tag("mesh", mesh)
                .register(r);
        this.errors = Counter.builder(RedactionEngine.METRIC_ERRORS)
                .tag("mesh", mesh)
                .tag("reason", "unparseable")
                .register(r);
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(cfg.get(StageConfig.INPUT_TOPIC)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info(
                "redactor stage for mesh {}: {} -> {} (dead letters: {}), policy {} v{}",
                mesh,
                cfg.get(StageConfig.INPUT_TOPIC),
                cfg.outputTopic(),
                cfg.get(StageConfig.DEAD_LETTER_TOPIC),
                engine.policy().id(),
                engine.policy().version());
    }

    /** Polls until {@link #stop()}. Fatal Kafka errors (fenced, unauthorised) end the loop with an exception. */
    public void run() {
        while (running.get()) {
            try {
                pollOnce();
            } catch (WakeupException e) {
                if (running.get()) {
                    throw e;
                }
            }
        }
    }

    /** Asks {@link #run()} to return after the current batch. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    /**
     * One poll and, if it returned records, one transaction.
     *
     * @return number of records consumed (published + dead-lettered) and committed
     */
    public int pollOnce() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(poll);
        if (records.isEmpty()) {
            return 0;
        }
        String out = cfg.outputTopic();
        String dlq = cfg.get(StageConfig.DEAD_LETTER_TOPIC);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int ok = 0;
        int bad = 0;
        List<Span> processing = new ArrayList<>();
        try {
            producer.beginTransaction();
            for (ConsumerRecord<byte[], byte[]> rec : records) {
                offsets.put(new TopicPartition(rec.topic(), rec.partition()), new OffsetAndMetadata(rec.offset() + 1));
                MeshEvent e = null;
                String reason = null;
                if (rec.value() == null) {
                    reason = "empty record (tombstone)";
                } else {
                    try {
                        e = codec.decodeEvent(rec.value());
                    } catch (EventDecodeException | IllegalStateException | UncheckedIOException ex) {
                        reason = engine.scrub(String.valueOf(ex.getMessage()));
                    }
                }
                if (e == null) {
                    ProducerRecord<String, byte[]> dl = new ProducerRecord<>(dlq, null, rec.value());
                    dl.headers().add(HEADER_ERROR, reason.getBytes(StandardCharsets.UTF_8));
                    dl.headers().add(HEADER_SOURCE_TOPIC, rec.topic().getBytes(StandardCharsets.UTF_8));
                    dl.headers()
                            .add(
                                    HEADER_SOURCE_PARTITION,
                                    Integer.toString(rec.partition()).getBytes(StandardCharsets.UTF_8));
                    dl.headers()
                            .add(
                                    HEADER_SOURCE_OFFSET,
                                    Long.toString(rec.offset()).getBytes(StandardCharsets.UTF_8));
                    producer.send(dl);
                    bad++;
                    continue;
                }
                MeshEvent red = engine.redact(e);
                ProducerRecord<String, byte[]> pr =
                        new ProducerRecord<>(out, CorrelationKeys.joinKey(red), codec.encodeBytes(red));
                Span process = tracing.startProcess(rec, cfg.groupId());
                if (process != null) {
                    processing.add(process);
                }
                Span send = tracing.startSend(out, process);
                tracing.inject(send, pr.headers());
                producer.send(pr, (md, ex) -> {
                    if (ex == null) {
                        KafkaTracing.sent(send, md);
                    } else {
                        KafkaTracing.failed(send, ex);
                    }
                });
                ok++;
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            processing.forEach(Span::end);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException fatal) {
            LOG.error("redactor stage cannot continue: {}", fatal.toString());
            throw fatal;
        } catch (KafkaException ex) {
            processing.forEach(sp -> KafkaTracing.failed(sp, ex));
            LOG.warn("transaction aborted, batch will be retried: {}", ex.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException again) {
                LOG.warn("abort failed: {}", again.toString());
            }
            rewind(records);
            waitBeforeRetry();
            return 0;
        }
        abortWaitMs = 0;
        publishedCount += ok;
        deadLetterCount += bad;
        published.increment(ok);
        if (bad > 0) {
            deadLetters.increment(bad);
            errors.increment(bad);
            LOG.warn("{} record(s) were not valid events and went to {}", bad, dlq);
        }
        return ok + bad;
    }

    /** Jittered back-off after an aborted transaction, so a fleet of stages does not retry a broker in lockstep. */
    private final Backoff retry = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private long abortWaitMs;

    private void waitBeforeRetry() {
        abortWaitMs = abortWaitMs == 0 ? retry.firstMillis() : retry.nextMillis(abortWaitMs);
        try {
            Thread.sleep(abortWaitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> l = records.records(tp);
            if (!l.isEmpty()) {
                consumer.seek(tp, l.get(0).offset());
            }
        }
    }

    /** Records published to the shared topic so far (committed). */
    public long published() {
        return publishedCount;
    }

    /** Records sent to the dead-letter topic so far (committed). */
    public long deadLettered() {
        return deadLetterCount;
    }

    @Override
    public void close() {
        consumerMetrics.close();
        producerMetrics.close();
        running.set(false);
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("consumer close: {}", e.toString());
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("producer close: {}", e.toString());
        }
    }
}
