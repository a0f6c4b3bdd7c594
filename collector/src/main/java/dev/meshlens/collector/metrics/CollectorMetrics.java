package dev.meshlens.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** The collector's metrics, with the names shared with dashboards and alert rules (team brief). */
public final class CollectorMetrics {
    public static final String LINES_READ = "meshlens.collector.lines.read";
    public static final String LINES_PARSED = "meshlens.collector.lines.parsed";
    public static final String LINES_UNPARSEABLE = "meshlens.collector.lines.unparseable";
    public static final String EVENTS = "meshlens.collector.events";
    public static final String PUBLISH_LATENCY = "meshlens.collector.publish.latency";
    public static final String SPOOL_DEPTH = "meshlens.collector.spool.depth";
    public static final String SPOOL_BYTES = "meshlens.collector.spool.bytes";
    public static final String SPOOL_LIMIT = "meshlens.collector.spool.limit.bytes";
    public static final String SPOOL_FREE = "meshlens.collector.spool.filesystem.free.bytes";
    public static final String SPOOL_FULL = "meshlens.collector.spool.full";
    public static final String SPOOL_WRITE_FAILURES = "meshlens.collector.spool.write.failures";
    public static final String NOT_DURABLE = "meshlens.collector.events.not.durable";
    public static final String CHECKPOINT_LAG = "meshlens.collector.checkpoint.lag.bytes";
    public static final String CERTS_POLLS = "meshlens.collector.certs.polls";
    public static final String LAST_EVENT_TS = "meshlens.collector.last.event.timestamp.seconds";

    private final MeterRegistry registry;
    private final String mesh;
    private final Counter linesRead;
    private final Map<String, Counter> linesParsed = new ConcurrentHashMap<>();
    private final Map<String, Counter> unparseable = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    /** The counter of healthy requests ({@code none|none}), looked up once. */
    private volatile Counter healthy;

    private final Timer publishLatency;
    private final AtomicLong lastEventEpochSeconds = new AtomicLong();

    public CollectorMetrics(MeterRegistry registry, String mesh) {
        this.registry = registry;
        this.mesh = mesh;
        this.linesRead = Counter.builder(LINES_READ)
                .tag("mesh", mesh)
                .description("lines read from all sources")
                .register(registry);
        this.publishLatency = Timer.builder(PUBLISH_LATENCY)
                .tag("mesh", mesh)
                .description("time from an event's creation to its Kafka acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        // Every reason exists from the start at 0, so rate()/increase() in alert rules and dashboards
        // see a series before the first bad line instead of an absent one.
        for (dev.meshlens.collector.format.ParseStatus st : dev.meshlens.collector.format.ParseStatus.values()) {
            if (st != dev.meshlens.collector.format.ParseStatus.OK
                    && st != dev.meshlens.collector.format.ParseStatus.EMPTY) {
                unparseableCounter(st.tag());
            }
        }
        Counter.builder(dev.meshlens.redactor.RedactionEngine.METRIC_ERRORS)
                .tag("mesh", mesh)
                .tag("reason", "engine")
                .description("events published closed because redaction failed")
                .register(registry);
        Counter.builder(SPOOL_WRITE_FAILURES)
                .tag("mesh", mesh)
                .description(
                        "spool writes that failed (e.g. no space left on device); the event waits and is tried again")
                .register(registry);
        for (String reason : List.of("spool_sync_failed", "closed")) {
            notDurableCounter(reason);
        }
        Gauge.builder(LAST_EVENT_TS, lastEventEpochSeconds, AtomicLong::get)
                .tag("mesh", mesh)
                .description("wall-clock seconds of the last event produced")
                .register(registry);
    }

    /** Metrics into a throw-away registry (tests, offline tools). */
    public static CollectorMetrics noop(String mesh) {
        return new CollectorMetrics(new SimpleMeterRegistry(), mesh);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String mesh() {
        return mesh;
    }

    public void lineRead() {
        linesRead.increment();
    }

    /**
     * The counter of lines that fit the format tagged {@code format} (a source reads one format, an ordered
     * list, or detects each line's kind); creating it makes the series exist at 0.
     */
    public Counter linesParsed(String format) {
        return linesParsed.computeIfAbsent(
                format,
                f -> Counter.builder(LINES_PARSED)
                        .tag("mesh", mesh)
                        .tag("format", f)
                        .description("lines that fit a format, by format")
                        .register(registry));
    }

    public void unparseable(String reason) {
        unparseableCounter(reason).increment();
    }

    private Counter unparseableCounter(String reason) {
        return unparseable.computeIfAbsent(
                reason,
                r -> Counter.builder(LINES_UNPARSEABLE)
                        .tag("mesh", mesh)
                        .tag("reason", r)
                        .description("lines that did not fit, by reason")
                        .register(registry));
    }

    /** Counts an event; {@code category} and {@code rejectedBy} are {@code none} for events without failure. */
    public void event(String category, String rejectedBy) {
        eventCounter(category, rejectedBy).increment();
        lastEventEpochSeconds.set(System.currentTimeMillis() / 1000);
    }

    /** {@link #event} of a healthy request (no TLS failure), from a counter looked up once: it runs for most lines. */
    public void healthyEvent() {
        Counter c = healthy;
        if (c == null) {
            healthy = c = eventCounter("none", "none");
        }
        c.increment();
        lastEventEpochSeconds.set(System.currentTimeMillis() / 1000);
    }

    private Counter eventCounter(String category, String rejectedBy) {
        return events.computeIfAbsent(
                category + "|" + rejectedBy,
                k -> Counter.builder(EVENTS)
                        .tag("mesh", mesh)
                        .tag("category", category)
                        .tag("rejected_by", rejectedBy)
                        .description("events produced")
                        .register(registry));
    }

    public Timer publishLatency() {
        return publishLatency;
    }

    /** The disk spool's gauges: what it holds, its bound now, its filesystem's free space, and whether sources wait. */
    public void spool(
            LongSupplier depth, LongSupplier bytes, LongSupplier limit, LongSupplier free, BooleanSupplier full) {
        Gauge.builder(SPOOL_DEPTH, depth::getAsLong)
                .tag("mesh", mesh)
                .description("events waiting in the disk spool")
                .register(registry);
        Gauge.builder(SPOOL_BYTES, bytes::getAsLong)
                .tag("mesh", mesh)
                .description("bytes the disk spool takes")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(SPOOL_LIMIT, limit::getAsLong)
                .tag("mesh", mesh)
                .description("the spool's bound now: spool.max_bytes, or less when its filesystem is nearly full")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(SPOOL_FREE, free::getAsLong)
                .tag("mesh", mesh)
                .description("free bytes on the spool's filesystem")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(SPOOL_FULL, () -> full.getAsBoolean() ? 1 : 0)
                .tag("mesh", mesh)
                .description("1 while sources are paused because the spool cannot take more events")
                .register(registry);
    }

    /**
     * One {@code /certs} inventory poll; {@code issuers} is {@code known} when {@code /config_dump} gave the
     * chain's issuers and key ids, {@code unknown} when only {@code /certs} answered (trust cells stay unknown).
     */
    public void certsPolled(String issuers) {
        Counter.builder(CERTS_POLLS)
                .tag("mesh", mesh)
                .tag("issuers", issuers)
                .description("Envoy /certs inventory polls by whether issuer data was available")
                .register(registry)
                .increment();
    }

    /** A spool write failed; the event was kept and is tried again. */
    public void spoolWriteFailure() {
        registry.counter(SPOOL_WRITE_FAILURES, "mesh", mesh).increment();
    }

    /** Events whose durability was lost (their sources send them again); should stay 0. */
    public void notDurable(String reason, int n) {
        notDurableCounter(reason).increment(n);
    }

    private Counter notDurableCounter(String reason) {
        return Counter.builder(NOT_DURABLE)
                .tag("mesh", mesh)
                .tag("reason", reason)
                .description(
                        "events that could not be made durable (a failed spool fsync, a close with events waiting);"
                                + " file sources read them again, OTLP senders get 503 and retry")
                .register(registry);
    }

    public void checkpointLag(LongSupplier lag) {
        Gauge.builder(CHECKPOINT_LAG, lag::getAsLong)
                .tag("mesh", mesh)
                .description("bytes of followed files not yet durable")
                .register(registry);
    }

    /** Current count of a counter (tests). */
    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    static <K extends Enum<K>> Map<K, Counter> enumMap(Class<K> k) {
        return new EnumMap<>(k);
    }
}
