package dev.meshlens.launcher.demo;

import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import dev.meshlens.localstack.kafka.LocalKafka;
import dev.meshlens.localstack.process.ChildJvm;
import dev.meshlens.simulator.Envoy;
import dev.meshlens.simulator.Fault;
import dev.meshlens.simulator.LiveSimulator;
import dev.meshlens.telemetry.log.LogFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole of meshlens on one machine: a real Kafka broker and Elasticsearch node, two simulated
 * meshes with injected faults, one collector per mesh (its own redaction policy, its own topic),
 * and the query API. Collectors and the query API run as child JVMs through the same launcher
 * users run, so the demo exercises exactly what ships. {@link #close()} stops everything.
 */
public final class Demo implements AutoCloseable {
    /** Bearer tokens the demo configures: on-call sees everything, each team only its mesh. */
    public static final String ONCALL_TOKEN = "demo-oncall-token";

    public static final String ISTIO_TEAM_TOKEN = "demo-istio-team-token";
    public static final String CONSUL_TEAM_TOKEN = "demo-consul-team-token";
    public static final String ISTIO_MESH = "istio-east";
    public static final String CONSUL_MESH = "consul-dc1";
    /** Classpath for the child JVMs when it differs from this JVM's (tests run from a manifest-only jar). */
    public static final String CLASSPATH_PROPERTY = "meshlens.demo.classpath";

    /** One injected fault, as the demo describes it. */
    public record InjectedFault(Fault fault, String client, String server, String description) {}

    /** The faults the demo injects (the web page and the tests expect these to surface). */
    public static final List<InjectedFault> FAULTS = List.of(
            new InjectedFault(
                    Fault.SERVER_DISTRUSTS_CLIENT_ROOT,
                    "backend",
                    "info",
                    "untrusted root one way: consul-dc1 does not trust the Istio root that signs backend"),
            new InjectedFault(
                    Fault.CLIENT_EXPECTS_WRONG_SAN,
                    "frontend",
                    "billing",
                    "SAN mismatch: frontend expects billing under Istio's naming template"),
            new InjectedFault(
                    Fault.CLIENT_PLAINTEXT,
                    "info",
                    "backend",
                    "plaintext client: info (consul-dc1) calls backend (istio-east, STRICT mTLS) without TLS"));

    private final DemoOptions options;
    private final PrintStream out;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LocalKafka kafka;
    private LocalElasticsearch elasticsearch;
    private LiveSimulator simulator;
    private String queryApiUrl;
    private final List<String> collectorMetricsUrls = new ArrayList<>();

    private Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Starts every part and returns once the query API is ready; on failure everything started is stopped. */
    public static Demo start(DemoOptions options, PrintStream out) throws IOException {
        Demo d = new Demo(options, out);
        try {
            d.startAll();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public String queryApiUrl() {
        return queryApiUrl;
    }

    public List<String> collectorMetricsUrls() {
        return List.copyOf(collectorMetricsUrls);
    }

    public String kafkaBootstrap() {
        return kafka.bootstrapServers();
    }

    public String elasticsearchUrl() {
        return elasticsearch.url();
    }

    /** The second act: the mesh that rotates its root, and its workload that moves to the new root first. */
    public static final String ROTATING_MESH = CONSUL_MESH;

    public static final String MOVED_SERVICE = "ledger";

    /**
     * Act two, step one: {@link #ROTATING_MESH} stages a new root in its own bundle; its peers lack it, so the
     * trust matrix predicts the pairs that fail once it signs, while every handshake still succeeds.
     */
    public void stageRotation() {
        simulator.stageRootRotation(ROTATING_MESH, options.seed() + 1000);
    }

    /** Act two, step two: {@link #MOVED_SERVICE} presents a certificate of the new root; the predicted check fails. */
    public void moveRotatedWorkload() {
        simulator.moveToNextRoot(ROTATING_MESH, MOVED_SERVICE);
    }

    public LiveSimulator simulator() {
        return simulator;
    }

    public Path dir() {
        return options.dir().toAbsolutePath();
    }

    private void startAll() throws IOException {
        Path dir = dir();
        wipe(dir);
        Files.createDirectories(dir.resolve("logs"));
        long t0 = System.nanoTime();
        out.println("meshlens demo: starting in " + dir);

        // Kafka and Elasticsearch start in parallel: they are the slow part.
        step("Kafka broker + Elasticsearch node (child processes)");
        CompletableFuture<LocalKafka> k = CompletableFuture.supplyAsync(() -> io(
                () -> LocalKafka.builder().port(0).dataDir(dir.resolve("kafka")).start()));
        CompletableFuture<LocalElasticsearch> es =
                CompletableFuture.supplyAsync(() -> io(() -> LocalElasticsearch.builder()
                        .httpPort(0)
                        .instanceDir(dir.resolve("elasticsearch"))
                        .start()));
        try {
            kafka = k.join();
            started.add(kafka);
            elasticsearch = es.join();
            started.add(elasticsearch);
        } catch (CompletionException e) {
            k.thenAccept(LocalKafka::close);
            es.thenAccept(LocalElasticsearch::close);
            throw new IOException(
                    "local services did not start: " + e.getCause().getMessage(), e.getCause());
        }
        done(String.format(
                Locale.ROOT,
                "Kafka %s at %s (%.1f s), Elasticsearch %s at %s (%.1f s)",
                kafka.version(),
                kafka.bootstrapServers(),
                seconds(kafka.startupTime()),
                elasticsearch.version(),
                elasticsearch.url(),
                seconds(elasticsearch.startupTime())));

        step("two simulated meshes: " + ISTIO_MESH + " (Istio) and " + CONSUL_MESH + " (Consul)");
        long t = System.nanoTime();
        simulator = new LiveSimulator(
                dir.resolve("meshes"), options.seed(), options.ratePerEdge(), Duration.ofSeconds(2), true);
        started.add(simulator);
        // A certificate about to expire (still valid: traffic works, the inventory and alerts warn).
        Envoy catalog = simulator.federation().istio().envoy("catalog");
        Instant now = Instant.now();
        catalog.reissue(now.minus(Duration.ofDays(85)), now.plus(Duration.ofDays(5)));
        simulator.start();
        for (InjectedFault f : FAULTS) {
            simulator.inject(f.fault(), f.client(), f.server());
        }
        done(String.format(
                Locale.ROOT,
                "ready in %.1f s; faults: %d injected, catalog's certificate expires in 5 days",
                since(t),
                FAULTS.size()));

        DemoConfigs configs = new DemoConfigs(dir, simulator, kafka.bootstrapServers(), elasticsearch.url());
        for (String mesh : List.of(ISTIO_MESH, CONSUL_MESH)) {
            step("collector for " + mesh + " (own redaction policy, topic meshlens.events." + mesh + ")");
            t = System.nanoTime();
            int port = freePort();
            Path config = configs.writeCollectorConfig(mesh, port);
            startChild("collector-" + mesh, "collector", config, "256m");
            String base = "http://127.0.0.1:" + port;
            awaitReady(base + "/readyz", Duration.ofSeconds(90), "collector-" + mesh);
            collectorMetricsUrls.add(base + "/metrics");
            done(String.format(Locale.ROOT, "ready in %.1f s, metrics %s/metrics", since(t), base));
        }

        step("query API (ingest to Elasticsearch, correlation on Kafka Streams, HTTP)");
        t = System.nanoTime();
        int port = options.httpPort() == 0 ? freePort() : options.httpPort();
        Path qconfig = configs.writeQueryApiConfig(
                port,
                List.of(
                        new DemoConfigs.Token("oncall", sha256(ONCALL_TOKEN), List.of(), true),
                        new DemoConfigs.Token("istio-team", sha256(ISTIO_TEAM_TOKEN), List.of(ISTIO_MESH), false),
                        new DemoConfigs.Token("consul-team", sha256(CONSUL_TEAM_TOKEN), List.of(CONSUL_MESH), false)));
        startChild("query-api", "query-api", qconfig, "512m");
        queryApiUrl = "http://127.0.0.1:" + port;
        awaitReady(queryApiUrl + "/readyz", Duration.ofSeconds(120), "query-api");
        done(String.format(Locale.ROOT, "ready in %.1f s at %s", since(t), queryApiUrl));
        out.printf(Locale.ROOT, "meshlens demo: everything ready in %.1f s%n", since(t0));
        out.flush();
    }

    private void startChild(String name, String command, Path config, String heap) throws IOException {
        ChildJvm child = ChildJvm.builder(name)
                .jvmArg("-Xmx" + heap)
                .systemProperty("meshlens.home", System.getProperty("meshlens.home", "."))
                // the demo's children log for a person reading .meshlens/demo/logs, whatever MESHLENS_LOG_FORMAT says
                .systemProperty(LogFormat.PROPERTY, LogFormat.TEXT.wire())
                .classpath(System.getProperty(CLASSPATH_PROPERTY, System.getProperty("java.class.path")))
                .mainClass("dev.meshlens.launcher.Main")
                .arg(command)
                .arg("--config")
                .arg(config.toString())
                .logFile(dir().resolve("logs").resolve(name + ".log"))
                .start();
        started.add(child);
    }

    /** Polls a readiness URL until it answers 200, the child dies, or the timeout passes. */
    private void awaitReady(String url, Duration timeout, String name) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChildJvm child = childNamed(name);
        while (System.nanoTime() < deadline) {
            if (child != null && !child.isAlive()) {
                throw new IOException(
                        name + " exited during start; last lines of " + child.logFile() + ":\n" + child.logTail(25));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + name, e);
            }
            sleep(300);
        }
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s"
                + (child == null ? "" : "; last lines of " + child.logFile() + ":\n" + child.logTail(25)));
    }

    private ChildJvm childNamed(String name) {
        for (AutoCloseable c : started) {
            if (c instanceof ChildJvm j && j.name().equals(name)) {
                return j;
            }
        }
        return null;
    }

    /** GET with the on-call token; returns the body or throws with the status. */
    public String get(String pathAndQuery, String token) throws IOException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(queryApiUrl + pathAndQuery))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private int stepNo;

    private void step(String what) {
        out.printf(Locale.ROOT, "  [%d] %s ...%n", ++stepNo, what);
        out.flush();
    }

    private void done(String what) {
        out.printf(Locale.ROOT, "      %s%n", what);
        out.flush();
    }

    /** Stops everything in reverse order of start; never throws. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.println("meshlens demo: stopping " + started.get(i) + " failed: " + e);
            }
        }
        started.clear();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static double since(long t) {
        return (System.nanoTime() - t) / 1e9;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T io(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
