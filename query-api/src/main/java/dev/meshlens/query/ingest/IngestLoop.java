package dev.meshlens.query.ingest;

import dev.meshlens.events.Backoff;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.store.Documents;
import dev.meshlens.telemetry.KafkaTracing;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer on its own thread: poll a batch, convert, bulk-index, dead-letter what can never be
 * indexed, and only then commit the batch's offsets. When Elasticsearch is unreachable (or keeps
 * answering with retryable errors) every assigned partition is paused ({@link KafkaConsumer#pause})
 * and the batch is retried with backoff; consumption resumes when the batch is acknowledged, so
 * nothing is lost and nothing is skipped. Document ids make every retry and replay idempotent; the events'
 * roll-ups follow once the batch's own documents are acknowledged, only for the records that wrote theirs, and
 * carry their own guard against a second delivery ({@code RollupBatch}).
 *
 * <p>Tracing: a record carrying a W3C {@code traceparent} header gets a consumer ("process") span that
 * is a child of the collector's send span, ended when its batch is committed.
 */
public final class IngestLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);

    /** Where the loop is. */
    public enum State {
        STARTING,
        RUNNING,
        PAUSED,
        STOPPED,
        FAILED
    }

    /** Tuning of the loop. */
    public record Settings(Duration pollTimeout, Duration retryBackoff, Duration maxRetryBackoff, int documentRetries) {
        public Settings {
            Objects.requireNonNull(pollTimeout, "pollTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
            if (documentRetries < 1) {
                throw new IllegalArgumentException("documentRetries must be positive");
            }
        }

        public static final Settings DEFAULT =
                new Settings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(10), 5);
    }

    private final String name;
    private final Properties consumerProps;
    private final Pattern pattern;
    private final String topic;
    private final RecordConverter converter;
    private final BulkWriter writer;
    private final DeadLetters deadLetters;
    private final MeshlensMetrics metrics;
    private final KafkaTracing tracing;
    private final String groupId;
    private final Settings settings;
    private final boolean reportAssignment;
    private final int maxBatch;
    private static final long FILL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Bounds of a stop: the Kubernetes grace period (30 s by default) must cover the loop finishing its batch,
     * the consumer closing and the correlator closing.
     */
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong committedBatches = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong afterBatchFailures = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String lastError;
    private Thread thread;
    private boolean paused;

    private IngestLoop(Builder b) {
        if ((b.pattern == null) == (b.topic == null)) {
            throw new IllegalArgumentException("exactly one of pattern and topic must be given");
        }
        this.name = b.name;
        this.pattern = b.pattern;
        this.topic = b.topic;
        this.converter = b.converter;
        this.writer = b.writer;
        this.deadLetters = Objects.requireNonNull(b.deadLetters, "deadLetters");
        this.metrics = Objects.requireNonNull(b.metrics, "metrics");
        this.tracing = new KafkaTracing(b.otel, "dev.meshlens.query.ingest");
        this.groupId = b.groupId;
        this.settings = b.settings;
        this.reportAssignment = b.reportAssignment;
        this.maxBatch = b.maxBatch;
        Properties p = new Properties();
        p.putAll(b.extraProps);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(b.bootstrap, "bootstrap"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(b.groupId, "groupId"));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, b.groupId + "-" + name);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxBatch));
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(b.metadataMaxAge.toMillis()));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumerProps = p;
    }

    /**
     * A loop named {@code name} (thread and client id suffix) that turns records into documents with
     * {@code converter} and writes them with {@code writer}.
     */
    public static Builder builder(String name, RecordConverter converter, BulkWriter writer) {
        return new Builder(name, converter, writer);
    }

    /** How a loop is made: what it reads (a topic or a pattern) from which group, and where it reports. */
    public static final class Builder {
        private final String name;
        private final RecordConverter converter;
        private final BulkWriter writer;
        private String bootstrap;
        private String groupId;
        private Map<String, String> extraProps = Map.of();
        private Pattern pattern;
        private String topic;
        private Duration metadataMaxAge = Duration.ofMinutes(5);
        private int maxBatch = 500;
        private DeadLetters deadLetters;
        private MeshlensMetrics metrics;
        private OpenTelemetry otel = OpenTelemetry.noop();
        private Settings settings = Settings.DEFAULT;
        private boolean reportAssignment;

        private Builder(String name, RecordConverter converter, BulkWriter writer) {
            this.name = Objects.requireNonNull(name, "name");
            this.converter = Objects.requireNonNull(converter, "converter");
            this.writer = Objects.requireNonNull(writer, "writer");
        }

        /** The group that consumes, and extra client properties (security, a static member's instance id). */
        public Builder group(String bootstrap, String groupId, Map<String, String> extraProps) {
            this.bootstrap = bootstrap;
            this.groupId = groupId;
            this.extraProps = Map.copyOf(extraProps);
            return this;
        }

        /** Every topic matching {@code pattern} (the mesh topics, found as they appear). */
        public Builder pattern(Pattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** One topic. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** How soon a new topic matching the pattern is seen (the consumer's {@code metadata.max.age.ms}). */
        public Builder metadataMaxAge(Duration metadataMaxAge) {
            this.metadataMaxAge = Objects.requireNonNull(metadataMaxAge, "metadataMaxAge");
            return this;
        }

        /** Records per poll, and so per bulk request. */
        public Builder maxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** Where records that cannot become documents go. Required. */
        public Builder deadLetters(DeadLetters deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        /** Required. */
        public Builder metrics(MeshlensMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder otel(OpenTelemetry otel) {
            this.otel = Objects.requireNonNull(otel, "otel");
            return this;
        }

        public Builder settings(Settings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Whether this loop sets the assigned-partitions gauge (the events loop does; the lag itself is measured
         * by {@link LagMonitor} from the broker's view).
         */
        public Builder reportAssignment(boolean reportAssignment) {
            this.reportAssignment = reportAssignment;
            return this;
        }

        public IngestLoop build() {
            return new IngestLoop(this);
        }
    }

    /** Starts the loop on its own (platform) thread. */
    public synchronized IngestLoop start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "meshlens-ingest-" + name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public State state() {
        return state.get();
    }

    public long indexedOperations() {
        return indexed.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public long committedBatches() {
        return committedBatches.get();
    }

    /** Batches whose work after the documents (roll-ups) failed with a bug, not with Elasticsearch (logged). */
    public long afterBatchFailures() {
        return afterBatchFailures.get();
    }

    /** How many times consumption was paused because Elasticsearch was unavailable. */
    public long pauses() {
        return pauses.get();
    }

    public String lastError() {
        return lastError;
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> c = null;
        KafkaClientMetrics clientMetrics = null;
        try {
            c = new KafkaConsumer<>(consumerProps);
            clientMetrics = new KafkaClientMetrics(c);
            clientMetrics.bindTo(metrics.registry()); // kafka_consumer_*: fetch latency, lag, rebalances
            this.consumer = c;
            KafkaConsumer<byte[], byte[]> cc = c;
            ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    LOG.info("{}: partitions revoked {}", name, partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.info("{}: partitions assigned {}", name, partitions);
                    if (paused) {
                        cc.pause(partitions); // keep new partitions quiet while Elasticsearch is down
                    }
                }
            };
            if (pattern != null) {
                c.subscribe(pattern, listener);
            } else {
                c.subscribe(List.of(topic), listener);
            }
            state.set(State.RUNNING);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = c.poll(settings.pollTimeout());
                reportAssignment(c);
                if (records.isEmpty()) {
                    continue;
                }
                List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(maxBatch);
                records.forEach(list::add);
                // fill the bulk request from what the consumer already fetched (fewer, fuller requests)
                long fillUntil = System.nanoTime() + FILL_NANOS;
                while (list.size() < maxBatch && System.nanoTime() < fillUntil) {
                    ConsumerRecords<byte[], byte[]> more = c.poll(Duration.ofMillis(5));
                    if (more.isEmpty()) {
                        break;
                    }
                    more.forEach(list::add);
                }
                process(c, list);
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            if (clientMetrics != null) {
                clientMetrics.close();
            }
            closeConsumer(c);
            if (reportAssignment) {
                metrics.assignedPartitions(0);
            }
            if (state.get() != State.FAILED) {
                state.set(State.STOPPED);
            }
            stopped.countDown();
        }
    }

    /**
     * Bounded: a consumer's default close waits up to 30 s (for a coordinator that may be gone), which alone would
     * use up the grace period of a SIGTERM. What is acknowledged is committed before this point.
     */
    private void closeConsumer(KafkaConsumer<byte[], byte[]> c) {
        if (c == null) {
            return;
        }
        try {
            c.close(CloseOptions.timeout(CONSUMER_CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the consumer: {}", name, e.toString());
        }
    }

    private void fail(Exception e) {
        lastError = e.toString();
        state.set(State.FAILED);
        LOG.error("{}: ingest loop stopped: {}", name, e.toString(), e);
    }

    private void process(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> list)
            throws InterruptedException {
        List<Span> spans = new ArrayList<>();
        List<BulkOp> ops = new ArrayList<>(list.size());
        List<DeadLetters.Letter> letters = new ArrayList<>();
        Map<Integer, Span> spanByRecord = new HashMap<>();
        List<RecordConverter.Converted> converted = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = list.get(i);
            Span span = startSpan(r);
            String traceId = null;
            if (span != null) {
                spans.add(span);
                spanByRecord.put(i, span);
                SpanContext sc = span.getSpanContext();
                traceId = sc.isValid() ? sc.getTraceId() : null;
            }
            RecordConverter.Converted conv = converter.convert(r, i, traceId);
            converted.add(conv);
            if (conv.rejected()) {
                letters.add(new DeadLetters.Letter(r, conv.rejectReason(), conv.rejectDetail()));
            } else {
                ops.addAll(conv.ops());
            }
        }
        Delivered delivered = deliver(c, ops, letters, list, spanByRecord);
        afterBatch(c, list, converted, delivered);
        commit(c, list);
        for (Span s : spans) {
            s.end();
        }
    }

    /**
     * The converter's work that follows the batch's documents (the events' roll-ups), before the commit; retried
     * with consumption paused while Elasticsearch is unavailable (it is idempotent).
     */
    private void afterBatch(
            KafkaConsumer<byte[], byte[]> c,
            List<ConsumerRecord<byte[], byte[]>> batch,
            List<RecordConverter.Converted> converted,
            Delivered delivered)
            throws InterruptedException {
        BitSet wrote = wroteDocument(c, delivered);
        Backoff jitter = new Backoff(settings.retryBackoff(), settings.maxRetryBackoff());
        long backoff = jitter.firstMillis();
        while (true) {
            checkRunning();
            try {
                converter.afterBatch(batch, converted, wrote);
                break;
            } catch (IOException e) {
                enterPause(c, "Elasticsearch unavailable after the batch's documents: " + e.getMessage());
                backoff = waitPaused(c, backoff, jitter);
            } catch (RuntimeException e) {
                // a bug in derived work must not stall ingest: the documents are written, the roll-ups undercount
                afterBatchFailures.incrementAndGet();
                LOG.error("{}: work after the batch failed; its documents are indexed", name, e);
                break;
            }
        }
        leavePause(c);
    }

    /** What a delivery got acknowledged, and which of those were 409s counted as a success. */
    private record Delivered(List<BulkOp> acknowledged, List<BulkOp> conflicted) {}

    /**
     * The records whose {@code create} wrote their document: acknowledged without a conflict, or with a conflict
     * where the stored document's origin is the record itself (an earlier delivery of this batch wrote it and was
     * not committed). Another record carrying the same event id did not.
     */
    private BitSet wroteDocument(KafkaConsumer<byte[], byte[]> c, Delivered d) throws InterruptedException {
        BitSet wrote = new BitSet();
        Set<BulkOp> conflicted = Collections.newSetFromMap(new IdentityHashMap<>());
        conflicted.addAll(d.conflicted());
        List<BulkOp> ask = new ArrayList<>();
        for (BulkOp op : d.acknowledged()) {
            if (op.action() != BulkOp.Action.CREATE) {
                continue;
            }
            if (conflicted.contains(op)) {
                ask.add(op);
            } else {
                wrote.set(op.recordIndex());
            }
        }
        if (ask.isEmpty()) {
            return wrote;
        }
        Backoff jitter = new Backoff(settings.retryBackoff(), settings.maxRetryBackoff());
        long backoff = jitter.firstMillis();
        Map<String, String> stored;
        while (true) {
            checkRunning();
            try {
                stored = writer.origins(ask, Documents.INGEST_ORIGIN);
                break;
            } catch (IOException | RuntimeException e) {
                enterPause(c, "Elasticsearch unavailable: " + e.getMessage());
                backoff = waitPaused(c, backoff, jitter);
            }
        }
        for (BulkOp op : ask) {
            if (op.origin().equals(stored.get(op.index() + "/" + op.id()))) {
                wrote.set(op.recordIndex());
            }
        }
        return wrote;
    }

    /** Indexes until every operation is acknowledged or dead-lettered; pauses consumption meanwhile. */
    private Delivered deliver(
            KafkaConsumer<byte[], byte[]> c,
            List<BulkOp> ops,
            List<DeadLetters.Letter> letters,
            List<ConsumerRecord<byte[], byte[]>> batch,
            Map<Integer, Span> spans)
            throws InterruptedException {
        List<BulkOp> pending = ops;
        List<BulkOp> acknowledged = new ArrayList<>(ops.size());
        List<BulkOp> conflicted = new ArrayList<>();
        Map<String, Integer> attempts = new HashMap<>();
        Set<Integer> deadRecords = new HashSet<>();
        Backoff jitter = new Backoff(settings.retryBackoff(), settings.maxRetryBackoff());
        long backoff = jitter.firstMillis();
        while (!pending.isEmpty()) {
            checkRunning();
            BulkWriter.Result result;
            long t0 = System.nanoTime();
            try {
                result = writer.write(pending);
            } catch (Exception e) {
                enterPause(c, "Elasticsearch unavailable: " + e.getMessage());
                backoff = waitPaused(c, backoff, jitter);
                continue;
            } finally {
                metrics.bulkLatency(Duration.ofNanos(System.nanoTime() - t0));
            }
            acknowledged.addAll(result.acknowledged());
            conflicted.addAll(result.conflicted());
            for (BulkOp op : result.acknowledged()) {
                converter.acknowledged(op);
            }
            indexed.addAndGet(result.acknowledged().size());
            for (BulkWriter.Failure f : result.permanent()) {
                if (deadRecords.add(f.op().recordIndex())) {
                    letters.add(new DeadLetters.Letter(
                            batch.get(f.op().recordIndex()),
                            "rejected_" + safe(f.type()),
                            "Elasticsearch " + f.status() + " " + f.type() + ": " + f.reason()));
                }
            }
            List<BulkOp> retry = new ArrayList<>();
            boolean exhausted = false;
            for (BulkWriter.Failure f : result.retryable()) {
                if (deadRecords.contains(f.op().recordIndex())) {
                    continue;
                }
                int n = attempts.merge(f.op().index() + "/" + f.op().id(), 1, Integer::sum);
                exhausted |= n >= settings.documentRetries();
                retry.add(f.op());
            }
            pending = retry;
            if (!pending.isEmpty()) {
                BulkWriter.Failure first = result.retryable().get(0);
                String why = pending.size() + " documents failed with retryable errors (first: " + first.status() + " "
                        + first.type() + ": " + first.reason() + ")";
                if (exhausted) {
                    enterPause(c, why);
                    backoff = waitPaused(c, backoff, jitter);
                } else {
                    LOG.debug("{}: {}; retrying", name, why);
                    Thread.sleep(Math.min(backoff, 200));
                }
            }
        }
        // Dead letters are acknowledged by Kafka before the offsets are committed.
        while (!letters.isEmpty()) {
            checkRunning();
            try {
                deadLetters.sendAll(letters);
                for (DeadLetters.Letter l : letters) {
                    metrics.deadLetter(l.reason());
                    deadLettered.incrementAndGet();
                    Span s = spans.get(batch.indexOf(l.record()));
                    if (s != null) {
                        s.setStatus(StatusCode.ERROR, "dead-lettered: " + l.reason());
                    }
                    LOG.warn(
                            "{}: dead-lettered {}-{}@{}: {} ({})",
                            name,
                            l.record().topic(),
                            l.record().partition(),
                            l.record().offset(),
                            l.reason(),
                            l.detail());
                }
                letters = List.of();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                enterPause(c, "dead-letter topic unavailable: " + e.getMessage());
                backoff = waitPaused(c, backoff, jitter);
            }
        }
        leavePause(c);
        return new Delivered(acknowledged, conflicted);
    }

    private void checkRunning() {
        if (!running) {
            throw new WakeupException();
        }
    }

    private void enterPause(KafkaConsumer<byte[], byte[]> c, String why) {
        lastError = why;
        if (!paused) {
            paused = true;
            pauses.incrementAndGet();
            c.pause(c.assignment());
            state.set(State.PAUSED);
            LOG.warn("{}: pausing consumption: {}", name, why);
        }
    }

    private void leavePause(KafkaConsumer<byte[], byte[]> c) {
        if (paused) {
            paused = false;
            c.resume(c.paused());
            state.set(State.RUNNING);
            LOG.info("{}: Elasticsearch acknowledged the batch; consumption resumed", name);
        }
    }

    /** Waits while paused, polling (which returns nothing for paused partitions) to stay in the group. */
    private long waitPaused(KafkaConsumer<byte[], byte[]> c, long backoff, Backoff jitter) {
        long until = System.currentTimeMillis() + backoff;
        while (running && System.currentTimeMillis() < until) {
            c.pause(c.assignment());
            ConsumerRecords<byte[], byte[]> stray =
                    c.poll(Duration.ofMillis(Math.max(1, until - System.currentTimeMillis())));
            if (!stray.isEmpty()) {
                // Should not happen (all partitions are paused); never drop them: rewind to be read again.
                for (TopicPartition tp : stray.partitions()) {
                    c.seek(tp, stray.records(tp).get(0).offset());
                }
            }
        }
        return jitter.nextMillis(backoff); // jittered: replicas do not retry Elasticsearch in lockstep
    }

    private void commit(KafkaConsumer<byte[], byte[]> c, List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = c.assignment();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (assigned.contains(tp)) {
                offsets.merge(tp, new OffsetAndMetadata(r.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            try {
                c.commitSync(offsets);
            } catch (WakeupException e) {
                // a stop was requested while the batch was being indexed: it is acknowledged, so commit it before
                // stopping
                // (the wakeup is used up by the exception; this commit is not interrupted)
                c.commitSync(offsets);
            }
            committedBatches.incrementAndGet();
        } catch (CommitFailedException e) {
            // Partitions moved to another member mid-batch: it re-reads them; document ids make that idempotent.
            LOG.info("{}: commit skipped after a rebalance: {}", name, e.getMessage());
        }
    }

    private void reportAssignment(KafkaConsumer<byte[], byte[]> c) {
        if (reportAssignment) {
            metrics.assignedPartitions(c.assignment().size());
        }
    }

    /** A process span continuing the collector's trace, or null for a record that carries none. */
    private Span startSpan(ConsumerRecord<byte[], byte[]> r) {
        return tracing.startProcess(r, groupId);
    }

    private static String safe(String type) {
        return type == null ? "unknown" : type.replaceAll("[^a-z0-9_]", "_");
    }

    /** Waits until the loop stopped. */
    public boolean awaitStopped(Duration d) throws InterruptedException {
        return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the loop to stop without waiting: it commits what Elasticsearch acknowledged and closes its consumer. */
    public void requestStop() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void close() {
        requestStop();
        try {
            if (thread != null && !stopped.await(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: ingest loop did not stop within {}", name, STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For diagnostics. */
    public Supplier<String> describe() {
        return () -> name + " " + state.get() + (lastError == null ? "" : " (" + lastError + ")");
    }
}
