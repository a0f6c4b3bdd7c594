package dev.meshlens.localstack;

import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import dev.meshlens.localstack.kafka.LocalKafka;
import dev.meshlens.localstack.layout.NodeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./meshlens local-stack}: starts a real Kafka broker and a real Elasticsearch node as
 * child processes on 127.0.0.1, prints their addresses, and keeps them running until Ctrl-C (or
 * until one of them dies). Both children are stopped by a shutdown hook, and exit by themselves
 * if this process is killed.
 */
public final class LocalStackCommand {
    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_ES_PORT = 9200;

    private LocalStackCommand() {}

    static final String USAGE = """
            usage: meshlens local-stack [options]
              Starts Kafka and Elasticsearch on 127.0.0.1 as child processes and prints their addresses.
              --kafka-port N    Kafka client port (default 9092; 0 = any free port)
              --es-port N       Elasticsearch HTTP port (default 9200; 0 = any free port)
              --data-dir DIR    keep data in DIR/kafka and DIR/elasticsearch across runs
                                (default: temporary folders, removed on exit)
              --es8             run the Elasticsearch 8.19 line instead of 9.x
              --no-kafka        do not start Kafka
              --no-es           do not start Elasticsearch
              --env-file FILE   once ready, write MESHLENS_KAFKA_BOOTSTRAP=... and MESHLENS_ES_URL=...
                                lines to FILE (for scripts: tests then use these running services)
              --once            start, print, stop and exit (a smoke check)
              -h, --help        this text
            Stop with Ctrl-C.""";

    /** Entry point for the launcher; returns the exit code and never calls System.exit. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("local-stack: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (o.help) {
            out.println(USAGE);
            return 0;
        }
        LocalKafka kafka = null;
        LocalElasticsearch es = null;
        ExecutorService starter = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "meshlens-local-stack-start");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try {
            out.println("meshlens local-stack: starting"
                    + (o.kafka ? " Kafka " + NodeLayout.Kind.KAFKA.version() : "")
                    + (o.kafka && o.es ? " and" : "")
                    + (o.es ? " Elasticsearch " + (o.es8 ? NodeLayout.Kind.ES_8 : NodeLayout.Kind.ES_9).version() : "")
                    + " ...");
            out.flush();
            Future<LocalKafka> kafkaF = o.kafka ? starter.submit(kafkaStarter(o)) : null;
            Future<LocalElasticsearch> esF = o.es ? starter.submit(esStarter(o)) : null;
            Throwable failure = null;
            try {
                kafka = kafkaF == null ? null : kafkaF.get();
            } catch (ExecutionException e) {
                failure = e.getCause();
            }
            try {
                es = esF == null ? null : esF.get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            }
            if (failure != null) {
                err.println("local-stack: start failed: " + failure.getMessage());
                return 1;
            }
            Duration total = Duration.ofNanos(System.nanoTime() - t0);
            if (kafka != null) {
                out.printf(
                        Locale.ROOT,
                        "  Kafka %s bootstrap servers: %s   (pid %d, ready in %.1f s, data %s)%n",
                        kafka.version(),
                        kafka.bootstrapServers(),
                        kafka.pid(),
                        seconds(kafka.startupTime()),
                        kafka.dataDir());
            }
            if (es != null) {
                out.printf(
                        Locale.ROOT,
                        "  Elasticsearch %s URL: %s   (pid %d, ready in %.1f s, data %s)%n",
                        es.version(),
                        es.url(),
                        es.pid(),
                        seconds(es.startupTime()),
                        es.instanceDir());
            }
            out.printf(Locale.ROOT, "  all ready in %.1f s%n", seconds(total));
            if (o.envFile != null) {
                StringBuilder env = new StringBuilder();
                if (kafka != null) {
                    env.append("MESHLENS_KAFKA_BOOTSTRAP=")
                            .append(kafka.bootstrapServers())
                            .append('\n');
                }
                if (es != null) {
                    env.append("MESHLENS_ES_URL=").append(es.url()).append('\n');
                }
                writeAtomically(o.envFile, env.toString());
                out.println("  wrote " + o.envFile);
            }
            if (o.once) {
                return 0;
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            final LocalKafka k = kafka;
            final LocalElasticsearch e = es;
            AtomicBoolean stopping = new AtomicBoolean();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopping.set(true);
                                out.println("meshlens local-stack: stopping ...");
                                stopQuietly(k, e);
                                out.println("meshlens local-stack: stopped");
                                out.flush();
                            },
                            "meshlens-local-stack-stop"));
            while (!stopping.get()) {
                if (kafka != null && !kafka.isRunning() && !stopping.get()) {
                    err.println("local-stack: Kafka exited unexpectedly; log " + kafka.logFile());
                    return 1;
                }
                if (es != null && !es.isRunning() && !stopping.get()) {
                    err.println("local-stack: Elasticsearch exited unexpectedly; log " + es.logFile());
                    return 1;
                }
                Thread.sleep(500);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (RuntimeException e) {
            err.println("local-stack: " + e.getMessage());
            return 1;
        } finally {
            starter.shutdownNow();
            stopQuietly(kafka, es);
        }
    }

    private static Callable<LocalKafka> kafkaStarter(Options o) {
        return () -> {
            LocalKafka.Builder b = LocalKafka.builder().port(o.kafkaPort);
            if (o.dataDir != null) {
                b.dataDir(o.dataDir.resolve("kafka"));
            }
            return b.start();
        };
    }

    private static Callable<LocalElasticsearch> esStarter(Options o) {
        return () -> {
            LocalElasticsearch.Builder b = LocalElasticsearch.builder()
                    .line(o.es8 ? LocalElasticsearch.Line.V8 : LocalElasticsearch.Line.V9)
                    .httpPort(o.esPort);
            if (o.dataDir != null) {
                b.instanceDir(o.dataDir.resolve(o.es8 ? "elasticsearch-8" : "elasticsearch"));
            }
            return b.start();
        };
    }

    private static void stopQuietly(LocalKafka kafka, LocalElasticsearch es) {
        Thread k = new Thread(() -> {
            if (kafka != null) {
                kafka.close();
            }
        });
        k.start();
        if (es != null) {
            es.close();
        }
        try {
            k.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static final class Options {
        int kafkaPort = DEFAULT_KAFKA_PORT;
        int esPort = DEFAULT_ES_PORT;
        Path dataDir;
        Path envFile;
        boolean es8;
        boolean kafka = true;
        boolean es = true;
        boolean once;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--kafka-port" -> o.kafkaPort = port(a, value(args, ++i, a));
                    case "--es-port" -> o.esPort = port(a, value(args, ++i, a));
                    case "--data-dir" ->
                        o.dataDir = Path.of(value(args, ++i, a)).toAbsolutePath();
                    case "--env-file" -> o.envFile = Path.of(value(args, ++i, a));
                    case "--es8" -> o.es8 = true;
                    case "--no-kafka" -> o.kafka = false;
                    case "--no-es" -> o.es = false;
                    case "--once" -> o.once = true;
                    case "-h", "--help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!o.kafka && !o.es && !o.help) {
                throw new IllegalArgumentException("--no-kafka and --no-es together leave nothing to start");
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int port(String option, String v) {
            try {
                int p = Integer.parseInt(v);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "invalid value " + v + " for " + option + ": expected a port 0..65535");
            }
        }
    }
}
