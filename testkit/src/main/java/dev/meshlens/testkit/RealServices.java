package dev.meshlens.testkit;

import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Real Kafka and Elasticsearch for any module's tests, started lazily once per test JVM and
 * stopped when the JVM exits (shutdown hook; the Elasticsearch child JVM also exits by itself if
 * the test JVM is killed). No mocks: tests talk to real brokers and real nodes.
 *
 * <pre>{@code
 * String bootstrap = RealServices.kafka().bootstrapServers();
 * String esUrl     = RealServices.elasticsearch().url();
 * }</pre>
 *
 * <p>Settings (system property, else environment variable of the same name):
 * <ul>
 *   <li>{@code MESHLENS_KAFKA_BOOTSTRAP}: use this external Kafka instead of the in-JVM broker;</li>
 *   <li>{@code MESHLENS_ES_URL}: use this external Elasticsearch instead of the local node;</li>
 *   <li>{@code meshlens.test.es.line} = {@code V9} (default) or {@code V8}: which local node line;</li>
 *   <li>{@code meshlens.test.es.heap} (default 512m): heap of the local node.</li>
 * </ul>
 * Where the local node's jars are found: see {@code dev.meshlens.localstack.layout.NodeLayout}.
 * A service that failed to start fails every later request fast with the same cause.
 */
public final class RealServices {
    public static final String KAFKA_BOOTSTRAP = "MESHLENS_KAFKA_BOOTSTRAP";
    public static final String ES_URL = "MESHLENS_ES_URL";
    public static final String ES_LINE = "meshlens.test.es.line";
    public static final String ES_HEAP = "meshlens.test.es.heap";

    private static final Object KAFKA_LOCK = new Object();
    private static final Object ES_LOCK = new Object();
    private static volatile KafkaService kafka;
    private static volatile RuntimeException kafkaFailure;
    private static volatile ElasticsearchService elasticsearch;
    private static volatile RuntimeException esFailure;
    private static volatile boolean hookInstalled;

    private RealServices() {}

    /** The shared Kafka (external when {@code MESHLENS_KAFKA_BOOTSTRAP} is set, else in-JVM). */
    public static KafkaService kafka() {
        KafkaService k = kafka;
        if (k != null) {
            return k;
        }
        synchronized (KAFKA_LOCK) {
            if (kafka != null) {
                return kafka;
            }
            if (kafkaFailure != null) {
                throw new IllegalStateException("Kafka failed to start earlier in this JVM", kafkaFailure);
            }
            String external = setting(KAFKA_BOOTSTRAP);
            try {
                if (external != null) {
                    kafka = new ExternalKafka(external);
                    log("using external Kafka " + external + " (" + KAFKA_BOOTSTRAP + ")");
                } else {
                    installHook();
                    EmbeddedKafka embedded = EmbeddedKafka.start();
                    kafka = embedded;
                    log("in-JVM Kafka at " + embedded.bootstrapServers() + " ready in "
                            + seconds(embedded.startupTime()));
                }
            } catch (Exception e) {
                kafkaFailure = new IllegalStateException("could not start the in-JVM Kafka broker: " + e, e);
                throw kafkaFailure;
            }
            return kafka;
        }
    }

    /** The shared Elasticsearch (external when {@code MESHLENS_ES_URL} is set, else a child-JVM node). */
    public static ElasticsearchService elasticsearch() {
        ElasticsearchService s = elasticsearch;
        if (s != null) {
            return s;
        }
        synchronized (ES_LOCK) {
            if (elasticsearch != null) {
                return elasticsearch;
            }
            if (esFailure != null) {
                throw new IllegalStateException("Elasticsearch failed to start earlier in this JVM", esFailure);
            }
            String external = setting(ES_URL);
            try {
                if (external != null) {
                    elasticsearch = new ExternalElasticsearch(external);
                    log("using external Elasticsearch " + external + " (" + ES_URL + ")");
                } else {
                    installHook();
                    LocalElasticsearch.Line line = LocalElasticsearch.Line.valueOf(
                            Objects.requireNonNullElse(setting(ES_LINE), "V9").toUpperCase(Locale.ROOT));
                    String heap = Objects.requireNonNullElse(setting(ES_HEAP), LocalElasticsearch.DEFAULT_HEAP);
                    LocalElasticsearch node =
                            LocalElasticsearch.builder().line(line).heap(heap).start();
                    elasticsearch = new LocalElasticsearchService(node);
                    log("Elasticsearch " + node.version() + " at " + node.url() + " (child pid " + node.pid()
                            + ") ready in " + seconds(node.startupTime()));
                }
            } catch (Exception e) {
                esFailure =
                        new IllegalStateException("could not start the local Elasticsearch node: " + e.getMessage(), e);
                throw esFailure;
            }
            return elasticsearch;
        }
    }

    /** Starts Kafka and Elasticsearch concurrently (cuts the wall time of the first test roughly in half). */
    public static void startBoth() {
        startConcurrently(true, true);
    }

    static void startConcurrently(boolean needKafka, boolean needEs) {
        CompletableFuture<?> k = needKafka
                ? CompletableFuture.runAsync(RealServices::kafka, RealServices::daemon)
                : CompletableFuture.completedFuture(null);
        CompletableFuture<?> e = needEs
                ? CompletableFuture.runAsync(RealServices::elasticsearch, RealServices::daemon)
                : CompletableFuture.completedFuture(null);
        try {
            CompletableFuture.allOf(k, e).join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw ex;
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "meshlens-testkit-start");
        t.setDaemon(true);
        t.start();
    }

    /** The local Elasticsearch node when one runs in this JVM's care (not external), else null. */
    public static LocalElasticsearch localElasticsearchNode() {
        return elasticsearch instanceof LocalElasticsearchService l ? l.node() : null;
    }

    private static void log(String message) {
        System.err.println("meshlens testkit: " + message);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** System property {@code name}, else environment variable {@code name}; blank counts as unset. */
    static String setting(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (RealServices.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(RealServices::stopAll, "meshlens-testkit-stop"));
                hookInstalled = true;
            }
        }
    }

    /** Stops what this JVM started (also run by the shutdown hook). */
    static void stopAll() {
        Thread esStop = new Thread(
                () -> {
                    if (elasticsearch instanceof LocalElasticsearchService l) {
                        l.node().close();
                    }
                },
                "meshlens-testkit-stop-es");
        esStop.start();
        if (kafka instanceof EmbeddedKafka e) {
            try {
                e.close();
            } catch (Exception ex) {
                System.err.println("meshlens testkit: closing the in-JVM Kafka failed: " + ex);
            }
        }
        try {
            esStop.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    record ExternalKafka(String bootstrapServers) implements KafkaService {
        @Override
        public boolean external() {
            return true;
        }
    }

    record ExternalElasticsearch(String url) implements ElasticsearchService {
        ExternalElasticsearch {
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }

        @Override
        public boolean external() {
            return true;
        }

        @Override
        public String version() {
            return "external";
        }
    }

    record LocalElasticsearchService(LocalElasticsearch node) implements ElasticsearchService {
        @Override
        public String url() {
            return node.url();
        }

        @Override
        public boolean external() {
            return false;
        }

        @Override
        public String version() {
            return node.version();
        }
    }
}
