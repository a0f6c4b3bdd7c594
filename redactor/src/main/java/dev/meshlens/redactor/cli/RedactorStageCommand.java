package dev.meshlens.redactor.cli;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.ServiceOptions;
import dev.meshlens.config.ConfigException;
import dev.meshlens.meters.ServiceMeters;
import dev.meshlens.redactor.PolicyException;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import dev.meshlens.redactor.stage.RedactorStage;
import dev.meshlens.redactor.stage.StageConfig;
import dev.meshlens.telemetry.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code meshlens redactor --config FILE}: runs the Kafka-to-Kafka redaction stage until the
 * process is stopped (SIGTERM / Ctrl-C finish the current transaction first). Exit codes: 0 after
 * a clean stop, 1 on a fatal Kafka error, 2 on a configuration or policy error.
 */
@Command(
        name = "redactor",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "run the Kafka-to-Kafka redaction stage",
            "Consumes raw event JSON from a private topic, redacts it with the mesh's policy and produces it, exactly"
                    + " once, to meshlens.events.<mesh>. Config keys: see docs/redaction.md."
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:a clean stop", "1:a fatal Kafka error", "2:a usage, configuration or policy error"})
public final class RedactorStageCommand implements Callable<Integer> {
    @Mixin
    private ServiceOptions service;

    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard streams. */
    public RedactorStageCommand() {
        this(System.out, System.err);
    }

    private RedactorStageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new RedactorStageCommand(out, err), args, out, err);
    }

    @Override
    public Integer call() {
        Path config = service.config();
        StageConfig cfg;
        RedactionEngine engine;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceMeters.bindTo(registry); // JVM and process meters, for the life of the process
        try {
            cfg = StageConfig.load(config);
            Path policyPath = cfg.policyPath();
            RedactionPolicy policy =
                    policyPath == null ? RedactionPolicy.defaultPolicy() : RedactionPolicy.load(policyPath);
            if (!policy.mesh().equals("*") && !policy.mesh().equals(cfg.mesh())) {
                err.println("redactor: policy " + policy.id() + " is written for mesh '" + policy.mesh()
                        + "' but this stage redacts mesh '" + cfg.mesh() + "'; fix `mesh` in the policy or the config");
                return 2;
            }
            engine = new RedactionEngine(policy, null, registry);
        } catch (PolicyException | IllegalArgumentException | ConfigException e) {
            err.println("redactor: " + e.getMessage());
            return 2;
        }
        if (service.check()) {
            // the configuration and its policy load: what the other services' --check print, nothing started
            out.println("configuration " + config + " is valid (policy "
                    + engine.policy().id() + ")");
            cfg.warnings().forEach(w -> out.println("  warning: " + w));
            cfg.describe().forEach(line -> out.println("  " + line));
            return 0;
        }
        cfg.warnings().forEach(w -> err.println("redactor: warning: " + w));
        out.println("redactor: configuration");
        for (String line : cfg.describe()) {
            out.println("  " + line);
        }
        HttpServer metrics = null;
        int port = cfg.get(StageConfig.METRICS_PORT);
        if (port >= 0) {
            try {
                metrics = metricsServer(port, registry);
                out.println("redactor: metrics on http://0.0.0.0:"
                        + metrics.getAddress().getPort() + "/metrics");
            } catch (IOException e) {
                err.println("redactor: cannot listen on metrics.port " + port + ": " + e.getMessage());
                return 2;
            }
        }
        RedactorStage stage;
        // traces per the standard OTEL_* variables (exported nowhere unless OTEL_TRACES_EXPORTER names one)
        OpenTelemetrySdk otel = Telemetry.start("meshlens-redactor");
        try {
            stage = new RedactorStage(cfg, engine, registry, otel);
        } catch (RuntimeException e) {
            err.println("redactor: cannot start: " + e);
            if (metrics != null) {
                metrics.stop(0);
            }
            otel.close();
            return 1;
        }
        final HttpServer server = metrics;
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stage.stop();
                    try {
                        done.await();
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                },
                "redactor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stage.run();
            return 0;
        } catch (RuntimeException e) {
            err.println("redactor: stopped: " + e);
            return 1;
        } finally {
            stage.close();
            otel.close();
            if (server != null) {
                server.stop(0);
            }
            out.println("redactor: published " + stage.published() + ", dead-lettered " + stage.deadLettered());
            done.countDown();
        }
    }

    /** /metrics (Prometheus text) and /healthz on a JDK HTTP server; blocking work is trivial. */
    static HttpServer metricsServer(int port, PrometheusMeterRegistry registry) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/metrics", ex -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        // /readyz too: the Helm chart's readiness probe asks it (the stage serves once its config and policy loaded)
        server.createContext("/readyz", ex -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.createContext("/healthz", ex -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server;
    }
}
