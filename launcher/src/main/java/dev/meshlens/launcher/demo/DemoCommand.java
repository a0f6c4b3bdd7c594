package dev.meshlens.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.PortConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./meshlens demo}: start everything, show where to look and the first findings, stop on Ctrl-C. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "run everything locally: Kafka, Elasticsearch, two simulated meshes, collectors, query API",
            "Runs a real Kafka broker and Elasticsearch node (child processes), an Istio mesh and a Consul mesh"
                    + " simulated with real certificates and injected faults, one collector per mesh with its own"
                    + " redaction policy, and the query API with its on-call page."
        })
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "working folder (default ${DEFAULT-VALUE}; wiped at start)")
    private Path dir = DemoOptions.DEFAULT_DIR;

    @Option(
            names = "--http-port",
            paramLabel = "N",
            converter = PortConverter.class,
            description = "query API port (default ${DEFAULT-VALUE}; 0 = any free port)")
    private int httpPort = DemoOptions.DEFAULT_HTTP_PORT;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the simulated meshes (default ${DEFAULT-VALUE})")
    private long seed = DemoOptions.DEFAULT_SEED;

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "requests per second per service edge, above 0 and at most 1000 (default ${DEFAULT-VALUE})")
    private double rate = DemoOptions.DEFAULT_RATE_PER_EDGE;

    @Option(
            names = "--run-for",
            paramLabel = "SECONDS",
            description = "stop by itself after this many seconds, 1 to 86400 (default: until Ctrl-C)")
    private Integer runFor;

    @Option(
            names = "--rotation-delay",
            paramLabel = "SECONDS",
            description =
                    "the second act, on a timer after the first findings: consul-dc1 starts a root rotation (a new"
                            + " root in its own bundle only; the trust matrix predicts the pairs that will fail), and SECONDS"
                            + " later its ledger moves to the new root and those handshakes fail (default ${DEFAULT-VALUE});"
                            + " 0 = no second act")
    private int rotationDelay = (int) DemoOptions.DEFAULT_ROTATION_DELAY.toSeconds();

    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard streams. */
    public DemoCommand() {
        this(System.out, System.err);
    }

    private DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new DemoCommand(out, err), args, out, err);
    }

    /** The options as given, checked against their ranges (a usage error names the option). */
    DemoOptions options() {
        if (!(rate > 0 && rate <= 1000)) {
            throw new ParameterException(spec.commandLine(), "--rate must be between 0 (exclusive) and 1000");
        }
        if (runFor != null && (runFor < 1 || runFor > 86_400)) {
            throw new ParameterException(spec.commandLine(), "--run-for must be between 1 and 86400");
        }
        if (rotationDelay < 0 || rotationDelay > 86_400) {
            throw new ParameterException(spec.commandLine(), "--rotation-delay must be between 0 and 86400");
        }
        return new DemoOptions(
                dir,
                httpPort,
                seed,
                rate,
                runFor == null ? null : Duration.ofSeconds(runFor),
                DemoOptions.DEFAULT_FINDINGS_TIMEOUT,
                rotationDelay == 0 ? null : Duration.ofSeconds(rotationDelay));
    }

    @Override
    public Integer call() {
        DemoOptions options = options();
        Demo demo;
        try {
            demo = Demo.start(options, out);
        } catch (IOException e) {
            err.println("meshlens demo: could not start: " + e.getMessage());
            err.println("meshlens demo: logs are in "
                    + options.dir().toAbsolutePath().resolve("logs"));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    out.println("\nmeshlens demo: stopping everything ...");
                    demo.close();
                    out.println("meshlens demo: stopped; nothing left running.");
                    out.flush();
                    stopped.countDown();
                },
                "meshlens-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        printWhereToLook(demo, out);
        printFirstFindings(demo, options, out);
        if (options.rotationDelay() != null) {
            Thread act = new Thread(() -> actTwo(demo, options.rotationDelay(), out), "meshlens-demo-act-two");
            act.setDaemon(true);
            act.start();
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            if (options.runFor() != null) {
                if (!stopped.await(options.runFor().toMillis(), TimeUnit.MILLISECONDS)) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    hook.run();
                }
            } else {
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void printWhereToLook(Demo demo, PrintStream out) {
        String api = demo.queryApiUrl();
        out.println();
        out.println("Where to look:");
        out.println("  on-call page      " + api + "/   (token: " + Demo.ONCALL_TOKEN + ")");
        out.println("  findings          curl -H 'Authorization: Bearer " + Demo.ONCALL_TOKEN + "' " + api
                + "/api/v1/findings");
        out.println("  why can't A->B?   curl -H 'Authorization: Bearer " + Demo.ONCALL_TOKEN + "' '" + api
                + "/api/v1/diagnose?from=frontend&to=billing'");
        out.println("  team tokens       " + Demo.ISTIO_TEAM_TOKEN + " sees only " + Demo.ISTIO_MESH + ", "
                + Demo.CONSUL_TEAM_TOKEN + " only " + Demo.CONSUL_MESH);
        out.println("  metrics           " + api + "/metrics  " + String.join("  ", demo.collectorMetricsUrls()));
        out.println("  Kafka             " + demo.kafkaBootstrap() + "   topics meshlens.events." + Demo.ISTIO_MESH
                + ", meshlens.events." + Demo.CONSUL_MESH + ", meshlens.findings");
        out.println(
                "  Elasticsearch     " + demo.elasticsearchUrl() + "   indices meshlens-events-*, meshlens-findings");
        out.println("  explain a line    ./meshlens explain "
                + demo.dir()
                        .resolve("meshes")
                        .resolve(Demo.ISTIO_MESH)
                        .resolve("backend")
                        .resolve("access.log"));
        out.println("  configs, logs     " + demo.dir().resolve("config") + "  "
                + demo.dir().resolve("logs"));
        out.println("Injected faults:");
        for (Demo.InjectedFault f : Demo.FAULTS) {
            out.println("  - " + f.description());
        }
        out.println("  - catalog's workload certificate expires in 5 days (inventory, alert)");
        out.println();
        out.flush();
    }

    /** Waits (bounded) until findings for the injected faults appear, and prints them. */
    private static void printFirstFindings(Demo demo, DemoOptions options, PrintStream out) {
        out.println("Waiting for the first findings (collectors -> Kafka -> correlation -> Elasticsearch) ...");
        out.flush();
        long t0 = System.nanoTime();
        long deadline = t0 + options.findingsTimeout().toNanos();
        JsonNode items = null;
        while (System.nanoTime() < deadline) {
            try {
                items = JSON.readTree(demo.get("/api/v1/findings?state=open&size=20", Demo.ONCALL_TOKEN))
                        .path("items");
                if (items.size() >= Demo.FAULTS.size()) {
                    break;
                }
            } catch (IOException e) {
                // the API answers once Elasticsearch has the index; keep waiting
            }
            Demo.sleep(2000);
        }
        if (items == null || items.isEmpty()) {
            out.println("  no findings yet after " + options.findingsTimeout().toSeconds() + " s; see the logs in "
                    + demo.dir().resolve("logs"));
            return;
        }
        out.printf(Locale.ROOT, "Open findings after %.0f s:%n", (System.nanoTime() - t0) / 1e9);
        for (JsonNode f : items) {
            out.printf(
                    Locale.ROOT,
                    "  %-20s %s -> %s/%s  x%d%n      %s%n      fix: %s%n",
                    f.path("category").asText(),
                    f.path("client_mesh").asText() + "/" + shortId(f.path("client_identity")),
                    f.path("server_mesh").asText(),
                    f.path("server_service").asText(),
                    f.path("count").asLong(),
                    f.path("direction").asText(),
                    f.path("remediation").asText());
        }
        out.println();
    }

    /**
     * The second act, on a timer: a root rotation the trust matrix flags before any handshake fails, then
     * the failures it predicted. Prints what to look at; never stops the demo.
     */
    private static void actTwo(Demo demo, Duration delay, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nAct two: mesh %s starts rotating its root: the new root is in its own trust bundle only, signing"
                        + " nothing yet. Watch the trust view (#/trust), the prediction in /api/v1/trust and"
                        + " meshlens_trust_gap_predicted_seconds{kind=\"rotation_pending\"} (alert"
                        + " MeshlensTrustGapPredicted); no handshake fails. In %d s %s moves to the new root.%n",
                Demo.ROTATING_MESH,
                delay.toSeconds(),
                Demo.MOVED_SERVICE);
        out.flush();
        demo.stageRotation();
        long deadline = System.nanoTime() + delay.toNanos();
        boolean predicted = false;
        while (System.nanoTime() < deadline) {
            if (!predicted) {
                try {
                    for (JsonNode p : JSON.readTree(demo.get("/api/v1/trust", Demo.ONCALL_TOKEN))
                            .path("predictions")) {
                        if ("rotation_pending".equals(p.path("kind").asText())
                                && Demo.ROTATING_MESH.equals(p.path("mesh").asText())) {
                            out.println("  predicted: " + p.path("description").asText());
                            out.flush();
                            predicted = true;
                        }
                    }
                } catch (IOException e) {
                    // the API is busy or not answering this once; ask again
                }
            }
            Demo.sleep(2000);
        }
        demo.moveRotatedWorkload();
        out.printf(
                Locale.ROOT,
                "  %s (%s) now presents a certificate of the new root: the predicted verification fails"
                        + " (UNTRUSTED_ROOT, %s's clients reject it) and the prediction becomes a rotation in"
                        + " progress.%n",
                Demo.MOVED_SERVICE,
                Demo.ROTATING_MESH,
                Demo.ISTIO_MESH);
        out.flush();
    }

    private static String shortId(JsonNode identity) {
        String s = identity.asText();
        int i = s.lastIndexOf('/');
        return i >= 0 ? s.substring(i + 1) : s;
    }
}
