package dev.meshlens.query.cli;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.ServiceOptions;
import dev.meshlens.config.ConfigException;
import dev.meshlens.correlator.CorrelationService;
import dev.meshlens.meters.ServiceMeters;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.config.QueryApiKeys;
import dev.meshlens.query.gauges.GaugeService;
import dev.meshlens.query.http.ApiVerticle;
import dev.meshlens.query.ingest.BulkWriter;
import dev.meshlens.query.ingest.IngestService;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.trust.ContradictionWriter;
import dev.meshlens.query.trust.TrustReader;
import dev.meshlens.query.trust.TrustService;
import dev.meshlens.query.trust.TrustSettings;
import dev.meshlens.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code query-api --config FILE}: validates the configuration, then runs ingest, the HTTP API and
 * (with {@code correlation.enabled}) the correlator until the process is stopped.
 */
@Command(
        name = "query-api",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "run the query API",
            "Runs Kafka->Elasticsearch ingest, the correlator and the HTTP API. Configuration keys: docs/query-api.md"
        })
public final class QueryApiCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApiCommand.class);

    @Mixin
    private ServiceOptions service;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean block;

    /** The launcher's: standard streams, runs until the process is stopped. */
    public QueryApiCommand() {
        this(System.out, System.err, true);
    }

    private QueryApiCommand(PrintStream out, PrintStream err, boolean block) {
        this.out = out;
        this.err = err;
        this.block = block;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err, true);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        return Cli.run(new QueryApiCommand(out, err, block), args, out, err);
    }

    @Override
    public Integer call() {
        Path config = service.config();
        QueryApiConfig c;
        try {
            c = QueryApiConfig.load(config);
        } catch (ConfigException e) {
            err.println("query-api: invalid configuration " + config + ":");
            e.problems().forEach(p -> err.println("  - " + p));
            return 2;
        }
        if (service.check()) {
            // what the other services' --check print: the verdict, warnings, the resolved values (secrets [hidden])
            out.println("configuration " + config + " is valid");
            c.warnings().forEach(w -> out.println("  warning: " + w));
            c.settings().describe().forEach((k, v) -> out.println("  " + k + " = " + v));
            return 0;
        }
        c.warnings().forEach(w -> err.println("query-api: warning: " + w));
        LOG.info("resolved configuration:\n{}", c.describe());
        Running r;
        try {
            r = start(c);
        } catch (Exception e) {
            err.println("query-api: failed to start: " + e.getMessage());
            LOG.error("start failed", e);
            return 1;
        }
        out.println("query-api: HTTP on port " + r.httpPort());
        if (!block) {
            r.close();
            return 0;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            r.close();
                            done.countDown();
                        },
                        "meshlens-query-api-shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** A running query-api; {@link #close()} stops everything in reverse order. */
    public static final class Running implements AutoCloseable {
        private final List<AutoCloseable> closeables = new ArrayList<>();
        private int httpPort = -1;
        private IngestService ingest;
        private MeshlensMetrics metrics;
        private ElasticStore store;
        private CorrelationService correlation;

        public int httpPort() {
            return httpPort;
        }

        public IngestService ingest() {
            return ingest;
        }

        public MeshlensMetrics metrics() {
            return metrics;
        }

        public ElasticStore store() {
            return store;
        }

        /** The in-process correlator, or null when {@code correlation.enabled} is false. */
        public CorrelationService correlation() {
            return correlation;
        }

        @Override
        public void close() {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                try {
                    closeables.get(i).close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", closeables.get(i), e.toString());
                }
            }
            closeables.clear();
        }
    }

    /** Starts every part the configuration enables. */
    public static Running start(QueryApiConfig c) throws Exception {
        Running r = new Running();
        try {
            // traces per the standard OTEL_* variables; service.name from the config unless OTEL_SERVICE_NAME is set
            OpenTelemetrySdk otel = Telemetry.start(c.get(QueryApiKeys.SERVICE_NAME));
            r.closeables.add(otel);
            return start(c, MeshlensMetrics.prometheus(), otel, Clock.systemUTC(), r);
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    /** Starts with given metrics / OpenTelemetry / clock (tests). */
    public static Running start(QueryApiConfig c, MeshlensMetrics metrics, OpenTelemetry otel, Clock clock)
            throws Exception {
        Running r = new Running();
        try {
            return start(c, metrics, otel, clock, r);
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    private static Running start(QueryApiConfig c, MeshlensMetrics metrics, OpenTelemetry otel, Clock clock, Running r)
            throws Exception {
        r.metrics = metrics;
        r.closeables.add(ServiceMeters.bindTo(metrics.registry()));
        ElasticStore store = ElasticStore.fromConfig(c);
        r.store = store;
        r.closeables.add(store);
        ReadModel read = new ReadModel(new QueryClient(store.rest()), store.names(), clock);
        TrustService trust =
                new TrustService(new TrustReader(read.es(), read.names(), trustWindows(c)), trustSettings(c), clock);
        IngestService ingest = null;
        if (c.get(QueryApiKeys.INGEST_ENABLED)) {
            ingest = new IngestService(c, store, metrics, otel, clock).start();
            r.ingest = ingest;
            r.closeables.add(ingest);
            // the gauges computed from what ingest indexes (meshlens_findings_open, certificate expiry, last seen,
            // meshlens_trust_*) run where ingest runs, as they always have
            r.closeables.add(new GaugeService(
                            read,
                            trust,
                            new ContradictionWriter(read.es(), new BulkWriter(store.rest()), read.names()),
                            metrics,
                            c.get(QueryApiKeys.INGEST_GAUGE_REFRESH),
                            c.get(QueryApiKeys.TRUST_REFRESH_INTERVAL))
                    .start());
        }
        if (c.get(QueryApiKeys.CORRELATION_ENABLED)) {
            CorrelationService correlation = new CorrelationService(c.correlation(), metrics.registry());
            r.correlation = correlation;
            r.closeables.add(correlation.start());
            LOG.info("correlator started");
        }
        if (c.get(QueryApiKeys.HTTP_ENABLED)) {
            Vertx vertx = vertx(metrics.registry());
            r.closeables.add(() -> vertx.close().await(10, TimeUnit.SECONDS));
            IngestService ing = ingest;
            ApiVerticle api = new ApiVerticle(
                    read,
                    trust,
                    new TokenAuthenticator(c.tokens()),
                    metrics,
                    () -> ing == null ? "DISABLED" : ing.state(),
                    new ApiVerticle.Settings(
                            c.get(QueryApiKeys.HTTP_HOST),
                            c.get(QueryApiKeys.HTTP_PORT),
                            new ReadModel.InventorySettings(
                                    c.get(QueryApiKeys.HTTP_CERT_WARNING_DAYS),
                                    c.get(QueryApiKeys.HTTP_BLIND_AFTER),
                                    Duration.ofHours(24))));
            vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
            r.httpPort = api.port();
            if (c.tokens().isEmpty()) {
                LOG.warn("no auth.tokens configured: every /api/v1 request will be refused with 401");
            }
        }
        return r;
    }

    /**
     * The API's Vert.x, reporting HTTP server metrics (vertx_http_server_*) to {@code registry}, the same
     * registry as meshlens' own meters. Routes, not paths, as labels: a path carries finding ids.
     */
    public static Vertx vertx(MeterRegistry registry) {
        return Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(httpServerMetrics()))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
    }

    /** Only the HTTP server domain: the event bus, pools and clients of this process say nothing useful. */
    private static MicrometerMetricsOptions httpServerMetrics() {
        MicrometerMetricsOptions o = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE));
        for (MetricsDomain d : MetricsDomain.values()) {
            if (d != MetricsDomain.HTTP_SERVER) {
                o.addDisabledMetricsCategory(d);
            }
        }
        return o;
    }

    /** The trust matrix settings from {@code trust.*}. */
    static TrustSettings trustSettings(QueryApiConfig c) {
        return new TrustSettings(
                Duration.ofDays(c.get(QueryApiKeys.TRUST_HORIZON_DAYS)), c.get(QueryApiKeys.TRUST_STALE_AFTER));
    }

    /** How far back the trust matrix reads bundles, certificates and traffic, from {@code trust.*}. */
    static TrustReader.Windows trustWindows(QueryApiConfig c) {
        return new TrustReader.Windows(
                c.get(QueryApiKeys.TRUST_BUNDLE_HISTORY),
                c.get(QueryApiKeys.TRUST_CERTS_WINDOW),
                c.get(QueryApiKeys.TRUST_TRAFFIC_WINDOW));
    }
}
