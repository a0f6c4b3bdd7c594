package dev.meshlens.collector.cli;

import static dev.meshlens.collector.config.CollectorKeys.*;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.collector.admin.AdminSources;
import dev.meshlens.collector.admin.HttpsTrust;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.config.GlobIdentity;
import dev.meshlens.collector.event.LocalIdentity;
import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.otlp.OtlpGrpcReceiver;
import dev.meshlens.collector.otlp.OtlpIngest;
import dev.meshlens.collector.otlp.OtlpReceiver;
import dev.meshlens.collector.pipeline.DeadLetters;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.pipeline.SuccessRollups;
import dev.meshlens.collector.publish.KafkaPublisher;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.config.Settings;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.meters.ServiceMeters;
import dev.meshlens.redactor.HashKey;
import dev.meshlens.telemetry.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
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
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().name("meshlens-poll-", 0).daemon(true).factory());
    private KafkaPublisher publisher;
    private OtlpReceiver otlp;
    private OtlpGrpcReceiver otlpGrpc;
    private ServiceMeters serviceMeters;
    private HttpServer http;
    private volatile boolean ready;
    private OpenTelemetrySdk otel;
    private final boolean ownsOtel;

    public Collector(CollectorConfig config) {
        this(config, null);
    }

    /**
     * @param otel the OpenTelemetry SDK to trace with (tests with an in-process receiver), or null for one
     *     configured by the standard {@code OTEL_*} variables and closed with the collector
     */
    public Collector(CollectorConfig config, OpenTelemetrySdk otel) {
        this.config = config;
        this.otel = otel;
        this.ownsOtel = otel == null;
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
        String mesh = config.get(MESH_ID);
        MeshKind kind = MeshKind.fromWire(config.get(MESH_KIND));
        String cluster = config.get(MESH_CLUSTER);
        LOG.info("starting collector for mesh {} with configuration {}", mesh, config.source());
        config.warnings().forEach(w -> LOG.warn("configuration {}: {}", config.source(), w));
        config.describe().forEach((k, v) -> LOG.info("config {} = {}", k, v));
        CollectorMetrics metrics = new CollectorMetrics(registry, mesh);
        serviceMeters = ServiceMeters.bindTo(registry);
        HashKey key = config.get(HASH_KEY) == null
                ? null
                : HashKey.of(config.get(HASH_KEY).reveal());
        String policy = config.get(POLICY_FILE);
        EventRedactor redactor = EventRedactor.engine(policy == null ? null : Path.of(policy), key, registry);
        if (otel == null) {
            otel = Telemetry.start("meshlens-collector");
        }
        publisher = new KafkaPublisher(
                new KafkaPublisher.Options(
                        config.get(BOOTSTRAP_SERVERS),
                        config.topic(),
                        Path.of(config.get(SPOOL_DIR)),
                        config.get(SPOOL_MAX_BYTES),
                        config.get(MAX_IN_FLIGHT),
                        config.get(DELIVERY_TIMEOUT),
                        config.get(CREATE_TOPIC),
                        config.get(PARTITIONS),
                        (short) (int) config.get(REPLICATION_FACTOR),
                        config.get(KAFKA_PROPERTIES).forClientAsStrings(),
                        config.get(SPOOL_MIN_FREE_BYTES)),
                metrics,
                otel);
        DeadLetters dl = new DeadLetters(Path.of(config.get(DEAD_LETTER_FILE)), config.get(DEAD_LETTER_MAX_BYTES));
        boolean successes = config.get(PUBLISH_SUCCESSES);
        Duration rollupEvery = config.get(SUCCESS_ROLLUP);
        if (successes && !rollupEvery.isZero()) {
            rollups = new SuccessRollups(publisher, rollupEvery, 100_000);
            rollupFlusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            rollups.flushDue();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (RuntimeException e) {
                            LOG.warn("publishing roll-ups failed: {}", e.toString());
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
        }
        EventOutlet out = new EventOutlet(redactor, publisher, metrics);
        MeshOrigin origin = new MeshOrigin(mesh, kind, cluster);
        // Every source's pipeline is the same but for its formats (and what only files have: container lines,
        // the Envoy named by the path): one place that says so.
        Function<FormatChain, LinePipeline.Builder> pipeline = formats -> LinePipeline.builder(origin, out)
                .formats(formats)
                .deadLetters(dl)
                .publishSuccesses(successes)
                .successRollups(rollups);
        List<Settings> files = config.get(FILES);
        for (int i = 0; i < files.size(); i++) {
            Settings f = files.get(i);
            List<String> globs = f.get(FILE_GLOBS);
            String identityPattern =
                    f.get(FILE_IDENTITY_FROM_PATH) != null ? f.get(FILE_IDENTITY_FROM_PATH) : GlobIdentity.regex(globs);
            String gatewayPath = f.get(FILE_GATEWAY_FROM_PATH);
            LinePipeline lines = pipeline.apply(CollectorConfig.toFormats(f.get(FILE_FORMAT)))
                    .unwrapContainers(f.get(FILE_UNWRAP))
                    .localIdentity(
                            identityPattern != null && f.get(FILE_IDENTITY_TEMPLATE) != null
                                    ? new LocalIdentity(Pattern.compile(identityPattern), f.get(FILE_IDENTITY_TEMPLATE))
                                    : null)
                    .gatewayPaths(gatewayPath == null ? null : Pattern.compile(gatewayPath))
                    .build();
            FileTailer t = new FileTailer(new FileTailer.Options(
                    GlobIdentity.plain(globs),
                    Path.of(config.get(CHECKPOINT_DIR)).resolve("files-" + i + ".json"),
                    config.get(MAX_LINE_BYTES),
                    config.get(POLL_INTERVAL),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30)));
            t.start(lines);
            tailers.add(t);
        }
        metrics.checkpointLag(
                () -> tailers.stream().mapToLong(FileTailer::lagBytes).sum());
        if (config.get(OTLP_ENABLED)) {
            OtlpIngest ingest = new OtlpIngest(pipeline.apply(CollectorConfig.toFormats(config.get(OTLP_FORMAT)))
                    .build());
            otlp = new OtlpReceiver(ingest, config.get(OTLP_HOST), config.get(OTLP_PORT)).start();
            if (config.get(OTLP_GRPC)) {
                otlpGrpc = new OtlpGrpcReceiver(ingest, config.get(OTLP_HOST), config.get(OTLP_GRPC_PORT)).start();
            }
        }
        for (Settings a : config.get(ADMIN)) {
            String url = a.get(ADMIN_URL);
            long every = Math.max(1, a.get(ADMIN_INTERVAL).toMillis());
            AdminSources src = new AdminSources(
                    mesh,
                    kind,
                    cluster,
                    new AdminSources.PolledEnvoy(a.get(ADMIN_LOCAL_IDENTITY), a.get(ADMIN_WORKLOAD)));
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        try {
                            for (MeshEvent e : src.pollStats(url)) {
                                out.publish(e);
                            }
                            MeshEvent certs = src.pollCerts(url);
                            metrics.certsPolled(certs.attributes().getOrDefault(AdminSources.ATTR_ISSUERS, "unknown"));
                            out.publish(certs);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Exception e) {
                            LOG.warn("polling Envoy admin {} failed: {}", url, e.toString());
                        }
                    },
                    0,
                    every,
                    TimeUnit.MILLISECONDS);
        }
        for (Settings tb : config.get(TRUST_BUNDLES)) {
            long every = Math.max(1, tb.get(BUNDLE_INTERVAL).toMillis());
            String ca = tb.get(BUNDLE_CA_FILE);
            AdminSources src = new AdminSources(
                    mesh,
                    kind,
                    cluster,
                    AdminSources.PolledEnvoy.UNNAMED,
                    new HttpsTrust(ca == null ? null : Path.of(ca), tb.shown(BUNDLE_CA_FILE)));
            String path = tb.get(BUNDLE_PATH);
            String consul = tb.get(BUNDLE_CONSUL_URL);
            String token =
                    tb.get(BUNDLE_TOKEN) == null ? null : tb.get(BUNDLE_TOKEN).reveal();
            scheduler.scheduleWithFixedDelay(
                    () -> {
                        try {
                            var bundle = path != null
                                    ? src.bundleFromPem(Path.of(path), null)
                                    : src.bundleFromConsul(consul, token);
                            out.publish(src.bundleEvent(bundle, Instant.now()));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Exception e) {
                            LOG.warn("reading trust bundle {} failed: {}", path != null ? path : consul, e.toString());
                        }
                    },
                    0,
                    every,
                    TimeUnit.MILLISECONDS);
        }
        startHttp();
        ready = true;
        LOG.info(
                "collector for mesh {} ready: topic {}, {} file source(s), metrics on port {}",
                mesh,
                config.topic(),
                tailers.size(),
                httpPort());
        return this;
    }

    private void startHttp() throws IOException {
        http = HttpServer.create(new InetSocketAddress(config.get(HTTP_HOST), config.get(HTTP_PORT)), 0);
        http.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
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
        http.setExecutor(Executors.newFixedThreadPool(
                2, Thread.ofPlatform().name("meshlens-http-", 0).daemon(true).factory()));
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

    private final AtomicBoolean closed = new AtomicBoolean();

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
                LOG.warn(
                        "roll-ups not published within 5 s at stop (spool full?); their lines are read again at the next start");
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
        if (otel != null && ownsOtel) {
            otel.close(); // exports the spans still queued
        }
    }
}
