package dev.meshlens.collector.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP logs receiver ({@code POST /v1/logs}, protobuf or JSON, optionally gzip) for Envoy's
 * OpenTelemetry access logger / Istio's {@code envoyOtelAls}: each record body is a line in the
 * configured format, record and resource attributes become event attributes. Answers only once every
 * event of the request is durable (published or spooled), so a failed request is retried by the sender.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final ObjectMapper M = new ObjectMapper();
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final LinePipeline pipeline;
  private final String meshId;
  private final MeshKind meshKind;
  private final String cluster;
  private final String host;
  private final int port;
  private HttpServer server;
  private ExecutorService executor;

  public OtlpReceiver(LinePipeline pipeline, String meshId, MeshKind meshKind, String cluster, String host, int port) {
    this.pipeline = pipeline;
    this.meshId = meshId;
    this.meshKind = meshKind;
    this.cluster = cluster;
    this.host = host;
    this.port = port;
  }

  public OtlpReceiver start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/v1/logs", this::handle);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    LOG.info("OTLP/HTTP logs receiver on {}:{}", host, port());
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** One record after decoding. */
  record Rec(String streamKey, long timeUnixNano, String body, Map<String, String> attributes) {}

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain", "use POST".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).toLowerCase();
      boolean json = type.startsWith("application/json");
      byte[] body;
      try (InputStream in = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
        body = in.readNBytes(MAX_BODY_BYTES + 1);
      }
      if (body.length > MAX_BODY_BYTES) {
        send(ex, 413, "text/plain", "request too large".getBytes(StandardCharsets.UTF_8));
        return;
      }
      List<Rec> recs;
      try {
        recs = json ? fromJson(body) : fromProto(body);
      } catch (Exception e) {
        send(ex, 400, "text/plain", ("cannot decode OTLP logs: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
        return;
      }
      String paused = pipeline.paused();
      if (paused != null) {
        // Back-pressure for a push source: the sender keeps the records and retries (OTLP/HTTP retries 503).
        ex.getResponseHeaders().set("Retry-After", "5");
        send(ex, 503, "text/plain", ("collector paused: " + paused + "; retry").getBytes(StandardCharsets.UTF_8));
        return;
      }
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      for (Rec r : recs) {
        SourceContext ctx = new SourceContext(meshId, meshKind, cluster, SourceKind.OTEL_LOG, "otlp:" + r.streamKey());
        long position = r.timeUnixNano() * 31 + r.body().hashCode();
        Instant t = r.timeUnixNano() > 0 ? Instant.ofEpochSecond(0, r.timeUnixNano()) : Instant.now();
        CompletableFuture<Void> f = pipeline.process(ctx, position, r.body(), t, r.attributes(), "otlp");
        if (f != null) {
          pending.add(f);
        }
      }
      try {
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        send(ex, 503, "text/plain", "events not durable yet; retry".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (json) {
        send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else {
        send(ex, 200, "application/x-protobuf", ExportLogsServiceResponse.getDefaultInstance().toByteArray());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("OTLP request failed: {}", e.toString());
      send(ex, 500, "text/plain", "internal error".getBytes(StandardCharsets.UTF_8));
    }
  }

  static List<Rec> fromProto(byte[] body) throws IOException {
    ExportLogsServiceRequest req = ExportLogsServiceRequest.parseFrom(body);
    List<Rec> out = new ArrayList<>();
    for (ResourceLogs rl : req.getResourceLogsList()) {
      Map<String, String> res = attrs(rl.getResource().getAttributesList());
      String stream = streamKey(res);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          Map<String, String> a = new LinkedHashMap<>(res);
          a.putAll(attrs(lr.getAttributesList()));
          long t = lr.getTimeUnixNano() != 0 ? lr.getTimeUnixNano() : lr.getObservedTimeUnixNano();
          out.add(new Rec(stream, t, text(lr.getBody()), a));
        }
      }
    }
    return out;
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), text(kv.getValue()));
    }
    return m;
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> String.valueOf(v.getIntValue());
      case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
      case BOOL_VALUE -> String.valueOf(v.getBoolValue());
      case BYTES_VALUE -> v.getBytesValue().toStringUtf8();
      default -> v.toString().strip();
    };
  }

  static List<Rec> fromJson(byte[] body) throws IOException {
    JsonNode root = M.readTree(body);
    List<Rec> out = new ArrayList<>();
    for (JsonNode rl : root.path("resourceLogs")) {
      Map<String, String> res = jsonAttrs(rl.path("resource").path("attributes"));
      String stream = streamKey(res);
      JsonNode scopes = rl.has("scopeLogs") ? rl.get("scopeLogs") : rl.path("instrumentationLibraryLogs");
      for (JsonNode sl : scopes) {
        JsonNode records = sl.has("logRecords") ? sl.get("logRecords") : sl.path("logs");
        for (JsonNode lr : records) {
          Map<String, String> a = new LinkedHashMap<>(res);
          a.putAll(jsonAttrs(lr.path("attributes")));
          long t = lr.path("timeUnixNano").asLong(lr.path("observedTimeUnixNano").asLong(0));
          out.add(new Rec(stream, t, jsonText(lr.path("body")), a));
        }
      }
    }
    return out;
  }

  private static Map<String, String> jsonAttrs(JsonNode arr) {
    Map<String, String> m = new LinkedHashMap<>();
    for (JsonNode kv : arr) {
      m.put(kv.path("key").asText(), jsonText(kv.path("value")));
    }
    return m;
  }

  private static String jsonText(JsonNode v) {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      return v.get("intValue").asText();
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asText();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asText();
    }
    return v.isMissingNode() ? "" : v.toString();
  }

  private static String streamKey(Map<String, String> res) {
    StringBuilder sb = new StringBuilder();
    for (String k : new String[] {"service.name", "k8s.pod.name", "host.name", "node_name", "k8s.namespace.name"}) {
      String v = res.get(k);
      if (v != null) {
        sb.append(k).append('=').append(v).append(';');
      }
    }
    return sb.isEmpty() ? "default" : sb.toString();
  }

  private static void send(HttpExchange ex, int code, String type, byte[] b) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
