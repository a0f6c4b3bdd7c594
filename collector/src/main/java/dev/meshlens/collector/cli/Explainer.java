package dev.meshlens.collector.cli;

import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.ContainerUnwrapper;
import dev.meshlens.collector.format.FormatDetector;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Explains one line at a time, offline: unwraps container runtime wrappers, detects the kind of line
 * (unless a format is given; {@link FormatDetector}, the same detection as a source's {@code auto} format),
 * parses it and classifies the failure. Not thread-safe (it keeps the
 * partial line of CRI/Docker pieces).
 */
public final class Explainer {
    /** The kinds of line {@code explain} recognises; the JSON {@code kind} field. */
    public static final List<String> KINDS = List.of(
            "istio-text",
            "istio-pre-1.9",
            "envoy-text",
            "istio-json",
            "consul-json",
            "envoy-json",
            "access-log",
            "envoy-log",
            "response-body",
            "tls-string",
            "unrecognized",
            "empty",
            "partial");

    /**
     * The explanation of one input line.
     *
     * @param kind the kind of line
     * @param wrapper {@code none}, {@code cri} or {@code docker}
     * @param format the format name used to parse it, or null
     * @param parseStatus the parse outcome for access-log lines, or null
     * @param verdict the classification, or null when the line reports no failure
     * @param event the event the collector would build (before redaction), or null
     * @param text the unwrapped line
     */
    public record Explanation(
            String kind,
            String wrapper,
            String format,
            ParseStatus parseStatus,
            Verdict verdict,
            MeshEvent event,
            String text) {}

    private final LineFormat format;
    private final ContainerUnwrapper unwrapper = new ContainerUnwrapper();
    private final FormatDetector detector = new FormatDetector();
    private final TlsClassifier classifier = TlsClassifier.INSTANCE;
    private final SourceContext ctx;
    private long lineNo;

    /** @param format the format to parse with, or null to auto-detect */
    public Explainer(LineFormat format, String sourceName) {
        this.format = format;
        this.ctx = new SourceContext(
                "explain", MeshKind.OTHER, null, SourceKind.ACCESS_LOG, sourceName == null ? "stdin" : sourceName);
    }

    public Explanation explain(String raw) {
        lineNo++;
        ContainerUnwrapper.Unwrapped u = unwrapper.unwrap(raw);
        String wrapper = u.wrapper().name().toLowerCase(Locale.ROOT);
        String line = u.line();
        if (line == null) {
            return new Explanation("partial", wrapper, null, null, null, null, raw);
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new Explanation("empty", wrapper, null, ParseStatus.EMPTY, null, null, line);
        }
        Instant runtimeTime = EventMapper.parseTime(u.runtimeTime());
        if (format != null) {
            ParsedLine p = format.newParsedLine();
            ParseStatus st = format.parse(trimmed, p);
            if (st == ParseStatus.OK) {
                return accessLog("access-log", wrapper, format, p, runtimeTime, trimmed);
            }
            Verdict v = classifier.classifyText(trimmed);
            return new Explanation(
                    v == null ? "unrecognized" : "tls-string",
                    wrapper,
                    format.name(),
                    st,
                    v,
                    textEvent(v, runtimeTime),
                    trimmed);
        }
        FormatDetector.Detection d = detector.detect(trimmed);
        if (d.accessLog()) {
            return accessLog(d.kind(), wrapper, d.parsed().format(), d.parsed(), runtimeTime, trimmed);
        }
        if (FormatDetector.ENVOY_LOG.equals(d.kind())) {
            Verdict v = classifier.classifyText(trimmed);
            return new Explanation("envoy-log", wrapper, null, null, v, textEvent(v, runtimeTime), trimmed);
        }
        Verdict v = classifier.classifyText(trimmed);
        String kind;
        if (trimmed.contains("upstream connect error or disconnect/reset before headers")
                || trimmed.startsWith("no healthy upstream")
                || trimmed.startsWith("upstream connect error")) {
            kind = "response-body";
        } else {
            kind = v == null ? "unrecognized" : "tls-string";
        }
        return new Explanation(kind, wrapper, null, null, v, textEvent(v, runtimeTime), trimmed);
    }

    private Explanation accessLog(
            String kind, String wrapper, LineFormat f, ParsedLine p, Instant runtimeTime, String text) {
        Verdict v = classifier.classify(p);
        MeshEvent e = EventMapper.toEvent(ctx, lineNo, p, v, runtimeTime != null ? runtimeTime : Instant.EPOCH);
        return new Explanation(kind, wrapper, f.name(), ParseStatus.OK, v, e, text);
    }

    private MeshEvent textEvent(Verdict v, Instant t) {
        if (v == null) {
            return null;
        }
        TlsFailure f = v.failure();
        return MeshEvent.builder()
                .eventId(EventIds.of(ctx.meshId(), ctx.sourceIdentity(), lineNo))
                .observedTime(t != null ? t : Instant.EPOCH)
                .meshId(ctx.meshId())
                .meshKind(ctx.meshKind())
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(v.observerRole())
                .tls(f)
                .build();
    }
}
