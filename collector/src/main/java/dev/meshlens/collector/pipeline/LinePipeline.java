package dev.meshlens.collector.pipeline;

import dev.meshlens.collector.classify.ProxyRole;
import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.LocalIdentity;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.ContainerUnwrapper;
import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.LineSink;
import dev.meshlens.collector.tail.TailedLine;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import io.micrometer.core.instrument.Counter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * parse → classify → event → redact → publish, for every line from every source. Misfits are
 * counted (metric reason tag) and sampled to the dead-letter file; they never stop the pipeline.
 * Thread-safe (per-thread parse buffers), so the tailer and the OTLP receiver can share one.
 */
public final class LinePipeline implements LineSink {
    private static final Logger LOG = LoggerFactory.getLogger(LinePipeline.class);

    private final FormatChain formats;
    /** lines.parsed{format} per format of the chain, by index (no lookup per line). */
    private final Counter[] parsedPerFormat;

    private final String meshId;
    private final MeshKind meshKind;
    private final String cluster;
    private final EventRedactor redactor;
    private final EventPublisher publisher;
    private final CollectorMetrics metrics;
    private final DeadLetters deadLetters;
    private final boolean publishSuccesses;
    private final boolean unwrapContainers;
    private final ThreadLocal<FormatChain.Parser> parsers;
    private LocalIdentity localIdentity;
    private SuccessRollups rollups;
    private Pattern gatewayPath;

    private static final class SourceState {
        final ContainerUnwrapper unwrapper;
        final SourceContext ctx;
        final String localUriSan;
        final ProxyRole role;

        SourceState(ContainerUnwrapper unwrapper, SourceContext ctx, String localUriSan, ProxyRole role) {
            this.unwrapper = unwrapper;
            this.ctx = ctx;
            this.localUriSan = localUriSan;
            this.role = role;
        }
    }

    public LinePipeline(
            LineFormat format,
            String meshId,
            MeshKind meshKind,
            String cluster,
            EventRedactor redactor,
            EventPublisher publisher,
            CollectorMetrics metrics,
            DeadLetters deadLetters,
            boolean publishSuccesses,
            boolean unwrapContainers) {
        this(
                FormatChain.of(format),
                meshId,
                meshKind,
                cluster,
                redactor,
                publisher,
                metrics,
                deadLetters,
                publishSuccesses,
                unwrapContainers);
    }

    /** A pipeline whose lines may be in any of several formats (an ordered list, or detected per line). */
    public LinePipeline(
            FormatChain formats,
            String meshId,
            MeshKind meshKind,
            String cluster,
            EventRedactor redactor,
            EventPublisher publisher,
            CollectorMetrics metrics,
            DeadLetters deadLetters,
            boolean publishSuccesses,
            boolean unwrapContainers) {
        this.formats = formats;
        this.meshId = meshId;
        this.meshKind = meshKind;
        this.cluster = cluster;
        this.redactor = redactor;
        this.publisher = publisher;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.publishSuccesses = publishSuccesses;
        this.unwrapContainers = unwrapContainers;
        this.parsers = ThreadLocal.withInitial(formats::newParser);
        this.parsedPerFormat = new Counter[formats.tags().size()];
        for (int i = 0; i < parsedPerFormat.length; i++) {
            parsedPerFormat[i] = metrics.linesParsed(formats.tags().get(i));
        }
    }

    @Override
    public CompletionStage<?> accept(TailedLine line) throws InterruptedException {
        metrics.lineRead();
        if (line.status() != TailedLine.Status.OK) {
            metrics.unparseable(line.status().tag());
            deadLetters.sample(
                    line.source().path(), line.offset(), line.status().tag(), line.text());
            return null;
        }
        SourceState st = (SourceState) line.source().attachment;
        if (st == null || !st.ctx.sourceIdentity().equals(line.source().identity())) {
            st = new SourceState(
                    new ContainerUnwrapper(),
                    new SourceContext(
                            meshId,
                            meshKind,
                            cluster,
                            SourceKind.ACCESS_LOG,
                            line.source().identity()),
                    localIdentity == null
                            ? null
                            : localIdentity.resolve(line.source().path()),
                    ProxyRole.fromPath(gatewayPath, line.source().path()));
            line.source().attachment = st;
        }
        String text = line.text();
        Instant runtimeTime = null;
        if (unwrapContainers) {
            ContainerUnwrapper.Unwrapped u = st.unwrapper.unwrap(text);
            if (u.line() == null) {
                return null; // a partial piece, joined with the next one
            }
            text = u.line();
            runtimeTime = EventMapper.parseTime(u.runtimeTime());
        }
        return process(
                st.ctx, line.offset(), text, runtimeTime, null, line.source().path(), st.localUriSan, st.role);
    }

    /**
     * Rolls plain successful requests up into one event per interval (see {@link SuccessRollups}); null
     * publishes every success as its own event.
     */
    public LinePipeline successRollups(SuccessRollups rollups) {
        this.rollups = rollups;
        return this;
    }

    /** Names the Envoy behind each file from its path (see {@link LocalIdentity}); null turns it off. */
    public LinePipeline localIdentity(LocalIdentity identity) {
        this.localIdentity = identity;
        return this;
    }

    /**
     * Tells gateways from sidecars by the path of the file they write (a gateway when the pattern is found,
     * else a sidecar), so a sidecar's inbound {@code NR} without SNI reads as a plaintext client and a
     * gateway's stays {@code NO_ROUTE}; null: only the line decides.
     */
    public LinePipeline gatewayPaths(Pattern gatewayPath) {
        this.gatewayPath = gatewayPath;
        return this;
    }

    /**
     * Processes one line of the configured formats from any source (the OTLP receiver passes the
     * record body and attributes here). Returns when the event is durable, or null when no event is made.
     */
    public CompletableFuture<Void> process(
            SourceContext ctx,
            long position,
            String text,
            Instant fallbackTime,
            Map<String, String> extraAttributes,
            String sourceName)
            throws InterruptedException {
        return process(ctx, position, text, fallbackTime, extraAttributes, sourceName, null, ProxyRole.UNKNOWN);
    }

    private CompletableFuture<Void> process(
            SourceContext ctx,
            long position,
            String text,
            Instant fallbackTime,
            Map<String, String> extraAttributes,
            String sourceName,
            String localUriSan,
            ProxyRole role)
            throws InterruptedException {
        FormatChain.Parser parser = parsers.get();
        ParseStatus status = parser.parse(text);
        if (status != ParseStatus.OK) {
            if (status != ParseStatus.EMPTY) {
                metrics.unparseable(status.tag());
                deadLetters.sample(sourceName, position, status.tag(), text);
            }
            return null;
        }
        ParsedLine p = parser.parsed();
        parsedPerFormat[parser.matched()].increment();
        Verdict v = TlsClassifier.INSTANCE.classify(p, role);
        if (v == null && !publishSuccesses) {
            return null;
        }
        if (v == null && rollups != null) {
            CompletableFuture<Void> counted = rollUp(ctx, position, p, fallbackTime, extraAttributes, localUriSan);
            if (counted != null) {
                return counted;
            }
        }
        MeshEvent e = toEvent(ctx, position, p, v, fallbackTime, extraAttributes, localUriSan);
        if (v != null) {
            metrics.event(
                    v.failure().category().name(), v.failure().rejectedBy().wireName());
            if (!v.recognised()) {
                LOG.debug(
                        "unrecognised failure text from {}: {}",
                        sourceName,
                        v.failure().rawText());
            }
        } else {
            metrics.event("none", "none");
        }
        return publisher.publish(redactor.redact(e));
    }

    /**
     * Counts a plain successful request into its roll-up without building its event: only the request
     * that opens a group is mapped and redacted (healthy traffic is most lines, and none of it is
     * published one by one). Null when the line is not plain healthy traffic (see
     * {@link SuccessRollups#healthy}) and must go through as an event.
     */
    private CompletableFuture<Void> rollUp(
            SourceContext ctx,
            long position,
            ParsedLine p,
            Instant fallbackTime,
            Map<String, String> extraAttributes,
            String localUriSan)
            throws InterruptedException {
        long rc = p.getLong(Field.RESPONSE_CODE, -1);
        if (!SuccessRollups.healthy(rc, p.getLong(Field.BYTES_RECEIVED, -1))) {
            return null;
        }
        EventMapper.Peers peers = EventMapper.peers(p, null);
        Instant time = EventMapper.observedTime(p, fallbackTime);
        SuccessRollups.Key key = rollups.key(
                ctx.sourceIdentity(),
                peers.role(),
                peers.direction(),
                peers.local() != null ? peers.local() : localUriSan,
                peers.peer(),
                peers.cluster(),
                p.get(Field.REQUESTED_SERVER_NAME),
                p.get(Field.AUTHORITY),
                peers.tlsVersion() != null,
                rc > 0 ? (int) rc : null,
                time);
        metrics.event("none", "none");
        return rollups.add(
                key,
                time,
                position,
                () -> redactor.redact(toEvent(ctx, position, p, null, fallbackTime, extraAttributes, localUriSan)));
    }

    private static MeshEvent toEvent(
            SourceContext ctx,
            long position,
            ParsedLine p,
            Verdict v,
            Instant fallbackTime,
            Map<String, String> extraAttributes,
            String localUriSan) {
        MeshEvent e = EventMapper.toEvent(ctx, position, p, v, fallbackTime);
        if (localUriSan != null && e.localUriSan() == null) {
            e = e.toBuilder().localUriSan(localUriSan).build();
        }
        if (extraAttributes != null && !extraAttributes.isEmpty()) {
            Map<String, String> attrs = new LinkedHashMap<>(e.attributes());
            attrs.putAll(extraAttributes);
            e = e.toBuilder().attributes(attrs).build();
        }
        return e;
    }

    /** Counts an input a source could not even split into lines (an undecodable OTLP request) as unparseable. */
    public void rejected(String reason) {
        metrics.unparseable(reason);
    }

    /** Why the publisher cannot take events now (spool full), or null. */
    public String paused() {
        return publisher.paused();
    }

    /** Publishes an already built event (admin polling, trust bundles) through redaction. */
    public CompletableFuture<Void> publishEvent(MeshEvent e) throws InterruptedException {
        String cat = e.tls() == null ? "none" : e.tls().category().name();
        String rb = e.tls() == null ? "none" : e.tls().rejectedBy().wireName();
        metrics.event(cat, rb);
        return publisher.publish(redactor.redact(e));
    }
}
