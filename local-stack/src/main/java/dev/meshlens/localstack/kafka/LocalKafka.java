package dev.meshlens.localstack.kafka;

import dev.meshlens.localstack.layout.NodeLayout;
import dev.meshlens.localstack.process.ChildJvm;
import dev.meshlens.localstack.process.Dirs;
import dev.meshlens.localstack.process.LocalNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * A real single-node KRaft Kafka (combined broker + controller) on 127.0.0.1, running as a child
 * JVM from the broker jars local-stack lays out at build time (see {@link NodeLayout}). This is
 * the demo/local path with fixed or chosen ports; tests use the in-JVM broker of
 * {@code dev.meshlens.testkit.RealServices} instead.
 *
 * <pre>{@code
 * try (LocalKafka kafka = LocalKafka.builder().port(9092).start()) {
 *     String bootstrap = kafka.bootstrapServers();   // 127.0.0.1:9092
 * }
 * }</pre>
 *
 * A given data folder is reused across runs (formatted once); the default temporary folder is
 * deleted on close, after the broker has stopped.
 */
public final class LocalKafka extends LocalNode {
    public static final String MAIN_CLASS = "dev.meshlens.localstack.node.kafka.KafkaNodeMain";
    public static final String DEFAULT_HEAP = "512m";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(3);

    private final int port;
    private final int controllerPort;

    private LocalKafka(
            ChildJvm child, int port, int controllerPort, Path dataDir, boolean deleteDataDir, Duration startup) {
        super(child, dataDir, deleteDataDir, startup);
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public String version() {
        return NodeLayout.Kind.KAFKA.version();
    }

    public Path dataDir() {
        return dir();
    }

    @Override
    public String toString() {
        return "LocalKafka[" + bootstrapServers() + ", pid " + pid() + "]";
    }

    /** The broker configuration written to {@code server.properties}. */
    static String serverProperties(int port, int controllerPort, Path logDirs) {
        return """
                # written by meshlens LocalKafka
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                auto.create.topics.enable=true
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=4
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, logDirs.toString().replace('\\', '/'));
    }

    /**
     * A random KRaft cluster id (base64url of 16 random bytes, 22 characters). Never starts with
     * '-': the storage tool would read such an id as an option and refuse to format.
     */
    static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] b = new byte[16];
        String id;
        do {
            random.nextBytes(b);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        } while (id.startsWith("-"));
        return id;
    }

    /**
     * The cluster id kept with the data ({@code cluster.id} in the data folder): storage formatted for one
     * id refuses a broker started with another ("Invalid cluster.id"), so a reused folder restarts only
     * with the id it was formatted with.
     */
    static String clusterId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("cluster.id");
        if (Files.exists(file)) {
            String id = Files.readString(file).trim();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = newClusterId();
        Files.writeString(file, id + "\n");
        return id;
    }

    /** Options; every one has a default. */
    public static final class Builder extends LocalNode.Builder<Builder> {
        private int port = 0;
        private int controllerPort = 0;
        private Path dataDir;

        private Builder() {
            super(DEFAULT_HEAP, DEFAULT_START_TIMEOUT);
        }

        /** Client (PLAINTEXT) port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** Controller port on 127.0.0.1; 0 (default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controllerPort");
            return this;
        }

        /** Keep the broker's data here across runs; default: a temporary folder deleted on close. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        private static int checkPort(int p, String name) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535, was " + p);
            }
            return p;
        }

        /** Formats storage when new, launches the broker and blocks until it accepts clients. */
        public LocalKafka start() throws IOException {
            Path kafkaHome = home(NodeLayout.Kind.KAFKA);
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("meshlens-kafka-") : Files.createDirectories(dataDir);
            int p = port != 0 ? port : Dirs.freeLoopbackPort();
            int cp = controllerPort != 0 ? controllerPort : Dirs.freeLoopbackPort();
            if (cp == p) {
                cp = Dirs.freeLoopbackPort();
            }
            if (Dirs.accepts(p)) {
                throw new IOException("port " + p + " on 127.0.0.1 is already in use; choose another Kafka port");
            }
            Path props = dir.resolve("server.properties");
            Files.writeString(props, serverProperties(p, cp, dir.resolve("kraft-logs")));
            Files.deleteIfExists(dir.resolve("ready"));
            Files.deleteIfExists(dir.resolve("failed"));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            long t0 = System.nanoTime();
            ChildJvm.Builder cb = childJvm("kafka-" + NodeLayout.Kind.KAFKA.version())
                    .systemProperty("java.io.tmpdir", tmp)
                    .systemProperty("meshlens.instance.temporary", temporary)
                    .systemProperty("java.awt.headless", "true")
                    .systemProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn")
                    .systemProperty("org.slf4j.simpleLogger.showDateTime", "true")
                    .systemProperty("log4j2.level", "WARN");
            ChildJvm child = withCallerOptions(cb)
                    .classpath(kafkaHome.resolve("lib") + "/*")
                    .mainClass(MAIN_CLASS)
                    .arg(props)
                    .arg(clusterId(dir))
                    .arg(dir)
                    .logFile(dir.resolve("broker.log"))
                    .workingDir(dir)
                    .start();
            try {
                while (!(Files.exists(dir.resolve("ready")) && Dirs.accepts(p))) {
                    if (Files.exists(dir.resolve("failed")) || !child.isAlive()) {
                        throw new IOException(
                                "Kafka failed to start; log " + child.logFile() + ":\n" + child.logTail(40));
                    }
                    checkStartTimeout(t0, child, "Kafka");
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for Kafka", e);
                    }
                }
                return new LocalKafka(child, p, cp, dir, temporary, Duration.ofNanos(System.nanoTime() - t0));
            } catch (IOException | RuntimeException | Error e) {
                child.close();
                if (temporary) {
                    Dirs.deleteQuietly(dir);
                }
                throw e;
            }
        }
    }
}
