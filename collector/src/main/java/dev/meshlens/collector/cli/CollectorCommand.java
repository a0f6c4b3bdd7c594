package dev.meshlens.collector.cli;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.config.ConfigArgs;
import dev.meshlens.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code collector --config FILE}: runs a per-mesh collector until the process is asked to stop. */
public final class CollectorCommand {
    static final String USAGE = "usage: collector --config FILE [--check]\n"
            + "  --config FILE  the collector's YAML configuration (see docs/collector.md)\n"
            + "  --check        validate the configuration and exit\n";

    private CollectorCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err, null);
    }

    /** For running without the launcher. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @param stop when non-null, the collector stops when this latch opens (tests); else on JVM shutdown */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        ConfigArgs parsed = ConfigArgs.parse("collector", USAGE, args, out, err);
        if (parsed.exit() != null) {
            return parsed.exit();
        }
        String config = parsed.config();
        boolean check = parsed.check();
        CollectorConfig cfg;
        try {
            cfg = CollectorConfig.load(Path.of(config));
        } catch (ConfigException e) {
            err.println("collector: " + e.getMessage());
            return 2;
        }
        if (check) {
            out.println("configuration " + config + " is valid");
            cfg.warnings().forEach(w -> out.println("  warning: " + w));
            cfg.describe().forEach((k, v) -> out.println("  " + k + " = " + v));
            return 0;
        }
        CountDownLatch latch = stop != null ? stop : new CountDownLatch(1);
        Collector c;
        try {
            c = new Collector(cfg).start();
        } catch (Exception e) {
            err.println("collector: cannot start: " + e);
            return 1;
        }
        Thread hook = null;
        if (stop == null) {
            Collector running = c;
            hook = new Thread(
                    () -> {
                        latch.countDown();
                        running.close(); // finish closing (flush, checkpoints) before the JVM exits
                    },
                    "meshlens-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.close();
        }
        return 0;
    }
}
