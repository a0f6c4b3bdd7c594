package dev.meshlens.query.metrics;

import dev.meshlens.correlator.CorrelatorMetrics;
import dev.meshlens.events.FailureCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The query-api's metric contract (names from the team brief, shared with dashboards and alert
 * rules). One instance per process, shared by ingest, the HTTP API and the correlator. Thread-safe.
 *
 * <p>Ownership: the correlator registers its own meters ({@code meshlens.handshake.*},
 * {@link CorrelatorMetrics}) on this instance's {@link #registry()} when it runs in-process. Ingest owns the {@code meshlens.ingest.*} meters; the gauges
 * ({@code findings.open}, {@code certificate.expiration.timestamp.seconds}, {@code mesh.last.seen}) are refreshed
 * from Elasticsearch by {@code dev.meshlens.query.gauges.GaugeRefresher} (and by ingest as events
 * arrive), so every instance reports the same values after a restart.
 */
public final class MeshlensMetrics {
    public static final String FINDINGS_OPEN = "meshlens.findings.open";
    /**
     * A certificate's notAfter as Unix seconds: time left is this minus now, exact to the second (days are
     * not a base unit, and whole days would hide Istio's 24 h leaves). Labels: mesh, kind, subject.
     */
    public static final String CERTIFICATE_EXPIRATION = "meshlens.certificate.expiration.timestamp.seconds";

    public static final String INGEST_LAG_RECORDS = "meshlens.ingest.lag.records";
    public static final String INGEST_PARTITIONS = "meshlens.ingest.partitions";
    public static final String INGEST_ASSIGNED_PARTITIONS = "meshlens.ingest.assigned.partitions";
    public static final String INGEST_BULK_LATENCY = "meshlens.ingest.bulk.latency";
    public static final String INGEST_DEAD_LETTERS = "meshlens.ingest.dead.letters";
    public static final String INGEST_EVENTS_INDEXED = "meshlens.ingest.events.indexed";
    public static final String MESH_LAST_SEEN = "meshlens.mesh.last.seen.timestamp.seconds";

    /** Tag value used when a side's mesh is not known (one-sided observation). */
    public static final String UNKNOWN_MESH = CorrelatorMetrics.UNKNOWN_MESH;

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final AtomicLong ingestLag = new AtomicLong();
    private final AtomicLong ingestPartitions = new AtomicLong();
    private final AtomicLong assignedPartitions = new AtomicLong();
    private final Map<String, AtomicLong> findingsOpen = new ConcurrentHashMap<>();
    private final Map<CertKey, AtomicLong> certExpiry = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> meshLastSeen = new ConcurrentHashMap<>();
    private final Timer bulkLatency;

    private record CertKey(String mesh, String kind, String subject) {}

    /** Metrics over a Prometheus registry (what {@code /metrics} scrapes). */
    public static MeshlensMetrics prometheus() {
        return new MeshlensMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** Metrics over an in-memory registry (tests of other components). */
    public static MeshlensMetrics inMemory() {
        return new MeshlensMetrics(new SimpleMeterRegistry());
    }

    public MeshlensMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prometheus = registry instanceof PrometheusMeterRegistry p ? p : null;
        Gauge.builder(INGEST_LAG_RECORDS, ingestLag, AtomicLong::doubleValue)
                .description(
                        "Records behind the end of the mesh topics: the group's committed offsets against the log end, "
                                + "summed over partitions, whoever owns them")
                .register(registry);
        Gauge.builder(INGEST_PARTITIONS, ingestPartitions, AtomicLong::doubleValue)
                .description("Partitions of the mesh topics the ingest group should own")
                .register(registry);
        Gauge.builder(INGEST_ASSIGNED_PARTITIONS, assignedPartitions, AtomicLong::doubleValue)
                .description("Mesh-topic partitions this instance's ingest consumer owns right now")
                .register(registry);
        this.bulkLatency = Timer.builder(INGEST_BULK_LATENCY)
                .description("Time for one Elasticsearch bulk request of the ingest loop")
                .publishPercentileHistogram()
                .register(registry);
        for (FailureCategory c : FailureCategory.values()) {
            openGauge(c.name());
        }
        registerKnownDeadLetterReasons();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition, or an empty string when the registry is not Prometheus. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    // ---- gauges ----

    /** Sets the number of open findings per category; categories missing from the map are set to 0. */
    public void setOpenFindings(Map<String, Long> openByCategory) {
        for (Map.Entry<String, AtomicLong> e : findingsOpen.entrySet()) {
            Long v = openByCategory.get(e.getKey());
            e.getValue().set(v == null ? 0 : v);
        }
        openByCategory.forEach((k, v) -> openGauge(k).set(v));
    }

    private AtomicLong openGauge(String category) {
        return findingsOpen.computeIfAbsent(category, c -> {
            AtomicLong a = new AtomicLong();
            Gauge.builder(FINDINGS_OPEN, a, AtomicLong::doubleValue)
                    .description("Open findings by category")
                    .tags("category", c)
                    .register(registry);
            return a;
        });
    }

    /**
     * When a certificate or root expires (its notAfter). Several certificates with the same subject (the
     * pods of one workload, an old and a new root of the same name) share a series: the caller passes the
     * soonest, the one that breaks first.
     *
     * @param kind {@code root} or {@code leaf}
     */
    public void certificateExpiration(String mesh, String kind, String subject, Instant notAfter) {
        CertKey k = new CertKey(mesh(mesh), kind, subject == null ? "" : subject);
        certExpiry
                .computeIfAbsent(k, key -> {
                    AtomicLong a = new AtomicLong();
                    Gauge.builder(CERTIFICATE_EXPIRATION, a, AtomicLong::doubleValue)
                            .description("When a certificate or trusted root expires (notAfter, Unix seconds), by mesh")
                            .tags("mesh", key.mesh(), "kind", key.kind(), "subject", key.subject())
                            .register(registry);
                    return a;
                })
                .set(notAfter.getEpochSecond());
    }

    /** Keeps only the certificate gauges of the given keys ({@link #certificateKey}); the others are removed. */
    public void retainCertificates(Set<String> meshKindSubjectKeys) {
        certExpiry.keySet().removeIf(k -> {
            boolean drop = !meshKindSubjectKeys.contains(k.mesh() + '\u0000' + k.kind() + '\u0000' + k.subject());
            if (drop) {
                registry.find(CERTIFICATE_EXPIRATION)
                        .tags("mesh", k.mesh(), "kind", k.kind(), "subject", k.subject())
                        .meters()
                        .forEach(registry::remove);
            }
            return drop;
        });
    }

    /** Key for {@link #retainCertificates}. */
    public static String certificateKey(String mesh, String kind, String subject) {
        return mesh + '\u0000' + kind + '\u0000' + (subject == null ? "" : subject);
    }

    /** Records that a mesh was seen at {@code when}; the gauge only moves forward. */
    public void meshSeen(String mesh, Instant when) {
        if (when == null) {
            return;
        }
        AtomicLong a = meshLastSeen.computeIfAbsent(mesh(mesh), m -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(MESH_LAST_SEEN, v, AtomicLong::doubleValue)
                    .description("Observed time of the newest event of a mesh, Unix seconds")
                    .tags("mesh", m)
                    .register(registry);
            return v;
        });
        a.accumulateAndGet(when.getEpochSecond(), Math::max);
    }

    // ---- ingest ----

    public void ingestLag(long records) {
        ingestLag.set(Math.max(0, records));
    }

    public long ingestLag() {
        return ingestLag.get();
    }

    /** Partitions of the mesh topics (what the group as a whole should own). */
    public void ingestPartitions(long partitions) {
        ingestPartitions.set(Math.max(0, partitions));
    }

    /** Mesh-topic partitions this instance owns. */
    public void assignedPartitions(long partitions) {
        assignedPartitions.set(Math.max(0, partitions));
    }

    public long assignedPartitions() {
        return assignedPartitions.get();
    }

    public void bulkLatency(Duration d) {
        bulkLatency.record(d);
    }

    /** Dead-letter reasons ingest itself decides (Elasticsearch rejections add rejected_<type>). */
    static final List<String> KNOWN_DEAD_LETTER_REASONS = List.of("empty", "decode", "bad_event_id", "encode");

    /** Known reasons exist at 0 from the start, so alert rules see a series before the first dead letter. */
    private void registerKnownDeadLetterReasons() {
        for (String r : KNOWN_DEAD_LETTER_REASONS) {
            deadLetterCounter(r);
        }
    }

    private Counter deadLetterCounter(String reason) {
        return Counter.builder(INGEST_DEAD_LETTERS)
                .description("Records that can never be indexed, sent to the dead-letter topic, by reason")
                .tags("reason", reason == null ? "unknown" : reason)
                .register(registry);
    }

    public void deadLetter(String reason) {
        deadLetterCounter(reason).increment();
    }

    public void eventsIndexed(String mesh, long n) {
        Counter.builder(INGEST_EVENTS_INDEXED)
                .description("Events Elasticsearch acknowledged, by mesh")
                .tags("mesh", mesh(mesh))
                .register(registry)
                .increment(n);
    }

    private static String mesh(String m) {
        return CorrelatorMetrics.mesh(m);
    }
}
