package dev.meshlens.collector.pipeline;

import dev.meshlens.collector.classify.ProxyRole;
import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.LocalIdentity;
import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.ContainerUnwrapper;
import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.tail.LineSink;
import dev.meshlens.collector.tail.SourceLines;
import dev.meshlens.collector.tail.TailSource;
import dev.meshlens.collector.tail.TailedLine;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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

    private final MeshOrigin origin;
    private final EventOutlet out;
    private final CollectorMetrics metrics;
    private final DeadLetters deadLetters;
    private final boolean publishSuccesses;
    private final boolean unwrapContainers;
    private final SuccessRollups rollups;
    private final LocalIdentity localIdentity;
    private final Pattern gatewayPath;
    private final ThreadLocal<FormatChain.Parser> parsers;
    /** Recent roll-up keys per thread, so a healthy line makes none (null without roll-ups). */
    private final ThreadLocal<SuccessRollups.Keys> rollupKeys;

    private LinePipeline(Builder b) {
        this.formats = Objects.requireNonNull(b.formats, "formats: a pipeline needs the format(s) of its lines");
        this.origin = b.origin;
        this.out = b.out;
        this.metrics = b.out.metrics();
        this.deadLetters = b.deadLetters;
        this.publishSuccesses = b.publishSuccesses;
        this.unwrapContainers = b.unwrapContainers;
        this.rollups = b.rollups;
        this.localIdentity = b.localIdentity;
        this.gatewayPath = b.gatewayPath;
        this.parsers = ThreadLocal.withInitial(formats::newParser);
        this.rollupKeys = rollups == null ? null : ThreadLocal.withInitial(rollups::newKeys);
        this.parsedPerFormat = new Counter[formats.tags().size()];
        for (int i = 0; i < parsedPerFormat.length; i++) {
            parsedPerFormat[i] = metrics.linesParsed(formats.tags().get(i));
        }
    }

    /** A pipeline for lines of {@code origin}'s mesh whose events leave through {@code out}. */
    public static Builder builder(MeshOrigin origin, EventOutlet out) {
        return new Builder(origin, out);
    }

    /** The mesh whose lines this pipeline reads. */
    public MeshOrigin origin() {
        return origin;
    }

    /**
     * A file's lines: the state that belongs to one source (its container-line joiner, the Envoy its path
     * names, sidecar or gateway) is made once here, when the tailer opens the source.
     */
    @Override
    public SourceLines open(TailSource source) {
        ContainerUnwrapper unwrapper = unwrapContainers ? new ContainerUnwrapper() : null;
        SourceContext ctx = origin.source(SourceKind.ACCESS_LOG, source.identity());
        String localUriSan = localIdentity == null ? null : localIdentity.resolve(source.path());
        ProxyRole role = ProxyRole.fromPath(gatewayPath, source.path());
        return line -> {
            metrics.lineRead();
            if (line.status() != TailedLine.Status.OK) {
                metrics.unparseable(line.status().tag());
                deadLetters.sample(
                        line.source().path(), line.offset(), line.status().tag(), line.text());
                return null;
            }
            if (line.ascii()) {
                byte[] a = line.bytes();
                int from = line.from();
                Instant runtimeTime = null;
                if (unwrapper != null) {
                    from = unwrapper.plainStart(a, from, line.to());
                    if (unwrapper.runtimeTimeEnd() >= 0) {
                        runtimeTime = EventMapper.parseTime(new String(
                                a, line.from(), unwrapper.runtimeTimeEnd() - line.from(), StandardCharsets.ISO_8859_1));
                    }
                }
                if (from >= 0) {
                    // the bytes as read, parsed in place: no String of the line unless it is set aside as a misfit
                    FormatChain.Parser parser = parsers.get();
                    ParseStatus status = parser.parseAscii(a, from, line.to());
                    if (status != ParseStatus.OK) {
                        misfit(
                                status,
                                line.source().path(),
                                line.offset(),
                                line.text().substring(from - line.from()));
                        return null;
                    }
                    return parsed(
                            parser,
                            ctx,
                            line.offset(),
                            runtimeTime,
                            null,
                            localUriSan,
                            role,
                            line.source().path());
                }
            }
            String text = line.text();
            Instant runtimeTime = null;
            if (unwrapper != null) {
                ContainerUnwrapper.Unwrapped u = unwrapper.unwrap(text);
                if (u.line() == null) {
                    return null; // a partial piece, joined with the next one
                }
                text = u.line();
                runtimeTime = EventMapper.parseTime(u.runtimeTime());
            }
            return process(
                    ctx, line.offset(), text, runtimeTime, null, line.source().path(), localUriSan, role);
        };
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
            misfit(status, sourceName, position, text);
            return null;
        }
        return parsed(parser, ctx, position, fallbackTime, extraAttributes, localUriSan, role, sourceName);
    }

    /** A line that fits none of the formats: counted and sampled (an empty line is neither). */
    private void misfit(ParseStatus status, String sourceName, long position, String text) {
        if (status != ParseStatus.EMPTY) {
            metrics.unparseable(status.tag());
            deadLetters.sample(sourceName, position, status.tag(), text);
        }
    }

    /** classify → roll up or map → redact → publish, for the line {@code parser} parsed last. */
    private CompletableFuture<Void> parsed(
            FormatChain.Parser parser,
            SourceContext ctx,
            long position,
            Instant fallbackTime,
            Map<String, String> extraAttributes,
            String localUriSan,
            ProxyRole role,
            String sourceName)
            throws InterruptedException {
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
        if (v != null && !v.recognised()) {
            LOG.debug(
                    "unrecognised failure text from {}: {}",
                    sourceName,
                    v.failure().rawText());
        }
        return out.publish(toEvent(ctx, position, p, v, fallbackTime, extraAttributes, localUriSan));
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
        SuccessRollups.Key key = rollupKeys
                .get()
                .key(
                        ctx.sourceIdentity(),
                        peers.role(),
                        peers.direction(),
                        peers.local() != null ? peers.local() : localUriSan,
                        peers.peer(),
                        peers.cluster(),
                        p.getInterned(Field.REQUESTED_SERVER_NAME),
                        p.getInterned(Field.AUTHORITY),
                        peers.tlsVersion() != null,
                        rc > 0 ? (int) rc : null,
                        time);
        out.countHealthy();
        CompletableFuture<Void> counted = rollups.count(key, time);
        if (counted != null) {
            return counted; // most lines: their group is open, nothing to build
        }
        return rollups.add(
                key,
                time,
                position,
                () -> out.redact(toEvent(ctx, position, p, null, fallbackTime, extraAttributes, localUriSan)));
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
        return out.paused();
    }

    /**
     * How a pipeline is made: the mesh and the outlet are given, the format(s) are required, everything else
     * has the default a file source of the deployed collector would want.
     */
    public static final class Builder {
        private final MeshOrigin origin;
        private final EventOutlet out;
        private FormatChain formats;
        private DeadLetters deadLetters = DeadLetters.none();
        private boolean publishSuccesses = true;
        private boolean unwrapContainers;
        private SuccessRollups rollups;
        private LocalIdentity localIdentity;
        private Pattern gatewayPath;

        private Builder(MeshOrigin origin, EventOutlet out) {
            this.origin = Objects.requireNonNull(origin, "origin");
            this.out = Objects.requireNonNull(out, "out");
        }

        /** The formats of the lines (an ordered list, or detected per line). Required. */
        public Builder formats(FormatChain formats) {
            this.formats = formats;
            return this;
        }

        /** The one format of the lines. */
        public Builder format(LineFormat format) {
            return formats(FormatChain.of(format));
        }

        /** Where misfit lines are sampled; none by default (they are counted either way). */
        public Builder deadLetters(DeadLetters deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        /** False publishes failures only; true (default) also healthy traffic, rolled up when {@link #successRollups} is set. */
        public Builder publishSuccesses(boolean publishSuccesses) {
            this.publishSuccesses = publishSuccesses;
            return this;
        }

        /** Unwraps container-runtime lines (CRI / Docker json-file) before parsing; off by default. */
        public Builder unwrapContainers(boolean unwrapContainers) {
            this.unwrapContainers = unwrapContainers;
            return this;
        }

        /**
         * Rolls plain successful requests up into one event per interval (see {@link SuccessRollups}); null
         * (default) publishes every success as its own event.
         */
        public Builder successRollups(SuccessRollups rollups) {
            this.rollups = rollups;
            return this;
        }

        /** Names the Envoy behind each file from its path (see {@link LocalIdentity}); null (default): off. */
        public Builder localIdentity(LocalIdentity localIdentity) {
            this.localIdentity = localIdentity;
            return this;
        }

        /**
         * Tells gateways from sidecars by the path of the file they write (a gateway when the pattern is found,
         * else a sidecar), so a sidecar's inbound {@code NR} without SNI reads as a plaintext client and a
         * gateway's stays {@code NO_ROUTE}; null (default): only the line decides.
         */
        public Builder gatewayPaths(Pattern gatewayPath) {
            this.gatewayPath = gatewayPath;
            return this;
        }

        public LinePipeline build() {
            return new LinePipeline(this);
        }
    }
}
