package dev.meshlens.localstack;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.PortConverter;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens local-stack}: starts a real Kafka broker and a real Elasticsearch node as
 * child processes on 127.0.0.1, prints their addresses, and keeps them running until Ctrl-C (or
 * until one of them dies). Both children are stopped by a shutdown hook, and exit by themselves
 * if this process is killed.
 */
@Command(
        name = "local-stack",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "start only the local Kafka broker and Elasticsearch node and print their addresses",
            "Starts Kafka and Elasticsearch on 127.0.0.1 as child processes and prints their addresses."
        },
        footer = "Stop with Ctrl-C.%n")
public final class LocalStackCommand implements Callable<Integer> {
    static final int DEFAULT_KAFKA_PORT = 9092;
    static final int DEFAULT_ES_PORT = 9200;

    @Spec
    private CommandSpec spec;

    @Mixin
    final Options o = new Options();

    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard streams. */
    public LocalStackCommand() {
        this(System.out, System.err);
    }

    private LocalStackCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Entry point for the launcher; returns the exit code and never calls System.exit. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new LocalStackCommand(out, err), args, out, err);
    }

    @Override
    public Integer call() {
        if (!o.kafka() && !o.es()) {
            throw new ParameterException(spec.commandLine(), "--no-kafka and --no-es together leave nothing to start");
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
                    + (o.kafka() ? " Kafka " + NodeLayout.Kind.KAFKA.version() : "")
                    + (o.kafka() && o.es() ? " and" : "")
                    + (o.es()
                            ? " Elasticsearch " + (o.es8 ? NodeLayout.Kind.ES_8 : NodeLayout.Kind.ES_9).version()
                            : "")
                    + " ...");
            out.flush();
            Future<LocalKafka> kafkaF = o.kafka() ? starter.submit(kafkaStarter(o)) : null;
            Future<LocalElasticsearch> esF = o.es() ? starter.submit(esStarter(o)) : null;
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
                b.dataDir(o.dataDir.toAbsolutePath().resolve("kafka"));
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
                b.instanceDir(o.dataDir.toAbsolutePath().resolve(o.es8 ? "elasticsearch-8" : "elasticsearch"));
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

    /** The options, kept apart from the command's streams. */
    static final class Options {
        @Option(
                names = "--kafka-port",
                paramLabel = "N",
                converter = PortConverter.class,
                description = "Kafka client port (default ${DEFAULT-VALUE}; 0 = any free port)")
        int kafkaPort = DEFAULT_KAFKA_PORT;

        @Option(
                names = "--es-port",
                paramLabel = "N",
                converter = PortConverter.class,
                description = "Elasticsearch HTTP port (default ${DEFAULT-VALUE}; 0 = any free port)")
        int esPort = DEFAULT_ES_PORT;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "keep data in DIR/kafka and DIR/elasticsearch across runs (default: temporary folders,"
                        + " removed on exit)")
        Path dataDir;

        @Option(
                names = "--env-file",
                paramLabel = "FILE",
                description = "once ready, write MESHLENS_KAFKA_BOOTSTRAP=... and MESHLENS_ES_URL=... lines to FILE"
                        + " (for scripts: tests then use these running services)")
        Path envFile;

        @Option(names = "--es8", description = "run the Elasticsearch 8.19 line instead of 9.x")
        boolean es8;

        @Option(names = "--no-kafka", description = "do not start Kafka")
        boolean noKafka;

        @Option(names = "--no-es", description = "do not start Elasticsearch")
        boolean noEs;

        @Option(names = "--once", description = "start, print, stop and exit (a smoke check)")
        boolean once;

        boolean kafka() {
            return !noKafka;
        }

        boolean es() {
            return !noEs;
        }
    }
}
