package dev.meshlens.collector.cli;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.ServiceOptions;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code collector --config FILE}: runs a per-mesh collector until the process is asked to stop. */
@Command(
        name = "collector",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "run a per-mesh collector until the process is asked to stop (docs/collector.md)")
public final class CollectorCommand implements Callable<Integer> {
    @Mixin
    private ServiceOptions service;

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop;

    /** The launcher's: standard streams, stops on JVM shutdown. */
    public CollectorCommand() {
        this(System.out, System.err, null);
    }

    private CollectorCommand(PrintStream out, PrintStream err, CountDownLatch stop) {
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err, null);
    }

    /** For running without the launcher. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @param stop when non-null, the collector stops when this latch opens (tests); else on JVM shutdown */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        return Cli.run(new CollectorCommand(out, err, stop), args, out, err);
    }

    @Override
    public Integer call() {
        Path config = service.config();
        CollectorConfig cfg;
        try {
            cfg = CollectorConfig.load(config);
        } catch (ConfigException e) {
            err.println("collector: " + e.getMessage());
            return 2;
        }
        if (service.check()) {
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
