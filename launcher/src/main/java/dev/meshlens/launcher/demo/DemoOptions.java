package dev.meshlens.launcher.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Options of {@code ./meshlens demo}.
 *
 * @param dir working folder for logs, checkpoints, spools and data (wiped at start: the demo owns it)
 * @param httpPort query API port (0 = any free port)
 * @param seed seed of the simulated meshes (identities, certificates, traffic)
 * @param ratePerEdge simulated requests per second on each service-to-service edge
 * @param runFor stop by itself after this long (null = until Ctrl-C)
 * @param findingsTimeout how long to wait for the first findings before saying so
 * @param rotationDelay the second act: after the first findings, consul-dc1 stages a new root at once and moves
 *     ledger to it this much later (null = no second act)
 */
public record DemoOptions(
        Path dir,
        int httpPort,
        long seed,
        double ratePerEdge,
        Duration runFor,
        Duration findingsTimeout,
        Duration rotationDelay) {

    public static final Path DEFAULT_DIR = Path.of(".meshlens", "demo");
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final long DEFAULT_SEED = 7;
    public static final double DEFAULT_RATE_PER_EDGE = 2.0;
    public static final Duration DEFAULT_FINDINGS_TIMEOUT = Duration.ofMinutes(3);
    public static final Duration DEFAULT_ROTATION_DELAY = Duration.ofSeconds(60);

    /** The same options with {@code rotationDelay} replaced (null: no second act). */
    public DemoOptions withRotationDelay(Duration d) {
        return new DemoOptions(dir, httpPort, seed, ratePerEdge, runFor, findingsTimeout, d);
    }

    public static DemoOptions defaults() {
        return new DemoOptions(
                DEFAULT_DIR,
                DEFAULT_HTTP_PORT,
                DEFAULT_SEED,
                DEFAULT_RATE_PER_EDGE,
                null,
                DEFAULT_FINDINGS_TIMEOUT,
                DEFAULT_ROTATION_DELAY);
    }
}
