package dev.meshlens.correlator;

import dev.meshlens.config.ConfigArgs;
import dev.meshlens.config.ConfigException;
import dev.meshlens.meters.ServiceMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./meshlens correlator --config FILE [--check]}: the correlator as a service of its own (the query API can
 * run the same one in-process). {@code --check} validates the file and prints the resolved configuration.
 */
public final class CorrelatorCommand {
    static final String USAGE = "usage: correlator --config FILE [--check]\n"
            + "  --config FILE  the correlator's YAML configuration (docs/correlation.md)\n"
            + "  --check        validate the file, print the resolved configuration (secrets as [hidden]) and exit\n";

    private CorrelatorCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err, null);
    }

    /** {@code stop}: counted down to stop (tests); null waits for the JVM's shutdown. */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        ConfigArgs parsed = ConfigArgs.parse("correlator", USAGE, args, out, err);
        if (parsed.exit() != null) {
            return parsed.exit();
        }
        String config = parsed.config();
        boolean check = parsed.check();
        CorrelationConfig cfg;
        try {
            cfg = new CorrelationConfig(CorrelatorKeys.DEF.load(Path.of(config)));
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
