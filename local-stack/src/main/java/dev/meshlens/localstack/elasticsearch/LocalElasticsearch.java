package dev.meshlens.localstack.elasticsearch;

import dev.meshlens.localstack.layout.NodeLayout;
import dev.meshlens.localstack.process.ChildJvm;
import dev.meshlens.localstack.process.Dirs;
import dev.meshlens.localstack.process.LocalNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * A real single-node Elasticsearch cluster on 127.0.0.1, running as a child JVM built from the
 * Maven Central server jars that local-stack lays out at build time (see {@link NodeLayout}).
 *
 * <pre>{@code
 * try (LocalElasticsearch es = LocalElasticsearch.builder().start()) {
 *     String url = es.url();   // http://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * The node's home (jars) is shared and only read; each instance gets its own folder with
 * config/, data/, logs/ and node.log (a temporary folder deleted on close unless one is given).
 * The child dies with this process (see {@link ChildJvm}).
 */
public final class LocalElasticsearch extends LocalNode {
    /** Which server line to run. */
    public enum Line {
        /** The main line (root pom property elasticsearch-server.version, 9.x). */
        V9(NodeLayout.Kind.ES_9),
        /** The smoke-test line (root pom property elasticsearch-server-8.version, 8.19.x). */
        V8(NodeLayout.Kind.ES_8);

        private final NodeLayout.Kind kind;

        Line(NodeLayout.Kind kind) {
            this.kind = kind;
        }

        public NodeLayout.Kind layout() {
            return kind;
        }

        public String version() {
            return kind.version();
        }
    }

    /**
     * What a secured node needs (9.x line only): X-Pack security on, TLS on HTTP with this certificate and its
     * unencrypted PKCS#8 PEM key, clients trusting {@code caCertificate} (PEM), and the built-in {@code elastic}
     * user's password (the keystore's {@code bootstrap.password}). Basic auth and API keys then work as on a
     * production cluster.
     */
    public record Security(Path certificate, Path key, Path caCertificate, String elasticPassword) {
        public Security {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(caCertificate, "caCertificate");
            Objects.requireNonNull(elasticPassword, "elasticPassword");
        }

        @Override
        public String toString() {
            return "Security[certificate=" + certificate + ", elasticPassword=[hidden]]";
        }
    }

    public static final String MAIN_CLASS = "dev.meshlens.localstack.node.es.EsNodeMain";
    public static final String DEFAULT_HEAP = "512m";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    private final Line line;
    private final int httpPort;
    private final boolean secured;

    private LocalElasticsearch(
            Line line,
            ChildJvm child,
            int httpPort,
            Path instanceDir,
            boolean deleteInstanceDir,
            Duration startup,
            boolean secured) {
        super(child, instanceDir, deleteInstanceDir, startup);
        this.secured = secured;
        this.line = line;
        this.httpPort = httpPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base URL, e.g. {@code http://127.0.0.1:9200} ({@code https} when secured). */
    public String url() {
        return (secured ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    /** Whether X-Pack security (TLS, authentication) is on. */
    public boolean secured() {
        return secured;
    }

    public int httpPort() {
        return httpPort;
    }

    public Line line() {
        return line;
    }

    public String version() {
        return line.version();
    }

    public Path instanceDir() {
        return dir();
    }

    @Override
    public String toString() {
        return "LocalElasticsearch[" + line.version() + " at " + url() + ", pid " + pid() + "]";
    }

    /** Options; every one has a default. */
    public static final class Builder extends LocalNode.Builder<Builder> {
        private Line line = Line.V9;
        private int httpPort = 0;
        private Path instanceDir;
        private String clusterName = "meshlens-local";
        private Security security;

        private Builder() {
            super(DEFAULT_HEAP, DEFAULT_START_TIMEOUT);
        }

        public Builder line(Line line) {
            this.line = Objects.requireNonNull(line, "line");
            return this;
        }

        /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder httpPort(int httpPort) {
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort must be 0..65535, was " + httpPort);
            }
            this.httpPort = httpPort;
            return this;
        }

        /** Keep data, logs and config here (kept after close); default: a temporary folder, deleted. */
        public Builder instanceDir(Path instanceDir) {
            this.instanceDir = Objects.requireNonNull(instanceDir, "instanceDir");
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
            return this;
        }

        /** Run secured (see {@link Security}); 9.x line only. */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** Launches the node and blocks until its cluster health is at least yellow. */
        public LocalElasticsearch start() throws IOException {
            Path esHome = home(line.layout());
            if (httpPort != 0 && Dirs.accepts(httpPort)) {
                throw new IOException("port " + httpPort + " on 127.0.0.1 is already in use; choose another "
                        + "Elasticsearch HTTP port (0 = any free port)");
            }
            boolean temporary = instanceDir == null;
            Path dir = temporary ? Files.createTempDirectory("meshlens-es-") : Files.createDirectories(instanceDir);
            Files.deleteIfExists(dir.resolve("http.port"));
            Files.deleteIfExists(dir.resolve("failed"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            if (security != null && line != Line.V9) {
                throw new IllegalArgumentException("a secured node needs the 9.x line (only its layout has X-Pack)");
            }
            long t0 = System.nanoTime();
            ChildJvm.Builder cb = childJvm("elasticsearch-" + line.version())
                    .jvmArg("-Xss1m")
                    .jvmArg("--enable-native-access=ALL-UNNAMED")
                    .systemProperty("es.path.home", esHome)
                    .systemProperty("java.io.tmpdir", tmp)
                    .systemProperty("meshlens.instance.temporary", temporary)
                    .systemProperty("meshlens.es.http.port", httpPort)
                    .systemProperty("meshlens.es.cluster.name", clusterName)
                    .systemProperty("file.encoding", "UTF-8")
                    .systemProperty("java.awt.headless", "true")
                    .systemProperty("log4j2.disable.jmx", "true")
                    .systemProperty("log4j.shutdownHookEnabled", "false")
                    .systemProperty("io.netty.noUnsafe", "true")
                    .systemProperty("io.netty.noKeySetOptimization", "true")
                    .systemProperty("io.netty.recycler.maxCapacityPerThread", "0");
            if (security != null) {
                cb.systemProperty("meshlens.es.security.dir", securityFolder(dir, security));
            }
            ChildJvm child = withCallerOptions(cb)
                    .classpath(esHome.resolve("lib") + "/*")
                    .mainClass(MAIN_CLASS)
                    .arg(dir)
                    .logFile(dir.resolve("node.log"))
                    .workingDir(dir)
                    .start();
            try {
                int port = awaitPortFile(child, dir, t0);
                awaitHealthy(child, port, t0);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                return new LocalElasticsearch(line, child, port, dir, temporary, took, security != null);
            } catch (IOException | RuntimeException | Error e) {
                child.close();
                if (temporary) {
                    Dirs.deleteQuietly(dir);
                }
                throw e;
            }
        }

        private int awaitPortFile(ChildJvm child, Path dir, long t0) throws IOException {
            Path portFile = dir.resolve("http.port");
            Path failed = dir.resolve("failed");
            while (true) {
                if (Files.exists(portFile)) {
                    return Integer.parseInt(
                            Files.readString(portFile, StandardCharsets.UTF_8).trim());
                }
                if (Files.exists(failed) || !child.isAlive()) {
                    throw new IOException("Elasticsearch " + line.version() + " failed to start; log " + child.logFile()
                            + ":\n" + child.logTail(40));
                }
                checkTimeout(child, t0);
                sleep(50);
            }
        }

        /** The folder EsNodeMain reads when secured: http.crt, http.key, elastic.password (owner-only). */
        private static Path securityFolder(Path dir, Security s) throws IOException {
            Path f = Files.createDirectories(dir.resolve("security"));
            Files.copy(s.certificate(), f.resolve("http.crt"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(s.key(), f.resolve("http.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(f.resolve("elastic.password"), s.elasticPassword(), StandardCharsets.UTF_8);
            return f;
        }

        private void awaitHealthy(ChildJvm child, int port, long t0) throws IOException {
            HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create((security == null ? "http" : "https")
                            + "://127.0.0.1:" + port + "/_cluster/health?wait_for_status=yellow&timeout=30s"))
                    .timeout(Duration.ofSeconds(40))
                    .GET();
            if (security != null) {
                hb.sslContext(PemTrust.sslContext(security.caCertificate()));
                rb.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("elastic:" + security.elasticPassword())
                                                .getBytes(StandardCharsets.UTF_8)));
            }
            HttpClient http = hb.build();
            HttpRequest request = rb.build();
            while (true) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for Elasticsearch", e);
                }
                if (!child.isAlive()) {
                    throw new IOException("Elasticsearch " + line.version() + " exited while starting; log "
                            + child.logFile() + ":\n" + child.logTail(40));
                }
                checkTimeout(child, t0);
                sleep(200);
            }
        }

        private void checkTimeout(ChildJvm child, long t0) throws IOException {
            checkStartTimeout(t0, child, "Elasticsearch " + line.version());
        }
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
