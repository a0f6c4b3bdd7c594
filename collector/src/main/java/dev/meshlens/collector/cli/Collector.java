package dev.meshlens.collector.cli;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.collector.admin.AdminSources;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.otlp.OtlpGrpcReceiver;
import dev.meshlens.collector.otlp.OtlpIngest;
import dev.meshlens.collector.otlp.OtlpReceiver;
import dev.meshlens.collector.pipeline.DeadLetters;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.pipeline.SuccessRollups;
import dev.meshlens.collector.publish.KafkaPublisher;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.meters.ServiceMeters;
import dev.meshlens.redactor.HashKey;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running collector built from a validated configuration: sources → pipeline → Kafka, plus HTTP. */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  private final CollectorConfig config;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<FileTailer> tailers = new ArrayList<>();
  /** Publishes roll-ups on a thread of its own: a slow admin poll must not hold checkpoints back. */
  private final ScheduledExecutorService rollupFlusher = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("meshlens-rollup").daemon(true).factory());
  private SuccessRollups rollups;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
      Thread.ofPlatform().name("meshlens-poll-", 0).daemon(true).factory());
  private KafkaPublisher publisher;
  private OtlpReceiver otlp;
  private OtlpGrpcReceiver otlpGrpc;
  private ServiceMeters serviceMeters;
  private HttpServer http;
  private volatile boolean ready;

  public Collector(CollectorConfig config) {
    this.config = config;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int httpPort() {
    return http.getAddress().getPort();
  }

  public int otlpPort() {
    return otlp == null ? -1 : otlp.port();
  }

  public int otlpGrpcPort() {
    return otlpGrpc == null ? -1 : otlpGrpc.port();
  }

  public KafkaPublisher publisher() {
    return publisher;
  }

  public Collector start() throws IOException {
    String mesh = config.string("mesh.id");
    MeshKind kind = MeshKind.fromWire(config.string("mesh.kind"));
    String cluster = config.string("mesh.cluster");
    LOG.info("starting collector for mesh {} with configuration {}", mesh, config.source());
    config.describe().forEach((k, v) -> LOG.info("config {} = {}", k, v));
    CollectorMetrics metrics = new CollectorMetrics(registry, mesh);
    serviceMeters = ServiceMeters.bindTo(registry);
    HashKey key = null;
    if (config.string("redaction.hash_key_file") != null) {
      key = HashKey.fromFile(Path.of(config.string("redaction.hash_key_file")));
    } else if (config.string("redaction.hash_key_env") != null) {
      key = HashKey.fromEnv(config.string("redaction.hash_key_env"));
    }
    String policy = config.string("redaction.policy_file");
    EventRedactor redactor = EventRedactor.engine(policy == null ? null : Path.of(policy), key, registry);
    publisher = new KafkaPublisher(new KafkaPublisher.Options(config.string("kafka.bootstrap_servers"),
        config.topic(), Path.of(config.string("spool.dir")), config.longValue("spool.max_bytes"),
        config.integer("kafka.max_in_flight"), Duration.ofMillis(config.integer("kafka.delivery_timeout_ms")),
        config.bool("kafka.create_topic"), config.integer("kafka.partitions"),
        (short) config.integer("kafka.replication_factor"), stringMap(config.get("kafka.producer")),
        config.longValue("spool.min_free_bytes")), metrics);
    DeadLetters dl = new DeadLetters(Path.of(config.string("dead_letter.file")), config.longValue("dead_letter.max_bytes"));
    boolean successes = config.bool("pipeline.publish_successes");
    int rollupSeconds = config.integer("pipeline.success_rollup_seconds");
    if (successes && rollupSeconds > 0) {
      rollups = new SuccessRollups(publisher, Duration.ofSeconds(rollupSeconds), 100_000);
      rollupFlusher.scheduleWithFixedDelay(() -> {
        try {
          rollups.flushDue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          LOG.warn("publishing roll-ups failed: {}", e.toString());
        }
      }, 1, 1, TimeUnit.SECONDS);
    }
    List<Map<String, Object>> files = config.list("sources.files");
    for (int i = 0; i < files.size(); i++) {
      Map<String, Object> f = files.get(i);
      FormatChain formats = CollectorConfig.toFormats(CollectorConfig.item(f, "sources.files", "format"));
      @SuppressWarnings("unchecked")
      List<String> globs = (List<String>) f.get("globs");
      boolean unwrap = Boolean.TRUE.equals(CollectorConfig.item(f, "sources.files", "unwrap_container"));
      LinePipeline pipeline = new LinePipeline(formats, mesh, kind, cluster, redactor, publisher, metrics, dl,
          successes, unwrap).successRollups(rollups);
      Object identityPattern = f.get("identity_from_path");
      if (identityPattern != null) {
        pipeline.localIdentity(new dev.meshlens.collector.event.LocalIdentity(
            java.util.regex.Pattern.compile(identityPattern.toString()), String.valueOf(f.get("identity_template"))));
      }
      Object gatewayPath = f.get("gateway_from_path");
      if (gatewayPath != null) {
        pipeline.gatewayPaths(java.util.regex.Pattern.compile(gatewayPath.toString()));
      }
      FileTailer t = new FileTailer(new FileTailer.Options(globs,
          Path.of(config.string("sources.checkpoint_dir")).resolve("files-" + i + ".json"),
          config.integer("sources.max_line_bytes"), Duration.ofMillis(config.integer("sources.poll_interval_ms")),
          Duration.ofSeconds(1), Duration.ofSeconds(30)));
      t.start(pipeline);
      tailers.add(t);
    }
    metrics.checkpointLag(() -> tailers.stream().mapToLong(FileTailer::lagBytes).sum());
    if (config.bool("sources.otlp.enabled")) {
      LinePipeline p = new LinePipeline(CollectorConfig.toFormats(config.get("sources.otlp.format")), mesh, kind,
          cluster, redactor, publisher, metrics, dl, successes, false).successRollups(rollups);
      OtlpIngest ingest = new OtlpIngest(p, mesh, kind, cluster);
      otlp = new OtlpReceiver(ingest, config.string("sources.otlp.host"), config.integer("sources.otlp.port")).start();
      if (config.bool("sources.otlp.grpc")) {
        otlpGrpc = new OtlpGrpcReceiver(ingest, config.string("sources.otlp.host"),
            config.integer("sources.otlp.grpc_port")).start();
      }
    }
    LinePipeline events = new LinePipeline(CollectorConfig.toFormat("istio"), mesh, kind, cluster, redactor,
        publisher, metrics, dl, true, false);
    for (Map<String, Object> a : config.list("sources.admin")) {
      String url = String.valueOf(a.get("url"));
      int every = ((Number) CollectorConfig.item(a, "sources.admin", "interval_seconds")).intValue();
      AdminSources src = new AdminSources(mesh, kind, cluster, new AdminSources.PolledEnvoy(
          a.get("local_identity") == null ? null : a.get("local_identity").toString(),
          a.get("workload") == null ? null : a.get("workload").toString()));
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          for (MeshEvent e : src.pollStats(url)) {
            events.publishEvent(e);
          }
          MeshEvent certs = src.pollCerts(url);
          metrics.certsPolled(certs.attributes().getOrDefault(AdminSources.ATTR_ISSUERS, "unknown"));
          events.publishEvent(certs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.warn("polling Envoy admin {} failed: {}", url, e.toString());
        }
      }, 0, Math.max(1, every), TimeUnit.SECONDS);
    }
    for (Map<String, Object> tb : config.list("sources.trust_bundles")) {
      int every = ((Number) CollectorConfig.item(tb, "sources.trust_bundles", "interval_seconds")).intValue();
      AdminSources src = new AdminSources(mesh, kind, cluster);
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          var bundle = tb.get("path") != null ? src.bundleFromPem(Path.of(String.valueOf(tb.get("path"))), null)
              : src.bundleFromConsul(String.valueOf(tb.get("consul_url")),
                  tb.get("token_env") == null ? null : System.getenv(String.valueOf(tb.get("token_env"))));
          events.publishEvent(src.bundleEvent(bundle, Instant.now()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          LOG.warn("reading trust bundle {} failed: {}", tb, e.toString());
        }
      }, 0, Math.max(1, every), TimeUnit.SECONDS);
    }
    startHttp();
    ready = true;
    LOG.info("collector for mesh {} ready: topic {}, {} file source(s), metrics on port {}", mesh, config.topic(),
        tailers.size(), httpPort());
    return this;
  }

  private void startHttp() throws IOException {
    http = HttpServer.create(new InetSocketAddress(config.string("http.host"), config.integer("http.port")), 0);
    http.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    http.createContext("/healthz", ex -> respond(ex, 200, "application/json", "{\"status\":\"ok\"}"));
    http.createContext("/readyz", ex -> {
      String full = publisher == null ? null : publisher.spoolFull();
      boolean ok = ready && full == null;
      String status = !ready ? "starting" : full != null ? "not ready: spool full" : "ready";
      String body = "{\"status\":" + jsonString(status) + ",\"spooling\":"
          + (publisher != null && publisher.spooling()) + ",\"spool_depth\":"
          + (publisher == null ? 0 : publisher.spoolDepth())
          + (full == null ? "" : ",\"reason\":" + jsonString(full)) + "}";
      respond(ex, ok ? 200 : 503, "application/json", body);
    });
    http.setExecutor(Executors.newFixedThreadPool(2, Thread.ofPlatform().name("meshlens-http-", 0).daemon(true)
        .factory()));
    http.start();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> stringMap(Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  public void close() {
    if (serviceMeters != null) {
      serviceMeters.close();
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready = false;
    scheduler.shutdownNow();
    rollupFlusher.shutdownNow();
    if (rollups != null) {
      // Before the tailers write their last checkpoint, so it can pass the lines these roll-ups count. Bounded:
      // with a full spool the publish would wait for room, and a stop must not; lines whose roll-up was not
      // made durable are simply read again at the next start.
      Thread flush = Thread.ofPlatform().name("meshlens-rollup-close").start(() -> {
        try {
          rollups.flushAll();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      try {
        flush.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (flush.isAlive()) {
        LOG.warn("roll-ups not published within 5 s at stop (spool full?); their lines are read again at the next start");
        flush.interrupt();
      }
    }
    for (FileTailer t : tailers) {
      try {
        t.close();
      } catch (IOException e) {
        LOG.warn("closing tailer: {}", e.toString());
      }
    }
    if (otlp != null) {
      otlp.close();
    }
    if (otlpGrpc != null) {
      otlpGrpc.close();
    }
    if (publisher != null) {
      publisher.close();
    }
    if (http != null) {
      http.stop(0);
    }
  }
}
