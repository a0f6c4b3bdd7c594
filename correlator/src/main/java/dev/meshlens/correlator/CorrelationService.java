package dev.meshlens.correlator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the correlation topology as a Kafka Streams application. Create it with a config and the meter
 * registry its meters go to (inside the query API, the query API's registry: one {@code /metrics} for both);
 * {@link #start()} creates
 * the findings, inventory and loop topics when missing, waits until the brokers show them
 * ({@link CorrelatorTopics}) and starts the streams threads; {@link #close()}
 * stops them. State lives in RocksDB under {@code stateDir} and in changelog topics, so a restart
 * (or a new instance taking over partitions) continues where the last one stopped.
 */
public final class CorrelationService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelationService.class);

    private final CorrelationConfig config;
    private final CorrelatorMetrics metrics;
    /**
     * How long {@link #close()} waits for the streams threads. Bounded well inside a Kubernetes grace period (30 s):
     * the default (unbounded, or the 30 s this used to wait) kept a SIGTERM waiting for a thread stuck in a
     * rebalance when no mesh topic existed yet. What a thread did not commit is processed again after the restart
     * (exactly-once: the open transaction is aborted).
     */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Kafka Streams' commit interval under exactly-once (why: {@link #streamsProperties()}). */
    static final int COMMIT_INTERVAL_MS = 100;

    private final CorrelationStats stats = new CorrelationStats();
    private final AtomicLong threadFailures = new AtomicLong();
    private final List<String> threadFailureMessages = new CopyOnWriteArrayList<>();
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    /** Where Kafka Streams' own metrics go; null without metrics. */
    private final MeterRegistry registry;

    /** The correlation's partitions: {@code correlation.partitions}, or the existing topics' (CorrelatorTopics). */
    private int partitions;

    public CorrelationService(CorrelationConfig config, MeterRegistry registry) {
        this(config, new CorrelatorMetrics(registry), registry);
    }

    /** Without metrics (tests, benchmarks). */
    public CorrelationService(CorrelationConfig config) {
        this(config, CorrelatorMetrics.none(), null);
    }

    private CorrelationService(CorrelationConfig config, CorrelatorMetrics metrics, MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = metrics;
        this.registry = registry;
        this.partitions = config.partitions();
    }

    /** The Kafka Streams properties derived from the config (extra entries win). */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        /*
         * Exactly-once: what a task writes (the repartition topic, the findings) is readable only once the thread's
         * transaction commits, and a finding takes two commits (the event's hop through the repartition topic, then
         * the finding), so the commit interval is paid twice on the way from an Envoy line to the on-call page
         * (docs/benchmarks.md, "Freshness"). 100 ms is Kafka Streams' own default under exactly-once; kafka.properties
         * commit.interval.ms overrides it.
         */
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        p.putAll(config.extra());
        return p;
    }

    public Topology topology() {
        return CorrelationTopology.build(config, metrics, stats, false, partitions);
    }

    /** Starts the application; returns once the streams threads are started (not necessarily running). */
    public synchronized CorrelationService start() {
        if (streams != null) {
            throw new IllegalStateException("already started");
        }
        Properties props = streamsProperties();
        Map<String, Object> shown = new TreeMap<>();
        props.forEach((k, v) -> shown.put(k.toString(), v));
        LOG.info("correlation starting: {} streams={}", config, shown);
        StateDirectory.requireWritable(config.stateDir());
        partitions = createTopics();
        streams = new KafkaStreams(topology(), props);
        if (registry != null) {
            // Kafka Streams' own metrics (kafka_stream_*: thread and task processing, state stores)
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
        }
        streams.setUncaughtExceptionHandler(e -> {
            threadFailures.incrementAndGet();
            threadFailureMessages.add(String.valueOf(e.getMessage()));
            LOG.error("correlation stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .REPLACE_THREAD;
        });
        streams.start();
        return this;
    }

    /** Creates the correlator's own topics; returns the partitions of the correlation tasks. */
    private int createTopics() {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        config.extra().forEach((k, v) -> {
            if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                ap.put(k, v);
            }
        });
        try (Admin admin = Admin.create(ap)) {
            return CorrelatorTopics.prepare(admin, config, Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** The streams state (CREATED, REBALANCING, RUNNING, ...), or null before start. */
    public KafkaStreams.State state() {
        return streams == null ? null : streams.state();
    }

    /** True when the application is running (for readiness). */
    public boolean isRunning() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * Entries per local state store (pending halves, findings, directory), for readiness pages and the
     * memory benchmark. Counts by iteration; use sparingly.
     */
    public Map<String, Long> stateStoreCounts() {
        Map<String, Long> out = new TreeMap<>();
        if (streams == null) {
            return out;
        }
        var windows = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                CorrelationProcessor.PENDING,
                org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>windowStore()));
        long n = 0;
        try (var it = windows.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        out.put(CorrelationProcessor.PENDING, n);
        for (String name : List.of(CorrelationProcessor.FINDINGS, CorrelationProcessor.DIRECTORY)) {
            var kv = streams.store(org.apache.kafka.streams.StoreQueryParameters.fromNameAndType(
                    name, org.apache.kafka.streams.state.QueryableStoreTypes.<String, byte[]>keyValueStore()));
            long c = 0;
            try (var it = kv.all()) {
                while (it.hasNext()) {
                    it.next();
                    c++;
                }
            }
            out.put(name, c);
        }
        return out;
    }

    public CorrelationStats stats() {
        return stats;
    }

    /** Messages of the exceptions that killed streams threads, oldest first (readiness pages, tests). */
    public List<String> threadFailureMessages() {
        return List.copyOf(threadFailureMessages);
    }

    /** How many times a streams thread died with an exception and was replaced (0 in a healthy run). */
    public long threadFailures() {
        return threadFailures.get();
    }

    public CorrelationConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
        if (streams != null) {
            long t0 = System.nanoTime();
            boolean clean = streams.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT));
            if (!clean) {
                LOG.warn(
                        "correlation streams did not stop within {} (state {}); the process exits anyway",
                        CLOSE_TIMEOUT,
                        streams.state());
            } else {
                LOG.info("correlation stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
            }
            streams = null;
        }
    }
}
