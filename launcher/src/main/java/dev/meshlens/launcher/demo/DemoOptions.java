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

    static final String USAGE = """
      usage: meshlens demo [options]
        Runs everything locally: a real Kafka broker and Elasticsearch node (child processes), an Istio
        mesh and a Consul mesh simulated with real certificates and injected faults, one collector per
        mesh with its own redaction policy, and the query API with its on-call page.
        --dir DIR          working folder (default .meshlens/demo; wiped at start)
        --http-port N      query API port (default 8080; 0 = any free port)
        --seed N           seed of the simulated meshes (default 7)
        --rate N           requests per second per service edge (default 2)
        --run-for SECONDS  stop by itself after this many seconds (default: until Ctrl-C)
        --rotation-delay SECONDS
                           the second act, on a timer after the first findings: consul-dc1 starts a root
                           rotation (a new root in its own bundle only; the trust matrix predicts the
                           pairs that will fail), and SECONDS later (default 60) its ledger moves to the
                           new root and those handshakes fail; 0 = no second act
        -h, --help         this text""";

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

    /** Parses command-line options; {@code null} means help was asked for. */
    static DemoOptions parse(String[] args) {
        DemoOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--dir" ->
                    o = new DemoOptions(
                            Path.of(value(args, ++i, a)),
                            o.httpPort,
                            o.seed,
                            o.ratePerEdge,
                            o.runFor,
                            o.findingsTimeout,
                            o.rotationDelay);
                case "--http-port" ->
                    o = new DemoOptions(
                            o.dir,
                            intValue(args, ++i, a, 0, 65535),
                            o.seed,
                            o.ratePerEdge,
                            o.runFor,
                            o.findingsTimeout,
                            o.rotationDelay);
                case "--seed" ->
                    o = new DemoOptions(
                            o.dir,
                            o.httpPort,
                            longValue(args, ++i, a),
                            o.ratePerEdge,
                            o.runFor,
                            o.findingsTimeout,
                            o.rotationDelay);
                case "--rate" -> {
                    double r;
                    try {
                        r = Double.parseDouble(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rate needs a number, e.g. --rate 2");
                    }
                    if (!(r > 0 && r <= 1000)) {
                        throw new IllegalArgumentException("--rate must be between 0 (exclusive) and 1000");
                    }
                    o = new DemoOptions(o.dir, o.httpPort, o.seed, r, o.runFor, o.findingsTimeout, o.rotationDelay);
                }
                case "--run-for" ->
                    o = new DemoOptions(
                            o.dir,
                            o.httpPort,
                            o.seed,
                            o.ratePerEdge,
                            Duration.ofSeconds(intValue(args, ++i, a, 1, 86_400)),
                            o.findingsTimeout,
                            o.rotationDelay);
                case "--rotation-delay" -> {
                    int seconds = intValue(args, ++i, a, 0, 86_400);
                    o = o.withRotationDelay(seconds == 0 ? null : Duration.ofSeconds(seconds));
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return o;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String opt, int min, int max) {
        long v = longValue(args, i, opt);
        if (v < min || v > max) {
            throw new IllegalArgumentException(opt + " must be between " + min + " and " + max);
        }
        return (int) v;
    }

    private static long longValue(String[] args, int i, String opt) {
        String v = value(args, i, opt);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a whole number, got '" + v + "'");
        }
    }
}
