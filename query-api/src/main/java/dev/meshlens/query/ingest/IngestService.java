package dev.meshlens.query.ingest;

import dev.meshlens.correlator.CorrelatorKeys;
import dev.meshlens.events.Backoff;
import dev.meshlens.query.config.GroupMembership;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.config.QueryApiKeys;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.rollup.RollupWriter;
import dev.meshlens.query.store.ElasticStore;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingest as a whole: installs the retention policy, index templates and indices (retrying until
 * Elasticsearch answers), then runs the events loop (topic pattern) and the findings loop, and the
 * {@link LagMonitor}. Retention is Elasticsearch's own (an ILM policy). With {@code kafka.static_membership}
 * both loops join as static members ({@link GroupMembership}), so a restart gets its partitions back at
 * once instead of after the session timeout. The gauges computed from what it indexed are read-side work
 * ({@code dev.meshlens.query.gauges}), not ingest's.
 */
public final class IngestService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final QueryApiConfig config;
    private final ElasticStore store;
    private final MeshlensMetrics metrics;
    private final OpenTelemetry otel;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile IngestLoop events;
    private volatile IngestLoop findings;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile KafkaClientMetrics producerMetrics;
    private volatile LagMonitor lag;
    private volatile boolean closed;
    private volatile String state = "STARTING";
    private Thread init;

    public IngestService(
            QueryApiConfig config, ElasticStore store, MeshlensMetrics metrics, OpenTelemetry otel, Clock clock) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
        this.otel = otel;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlens-ingest-retention");
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized IngestService start() {
        // the lag is measured from the start, also while Elasticsearch is not there yet (that is when it grows)
        Properties ap = new Properties();
        ap.putAll(config.get(CorrelatorKeys.KAFKA_PROPERTIES).forClientAsStrings());
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(CorrelatorKeys.BOOTSTRAP_SERVERS));
        ap.put(AdminClientConfig.CLIENT_ID_CONFIG, config.get(QueryApiKeys.GROUP_ID) + "-lag");
        lag = new LagMonitor(
                        Admin.create(ap),
                        config.get(QueryApiKeys.GROUP_ID),
                        Pattern.compile(config.get(CorrelatorKeys.EVENTS_TOPIC_PATTERN)),
                        metrics)
                .start(config.get(QueryApiKeys.INGEST_LAG_INTERVAL));
        init = new Thread(this::initThenRun, "meshlens-ingest-init");
        init.setDaemon(true);
        init.start();
        return this;
    }

    private void initThenRun() {
        Backoff jitter = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        long backoff = jitter.firstMillis();
        while (!closed) {
            try {
                store.ensureSchema();
                break;
            } catch (Exception e) {
                state = "WAITING_FOR_ELASTICSEARCH";
                LOG.warn("cannot install index template yet ({}); retrying in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = jitter.nextMillis(backoff);
            }
        }
        if (closed) {
            return;
        }
        Properties pp = new Properties();
        pp.putAll(config.get(CorrelatorKeys.KAFKA_PROPERTIES).forClient());
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(CorrelatorKeys.BOOTSTRAP_SERVERS));
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        pp.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(QueryApiKeys.GROUP_ID) + "-deadletter");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(pp);
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(metrics.registry());
        DeadLetters dlq = new DeadLetters(producer, config.get(QueryApiKeys.DEAD_LETTER_TOPIC));
        BulkWriter writer = new BulkWriter(store.rest());
        IngestLoop.Settings s = new IngestLoop.Settings(
                config.get(QueryApiKeys.INGEST_POLL_TIMEOUT),
                config.get(QueryApiKeys.INGEST_RETRY_BACKOFF),
                config.get(QueryApiKeys.INGEST_MAX_RETRY_BACKOFF),
                config.get(QueryApiKeys.INGEST_DOCUMENT_RETRIES));
        String bootstrap = config.get(CorrelatorKeys.BOOTSTRAP_SERVERS);
        String group = config.get(QueryApiKeys.GROUP_ID);
        Duration metaAge = config.get(QueryApiKeys.METADATA_MAX_AGE);
        Optional<String> instance = GroupMembership.instanceId(
                config.get(QueryApiKeys.STATIC_MEMBERSHIP), config.get(QueryApiKeys.INSTANCE_ID));
        events = IngestLoop.builder(
                        "events",
                        new EventConverter(
                                store.names(), metrics, clock, new RollupWriter(store.rest(), store.names())),
                        writer)
                .group(bootstrap, group, consumerProperties(instance, "events"))
                .pattern(Pattern.compile(config.get(CorrelatorKeys.EVENTS_TOPIC_PATTERN)))
                .metadataMaxAge(metaAge)
                .maxBatch(config.get(QueryApiKeys.INGEST_MAX_BATCH))
                .deadLetters(dlq)
                .metrics(metrics)
                .otel(otel)
                .settings(s)
                .reportAssignment(true)
                .build()
                .start();
        findings = IngestLoop.builder("findings", new FindingConverter(store.names(), clock), writer)
                .group(bootstrap, config.kafkaNames().findingsGroup(), consumerProperties(instance, "findings"))
                .topic(config.get(CorrelatorKeys.FINDINGS_TOPIC))
                .metadataMaxAge(metaAge)
                .deadLetters(dlq)
                .metrics(metrics)
                .otel(otel)
                .settings(s)
                .build()
                .start();
        state = "RUNNING";
    }

    /**
     * {@code kafka.properties} plus, for a static member, a {@code group.instance.id} unique per instance and loop; and
     * read_committed: the findings come from an exactly-once Streams application and redacted events may come from the
     * transactional redactor stage, whose aborted records (an instance killed mid-transaction, then its work redone
     * elsewhere) must never reach Elasticsearch.
     */
    private Map<String, String> consumerProperties(Optional<String> instance, String loop) {
        Map<String, String> p =
                new HashMap<>(config.get(CorrelatorKeys.KAFKA_PROPERTIES).forClientAsStrings());
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        instance.ifPresent(id -> p.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "-" + loop));
        return p;
    }

    /** UP, PAUSED (Elasticsearch down, consumption paused), WAITING_FOR_ELASTICSEARCH, STARTING, FAILED. */
    public String state() {
        IngestLoop e = events;
        IngestLoop f = findings;
        if (e == null || f == null) {
            return state;
        }
        if (e.state() == IngestLoop.State.FAILED || f.state() == IngestLoop.State.FAILED) {
            return "FAILED";
        }
        if (e.state() == IngestLoop.State.PAUSED || f.state() == IngestLoop.State.PAUSED) {
            return "PAUSED";
        }
        return "UP";
    }

    public IngestLoop eventsLoop() {
        return events;
    }

    public IngestLoop findingsLoop() {
        return findings;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        if (init != null) {
            init.interrupt();
        }
        if (lag != null) {
            lag.close();
        }
        // both loops stop at once (each finishes and commits its acknowledged batch), then wait for each
        IngestLoop e = events;
        IngestLoop f = findings;
        if (e != null) {
            e.requestStop();
        }
        if (f != null) {
            f.requestStop();
        }
        if (e != null) {
            e.close();
        }
        if (f != null) {
            f.close();
        }
        if (producer != null) {
            producerMetrics.close();
            producer.close(Duration.ofSeconds(5));
        }
    }
}
