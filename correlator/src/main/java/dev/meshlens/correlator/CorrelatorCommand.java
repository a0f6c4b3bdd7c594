package dev.meshlens.correlator;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.ServiceOptions;
import dev.meshlens.config.ConfigException;
import dev.meshlens.meters.ServiceMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./meshlens correlator --config FILE [--check]}: the correlator as a service of its own (the query API can
 * run the same one in-process). {@code --check} validates the file and prints the resolved configuration.
 */
@Command(
        name = "correlator",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "run the correlator on its own; otherwise the query API runs it (docs/correlation.md)")
public final class CorrelatorCommand implements Callable<Integer> {
    @Mixin
    private ServiceOptions service;

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop;

    /** The launcher's: standard streams, stops on JVM shutdown. */
    public CorrelatorCommand() {
        this(System.out, System.err, null);
    }

    private CorrelatorCommand(PrintStream out, PrintStream err, CountDownLatch stop) {
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err, null);
    }

    /** {@code stop}: counted down to stop (tests); null waits for the JVM's shutdown. */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        return Cli.run(new CorrelatorCommand(out, err, stop), args, out, err);
    }

    @Override
    public Integer call() {
        Path config = service.config();
        boolean check = service.check();
        CorrelationConfig cfg;
        try {
            cfg = new CorrelationConfig(CorrelatorKeys.DEF.load(config));
        } catch (ConfigException e) {
            err.println("correlator: " + e.getMessage());
            return 2;
        }
        cfg.settings().warnings().forEach(w -> err.println("correlator: warning: " + w));
        PrintStream shown = check ? out : err;
        if (check) {
            out.println("configuration " + config + " is valid");
        }
        cfg.settings().describe().forEach((k, v) -> shown.println("  " + k + " = " + v));
        if (check) {
            return 0;
        }
        CountDownLatch latch = stop != null ? stop : new CountDownLatch(1);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceMeters.bindTo(registry);
        CorrelationService service;
        try {
            service = new CorrelationService(cfg, registry).start();
        } catch (RuntimeException e) {
            err.println("correlator: cannot start: " + e);
            return 1;
        }
        HealthEndpoint http = null;
        int port = cfg.settings().get(CorrelatorKeys.METRICS_PORT);
        if (port >= 0) {
            try {
                CorrelationService running = service;
                http = HealthEndpoint.start(port, registry, running::isRunning);
                out.println("correlator: metrics and health on http://0.0.0.0:" + http.port() + "/metrics");
            } catch (IOException e) {
                service.close();
                err.println("correlator: cannot listen on " + CorrelatorKeys.METRICS_PORT.name() + " " + port + ": "
                        + e.getMessage());
                return 2;
            }
        }
        out.println("correlator: running as " + cfg.applicationId() + " on " + cfg.bootstrapServers() + ", findings to "
                + cfg.findingsTopic());
        if (stop == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(latch::countDown, "meshlens-correlator-shutdown"));
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (http != null) {
                http.close();
            }
            service.close();
        }
        return 0;
    }
}
