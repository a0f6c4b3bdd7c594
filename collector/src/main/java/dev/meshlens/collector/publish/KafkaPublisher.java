package dev.meshlens.collector.publish;

import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.events.Backoff;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.telemetry.KafkaTracing;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes redacted events to the mesh's topic: idempotent producer, {@code acks=all}, lz4
 * compression, key = {@link CorrelationKeys#joinKey}, W3C {@code traceparent} header. When the broker
 * is unreachable (send blocked or failed), events go to a bounded {@link DiskSpool}; while the spool is
 * not empty every new event is appended behind it, so order is kept, and a drainer replays it when
 * the broker is back. In-flight sends are bounded; a full bound or a full spool blocks the caller
 * (back-pressure to sources instead of memory growth).
 *
 * <p>The one promise: a future from {@link #publish} completes normally only when its event is
 * acknowledged by Kafka or fsynced in the spool. An event the spool cannot take (at its bound, or the
 * disk said "No space left on device") is never dropped: it waits in memory, in order, and every
 * caller blocks until the spool has room again or the broker takes the waiting events directly. The
 * in-memory queue is bounded by the in-flight bound (only sends that were already in flight when the
 * broker failed can land there without their caller waiting). A future fails only when durability was
 * lost (a failed fsync, or close with events still waiting); the source then reads those lines again.
 */
public final class KafkaPublisher implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic the mesh topic, e.g. {@code meshlens.events.<mesh-id>}
     * @param spoolDir spool folder
     * @param spoolMaxBytes spool bound
     * @param maxInFlight bound on unacknowledged direct sends
     * @param deliveryTimeout how long one send may take before the event is spooled
     * @param createTopic create the topic at start when missing (partitions, replication factor)
     * @param partitions partitions for a created topic
     * @param replicationFactor replication factor for a created topic
     * @param producerOverrides extra producer properties (security settings, …)
     * @param spoolMinFreeBytes what the spool leaves free on its filesystem
     */
    public record Options(
            String bootstrapServers,
            String topic,
            Path spoolDir,
            long spoolMaxBytes,
            int maxInFlight,
            Duration deliveryTimeout,
            boolean createTopic,
            int partitions,
            short replicationFactor,
            Map<String, String> producerOverrides,
            long spoolMinFreeBytes) {
        public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
        public static final long DEFAULT_SPOOL_MAX_BYTES = 512L * 1024 * 1024;
        public static final long DEFAULT_SPOOL_MIN_FREE_BYTES = DiskSpool.DEFAULT_MIN_FREE_BYTES;

        /** Options that leave the default free space on the spool's filesystem. */
        public Options(
                String bootstrapServers,
                String topic,
                Path spoolDir,
                long spoolMaxBytes,
                int maxInFlight,
                Duration deliveryTimeout,
                boolean createTopic,
                int partitions,
                short replicationFactor,
                Map<String, String> producerOverrides) {
            this(
                    bootstrapServers,
                    topic,
                    spoolDir,
                    spoolMaxBytes,
                    maxInFlight,
                    deliveryTimeout,
                    createTopic,
                    partitions,
                    replicationFactor,
                    producerOverrides,
                    DEFAULT_SPOOL_MIN_FREE_BYTES);
        }

        public Options {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(spoolDir, "spoolDir");
            if (maxInFlight <= 0) {
                throw new IllegalArgumentException("maxInFlight must be positive");
            }
            deliveryTimeout = deliveryTimeout == null ? Duration.ofSeconds(15) : deliveryTimeout;
            producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
        }
    }

    private final Options options;
    private final Producer<String, byte[]> producer;
    private final DiskSpool spool;
    private final CollectorMetrics metrics;
    private final Semaphore inFlight;
    /** Events bound for the spool, in publish order, that it could not take yet. */
    private final ArrayDeque<Resolved> backlog = new ArrayDeque<>();

    private final List<CompletableFuture<Void>> awaitingSync = new ArrayList<>();
    /** Signalled whenever the spool may have room again (a commit, an append of the backlog). */
    private final Object room = new Object();

    private volatile boolean spooling;
    private volatile boolean closed;
    /** Why sources are paused, or null while the spool takes events. */
    private volatile String fullReason;
    /** Set while the drainer sends the backlog straight to Kafka (the spool could not take it). */
    private boolean backlogInFlight;

    private final Thread drainer;
    private final KafkaTracing tracing;
    private final KafkaClientMetrics producerMetrics;

    public KafkaPublisher(Options options, CollectorMetrics metrics) throws IOException {
        this(options, metrics, OpenTelemetry.noop());
    }

    /** @param otel makes a send span per published event, whose context travels in the record's headers */
    public KafkaPublisher(Options options, CollectorMetrics metrics, OpenTelemetry otel) throws IOException {
        this(
                options,
                metrics,
                new KafkaProducer<>(producerProps(options), new StringSerializer(), new ByteArraySerializer()),
                null,
                otel);
        if (options.createTopic()) {
            createTopic();
        }
    }

    /**
     * With a given producer and spool filesystem: for the property test that drives broker outages and
     * full disks many times a second ({@code KafkaPublishIT} and {@code SpoolFullIT} use the real ones).
     */
    KafkaPublisher(Options options, CollectorMetrics metrics, Producer<String, byte[]> producer, SpoolDisk disk)
            throws IOException {
        this(options, metrics, producer, disk, OpenTelemetry.noop());
    }

    private KafkaPublisher(
            Options options,
            CollectorMetrics metrics,
            Producer<String, byte[]> producer,
            SpoolDisk disk,
            OpenTelemetry otel)
            throws IOException {
        this.options = options;
        this.tracing = new KafkaTracing(otel, "dev.meshlens.collector");
        this.metrics = metrics;
        this.inFlight = new Semaphore(options.maxInFlight());
        this.spool = new DiskSpool(
                options.spoolDir(), options.spoolMaxBytes(), 64L * 1024 * 1024, options.spoolMinFreeBytes(), disk);
        metrics.spool(spool::depth, spool::bytes, spool::limit, spool::usableSpace, () -> fullReason != null);
        this.producer = producer;
        // Kafka's own producer metrics (kafka_producer_*: request latency, retries, errors, buffer use)
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(metrics.registry());
        this.spooling = !spool.isEmpty();
        if (spooling) {
            LOG.info(
                    "spool {} holds {} events from an earlier run; replaying them first",
                    options.spoolDir(),
                    spool.depth());
        }
        this.drainer =
                Thread.ofPlatform().name("meshlens-spool-drainer").daemon(true).start(this::drainLoop);
    }

    static Properties producerProps(Options o) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        int delivery = (int) Math.max(2000, o.deliveryTimeout().toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, delivery / 3)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshlens-collector");
        p.putAll(o.producerOverrides());
        return p;
    }

    private void createTopic() {
        Map<String, Object> conf = new HashMap<>();
        for (Map.Entry<Object, Object> e : producerProps(options).entrySet()) {
            String k = e.getKey().toString();
            if (k.startsWith("security.")
                    || k.startsWith("sasl.")
                    || k.startsWith("ssl.")
                    || k.equals("bootstrap.servers")) {
                conf.put(k, e.getValue());
            }
        }
        conf.put("request.timeout.ms", "5000");
        conf.put("default.api.timeout.ms", "8000");
        try (Admin admin = Admin.create(conf)) {
            admin.createTopics(
                            List.of(new NewTopic(options.topic(), options.partitions(), options.replicationFactor())))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            LOG.info("created topic {}", options.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warn(
                        "could not create topic {}: {}",
                        options.topic(),
                        e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.warn("could not create topic {} (broker unreachable?): {}", options.topic(), e.toString());
        }
    }

    public long spoolDepth() {
        return spool.depth();
    }

    public boolean spooling() {
        return spooling;
    }

    /** Why sources are paused ("spool full: ..."), or null while the spool can take events. */
    public String spoolFull() {
        return fullReason;
    }

    @Override
    public String paused() {
        return fullReason;
    }

    @Override
    public CompletableFuture<Void> publish(MeshEvent event) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("publisher is closed");
        }
        long t0 = System.nanoTime();
        String key = CorrelationKeys.joinKey(event);
        byte[] value = EventCodec.get().encodeBytes(event);
        Span span = tracing.startSend(options.topic());
        String traceparent = tracing.traceparent(span);
        DiskSpool.Record rec = new DiskSpool.Record(key, value, traceparent);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (spooling) {
            span.end();
            awaitRoom(rec.spoolBytes());
            resolve(sequence.getAndIncrement(), rec, done);
            flushBacklog();
            return done;
        }
        inFlight.acquire();
        long seq = sequence.getAndIncrement();
        try {
            producer.send(record(rec), (md, ex) -> {
                inFlight.release();
                if (ex == null) {
                    metrics.publishLatency().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    KafkaTracing.sent(span, md);
                    resolve(seq, null, null);
                    done.complete(null);
                } else {
                    KafkaTracing.failed(span, ex);
                    enterSpooling(ex);
                    resolve(seq, rec, done); // on the producer's I/O thread: queue only, the drainer writes
                }
            });
        } catch (RuntimeException e) {
            inFlight.release();
            KafkaTracing.failed(span, e);
            enterSpooling(e);
            resolve(seq, rec, done);
            flushBacklog();
        }
        return done;
    }

    /**
     * Back-pressure: blocks the calling source while events wait for the spool, or while the spool
     * cannot take {@code need} more bytes. Says so once (log, metric, readiness) and once again when
     * there is room.
     */
    private void awaitRoom(long need) throws InterruptedException {
        synchronized (room) {
            while (!closed) {
                flushBacklog(); // says "full" itself when the spool refuses what waits
                clearFullIfRoom();
                boolean waiting = hasBacklog() || unresolved() > options.maxInFlight();
                if (!waiting && fullReason == null && spool.fits(need)) {
                    return;
                }
                if (!waiting && !spool.fits(need)) {
                    markFull(boundReason());
                }
                room.wait(100);
            }
        }
    }

    /** Events published but not yet in order (waiting for an earlier in-flight send to resolve). */
    private int unresolved() {
        synchronized (reorder) {
            return reorder.size();
        }
    }

    private boolean hasBacklog() {
        synchronized (backlog) {
            return !backlog.isEmpty();
        }
    }

    private String boundReason() {
        long limit = spool.limit();
        return limit < spool.maxBytes()
                ? "the spool's filesystem is nearly full (" + spool.usableSpace() + " bytes free, spool uses "
                        + spool.bytes() + " bytes)"
                : "the spool reached spool.max_bytes (" + spool.maxBytes() + " bytes)";
    }

    private void markFull(String reason) {
        if (fullReason == null) {
            fullReason = reason;
            LOG.warn(
                    "spool {} full: {}; sources paused until it has room (nothing is dropped; lines stay in their files)",
                    options.spoolDir(),
                    fullReason);
        }
    }

    /**
     * Sources resume once a tenth of the spool's bound is free again (at least 64 KiB), not at the first
     * free record, so a draining spool does not flap between full and not full.
     */
    private void clearFullIfRoom() {
        if (fullReason != null && !hasBacklog() && spool.fits(Math.max(64 * 1024, spool.limit() / 10))) {
            LOG.info(
                    "spool {} has room again ({} bytes in the spool, {} bytes free on its filesystem); sources resume",
                    options.spoolDir(),
                    spool.bytes(),
                    spool.usableSpace());
            fullReason = null;
        }
    }

    private record Resolved(DiskSpool.Record rec, CompletableFuture<Void> done) {}

    private final AtomicLong sequence = new AtomicLong();
    private final TreeMap<Long, Resolved> reorder = new TreeMap<>();
    private long nextToResolve;

    /**
     * Every published event resolves its sequence number once: acknowledged ({@code rec == null}) or
     * bound for the spool. Events bound for the spool join the backlog strictly in sequence order, so
     * events that failed while in flight land before later events (the spool keeps the order of the
     * source). Never blocks and does no I/O: it may run on the producer's I/O thread.
     */
    private void resolve(long seq, DiskSpool.Record rec, CompletableFuture<Void> done) {
        synchronized (reorder) {
            reorder.put(seq, new Resolved(rec, done));
            Resolved r;
            while ((r = reorder.remove(nextToResolve)) != null) {
                nextToResolve++;
                if (r.rec() != null) {
                    synchronized (backlog) {
                        backlog.addLast(r);
                    }
                }
            }
        }
    }

    /**
     * Appends the backlog to the spool in order until it is empty or the spool says no (at its bound, or
     * a failed write: the record stays first in line and is tried again; never skipped).
     */
    private void flushBacklog() {
        synchronized (backlog) {
            if (backlogInFlight) {
                return;
            }
            Resolved r;
            while ((r = backlog.peekFirst()) != null) {
                try {
                    if (!spool.tryAppend(r.rec())) {
                        markFull(boundReason());
                        return;
                    }
                } catch (IOException e) {
                    metrics.spoolWriteFailure();
                    markFull("cannot write to the spool: " + e.getMessage());
                    return;
                }
                backlog.removeFirst();
                synchronized (awaitingSync) {
                    awaitingSync.add(r.done());
                }
            }
        }
    }

    private ProducerRecord<String, byte[]> record(DiskSpool.Record r) {
        ProducerRecord<String, byte[]> pr = new ProducerRecord<>(options.topic(), r.key(), r.value());
        if (r.traceparent() != null) {
            pr.headers().add(KafkaTracing.TRACEPARENT, r.traceparent().getBytes(StandardCharsets.US_ASCII));
        }
        return pr;
    }

    private void enterSpooling(Throwable cause) {
        if (!spooling) {
            LOG.warn(
                    "Kafka unreachable ({}); spooling events to {} (spool depth {})",
                    cause.toString(),
                    options.spoolDir(),
                    spool.depth());
        }
        spooling = true;
    }

    /**
     * Forces the spool and completes the futures of everything appended so far (group commit). When the
     * force fails, those events may not be on disk: their futures fail, so their sources send them again.
     */
    private void syncSpool() {
        List<CompletableFuture<Void>> batch;
        synchronized (awaitingSync) {
            if (awaitingSync.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(awaitingSync);
            awaitingSync.clear();
        }
        try {
            spool.sync();
            batch.forEach(f -> f.complete(null));
        } catch (IOException e) {
            LOG.error(
                    "cannot force the spool {} to disk ({}); {} events will be read again from their sources",
                    options.spoolDir(),
                    e.toString(),
                    batch.size());
            metrics.notDurable("spool_sync_failed", batch.size());
            batch.forEach(f -> f.completeExceptionally(e));
        }
    }

    private void drainLoop() {
        // Retry no slower than a send may take, so a broker that is back is used within one delivery timeout;
        // jittered, so a fleet of collectors does not reconnect in lockstep after an outage.
        Backoff backoff = new Backoff(
                Duration.ofMillis(
                        Math.min(200, Math.max(20, options.deliveryTimeout().toMillis()))),
                Duration.ofMillis(
                        Math.min(5000, Math.max(20, options.deliveryTimeout().toMillis()))));
        long backoffMs = backoff.firstMillis();
        while (!closed) {
            try {
                flushBacklog();
                syncSpool();
                clearFullIfRoom();
                wakeWaiters();
                boolean backlogWaiting = hasBacklog();
                if (spool.isEmpty() && !backlogWaiting) {
                    if (spooling) {
                        spooling = false;
                        if (fullReason != null) {
                            LOG.info("spool {} drained; sources resume", options.spoolDir());
                            fullReason = null; // nothing waits: events go to Kafka directly, whatever the disk holds
                        }
                        LOG.info("spool drained (spool depth 0); publishing directly again");
                    }
                    Thread.sleep(20);
                    continue;
                }
                spooling = true; // something waits: new events queue behind it
                List<DiskSpool.Entry> batch = spool.peek(500);
                int progress;
                boolean complete;
                if (batch.isEmpty()) {
                    // The spool is empty but could not take the backlog (its disk is full): nothing is ahead of
                    // the backlog, so it may go to Kafka directly.
                    int[] sent = replayBacklog();
                    progress = sent[0];
                    complete = sent[1] == 1;
                } else {
                    progress = replay(batch);
                    if (progress > 0) {
                        spool.commit(batch.get(progress - 1), progress);
                    }
                    complete = progress == batch.size();
                }
                if (progress > 0) {
                    backoffMs = backoff.firstMillis(); // progress resets the back-off
                    wakeWaiters();
                }
                if (!complete) {
                    Thread.sleep(backoffMs);
                    backoffMs = backoff.nextMillis(backoffMs);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("spool drain failed: {}", e.toString());
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = backoff.nextMillis(backoffMs);
            }
        }
    }

    private void wakeWaiters() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    /**
     * Sends up to 500 backlog events to Kafka in order and waits for them; acknowledged ones leave the
     * backlog with their futures completed. Returns {events acknowledged, 1 when all sent were}.
     */
    private int[] replayBacklog() throws InterruptedException {
        List<Resolved> batch = new ArrayList<>();
        synchronized (backlog) {
            for (Resolved r : backlog) {
                if (batch.size() == 500) {
                    break;
                }
                batch.add(r);
            }
            backlogInFlight = true;
        }
        try {
            List<DiskSpool.Record> recs = batch.stream().map(Resolved::rec).toList();
            int ok = sendInOrder(recs, null);
            synchronized (backlog) {
                for (int i = 0; i < ok; i++) {
                    backlog.removeFirst().done().complete(null);
                }
            }
            return new int[] {ok, ok == batch.size() ? 1 : 0};
        } finally {
            synchronized (backlog) {
                backlogInFlight = false;
            }
        }
    }

    /** Spool entries acknowledged by Kafka beyond the committed prefix: never sent twice. */
    private final Set<String> acknowledgedAhead = new HashSet<>();

    /** Replays spool entries in order; returns how many leading entries are acknowledged. */
    private int replay(List<DiskSpool.Entry> batch) throws InterruptedException {
        List<DiskSpool.Record> recs =
                batch.stream().map(DiskSpool.Entry::record).toList();
        List<String> ids =
                batch.stream().map(e -> e.segment() + ":" + e.nextPosition()).toList();
        return sendInOrder(recs, ids);
    }

    /**
     * Sends records in order and waits for every send (each is bounded by the delivery timeout); returns
     * how many leading records are acknowledged. With {@code ids}, records acknowledged after a failed
     * one are remembered and not sent again on the next attempt, so a partial failure does not
     * duplicate them.
     */
    private int sendInOrder(List<DiskSpool.Record> recs, List<String> ids) throws InterruptedException {
        List<Future<RecordMetadata>> futures = new ArrayList<>(recs.size());
        for (int i = 0; i < recs.size(); i++) {
            if (ids != null && acknowledgedAhead.contains(ids.get(i))) {
                futures.add(null);
                continue;
            }
            try {
                Future<RecordMetadata> f = producer.send(record(recs.get(i)));
                futures.add(f);
                if (f.isDone()) {
                    try {
                        f.get();
                    } catch (ExecutionException failed) {
                        break; // failed at once (no metadata): do not send later records ahead of it
                    }
                }
            } catch (RuntimeException ex) {
                // e.g. no metadata yet: stop here so later records are not sent ahead of this one
                LOG.debug("replay send failed: {}", ex.toString());
                futures.add(CompletableFuture.failedFuture(ex));
                break;
            }
        }
        int ok = 0;
        boolean prefix = true;
        for (int i = 0; i < futures.size(); i++) {
            Future<RecordMetadata> f = futures.get(i);
            boolean acked;
            if (f == null) {
                acked = true;
            } else {
                try {
                    f.get(options.deliveryTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
                    acked = true;
                } catch (ExecutionException | TimeoutException e) {
                    acked = false;
                }
            }
            String id = ids == null ? null : ids.get(i);
            if (acked && prefix) {
                ok++;
                if (id != null) {
                    acknowledgedAhead.remove(id);
                }
            } else if (acked) {
                if (id != null) {
                    acknowledgedAhead.add(id);
                }
            } else {
                prefix = false;
            }
        }
        return ok;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            producer.flush();
        } catch (RuntimeException e) {
            LOG.warn("flush on close failed: {}", e.toString());
        }
        closed = true;
        wakeWaiters();
        drainer.interrupt();
        try {
            drainer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushBacklog();
        syncSpool();
        producer.close(Duration.ofSeconds(5));
        producerMetrics.close();
        List<Resolved> left;
        synchronized (backlog) {
            left = new ArrayList<>(backlog);
            backlog.clear();
        }
        if (!left.isEmpty()) {
            // Not durable anywhere: their sources must send them again (a file source re-reads from its
            // checkpoint, which never passed them).
            LOG.warn(
                    "closing with {} events that neither Kafka nor the spool holds; their sources will send them again",
                    left.size());
            metrics.notDurable("closed", left.size());
            IOException gone = new IOException("publisher closed before the event was durable");
            left.forEach(r -> r.done().completeExceptionally(gone));
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.warn("closing spool: {}", e.toString());
        }
    }
}
