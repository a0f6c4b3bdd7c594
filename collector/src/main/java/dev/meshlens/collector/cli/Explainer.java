package dev.meshlens.collector.cli;

import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.ContainerUnwrapper;
import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.time.Instant;
import java.util.List;

/**
 * Explains one line at a time, offline: unwraps container runtime wrappers, detects the kind of line
 * (unless a format is given), parses it and classifies the failure. Not thread-safe (it keeps the
 * partial line of CRI/Docker pieces).
 */
public final class Explainer {
  /** The kinds of line {@code explain} recognises; the JSON {@code kind} field. */
  public static final List<String> KINDS = List.of("istio-text", "istio-pre-1.9", "envoy-text", "istio-json",
      "consul-json", "envoy-json", "access-log", "envoy-log", "response-body", "tls-string", "unrecognized", "empty",
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
  public record Explanation(String kind, String wrapper, String format, ParseStatus parseStatus, Verdict verdict,
      MeshEvent event, String text) {}

  private static final LineFormat[] TEXT_CANDIDATES = {Presets.ISTIO, Presets.ISTIO_PRE_1_9, Presets.ENVOY};

  private final LineFormat format;
  private final ContainerUnwrapper unwrapper = new ContainerUnwrapper();
  private final TlsClassifier classifier = TlsClassifier.INSTANCE;
  private final SourceContext ctx;
  private long lineNo;

  /** @param format the format to parse with, or null to auto-detect */
  public Explainer(LineFormat format, String sourceName) {
    this.format = format;
    this.ctx = new SourceContext("explain", MeshKind.OTHER, null, SourceKind.ACCESS_LOG,
        sourceName == null ? "stdin" : sourceName);
  }

  public Explanation explain(String raw) {
    lineNo++;
    ContainerUnwrapper.Unwrapped u = unwrapper.unwrap(raw);
    String wrapper = u.wrapper().name().toLowerCase(java.util.Locale.ROOT);
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
      return new Explanation(v == null ? "unrecognized" : "tls-string", wrapper, format.name(), st, v,
          textEvent(v, runtimeTime), trimmed);
    }
    char c0 = trimmed.charAt(0);
    if (c0 == '{') {
      ParsedLine p = Presets.GENERIC_JSON.newParsedLine();
      ParseStatus st = Presets.GENERIC_JSON.parse(trimmed, p);
      if (st == ParseStatus.OK && (!p.absent(Field.RESPONSE_CODE) || !p.absent(Field.RESPONSE_FLAGS)
          || !p.absent(Field.UPSTREAM_CLUSTER) || !p.absent(Field.START_TIME))) {
        return accessLog(jsonKind(p), wrapper, Presets.GENERIC_JSON, p, runtimeTime, trimmed);
      }
    }
    if (isEnvoyLogLine(trimmed)) {
      Verdict v = classifier.classifyText(trimmed);
      return new Explanation("envoy-log", wrapper, null, null, v, textEvent(v, runtimeTime), trimmed);
    }
    if (c0 == '[') {
      for (LineFormat f : TEXT_CANDIDATES) {
        ParsedLine p = f.newParsedLine();
        if (f.parse(trimmed, p) == ParseStatus.OK) {
          String kind = f == Presets.ISTIO ? "istio-text" : f == Presets.ISTIO_PRE_1_9 ? "istio-pre-1.9" : "envoy-text";
          return accessLog(kind, wrapper, f, p, runtimeTime, trimmed);
        }
      }
    }
    Verdict v = classifier.classifyText(trimmed);
    String kind;
    if (trimmed.contains("upstream connect error or disconnect/reset before headers")
        || trimmed.startsWith("no healthy upstream") || trimmed.startsWith("upstream connect error")) {
      kind = "response-body";
    } else {
      kind = v == null ? "unrecognized" : "tls-string";
    }
    return new Explanation(kind, wrapper, null, null, v, textEvent(v, runtimeTime), trimmed);
  }

  private Explanation accessLog(String kind, String wrapper, LineFormat f, ParsedLine p, Instant runtimeTime,
      String text) {
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

  private static String jsonKind(ParsedLine p) {
    String cluster = p.get(Field.UPSTREAM_CLUSTER);
    if (cluster != null) {
      if (cluster.startsWith("outbound|") || cluster.startsWith("inbound|") || cluster.equals("PassthroughCluster")
          || cluster.equals("BlackHoleCluster") || cluster.equals("InboundPassthroughClusterIpv4")) {
        return "istio-json";
      }
      if (cluster.endsWith(".consul") || cluster.equals("local_app") || cluster.contains(".internal.")) {
        return "consul-json";
      }
    }
    String sni = p.get(Field.REQUESTED_SERVER_NAME);
    if (sni != null && sni.startsWith("outbound_.")) {
      return "istio-json";
    }
    if (sni != null && sni.endsWith(".consul")) {
      return "consul-json";
    }
    return "envoy-json";
  }

  /**
   * Envoy's own log line: {@code [2023-09-14 12:30:34.318][1][debug][router] …} or Istio's proxy spelling
   * {@code 2023-08-21T07:10:31.123456Z\twarning\tenvoy connection\t…}.
   */
  static boolean isEnvoyLogLine(String s) {
    if (s.startsWith("[20") || s.startsWith("[19")) {
      int close = s.indexOf("][");
      return close > 0 && close < 40 && (s.contains("][debug]") || s.contains("][warning]") || s.contains("][info]")
          || s.contains("][error]") || s.contains("][trace]") || s.contains("][critical]") || s.contains("][warn]"));
    }
    if (s.length() > 20 && Character.isDigit(s.charAt(0)) && s.charAt(4) == '-') {
      int tab = s.indexOf('\t');
      if (tab > 0 && tab < 40) {
        String rest = s.substring(tab + 1);
        return rest.startsWith("debug") || rest.startsWith("warn") || rest.startsWith("info")
            || rest.startsWith("error") || rest.startsWith("trace") || rest.startsWith("critical");
      }
    }
    return false;
  }
}
