package dev.meshlens.correlator;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Settings;
import dev.meshlens.config.Validators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The correlator's configuration keys, declared once: the standalone correlator ({@code ./meshlens correlator
 * --config FILE}, {@link #DEF}) and the query API that runs it in-process use the same constants, and
 * docs/correlation.md and the JSON Schema are generated from them. The names under {@code correlation.settings.}
 * are the deprecated spellings of the query API's old free-form map.
 */
public final class CorrelatorKeys {
    private CorrelatorKeys() {}

    /** The old free-form map of the query API (kebab-case names inside). */
    private static final String OLD = "correlation.settings.";

    public static final Key<String> BOOTSTRAP_SERVERS = Key.string("kafka.bootstrap_servers")
            .required()
            .validate(Validators.notBlank())
            .doc("Kafka bootstrap servers, host:port[,host:port]");
    /*
     * The stem of every Kafka name of the shared side (KafkaNames derives them): one prefix ACL on it covers the
     * query API and the correlator, whether the correlator runs inside the query API or alone.
     */
    public static final Key<String> GROUP_ID = Key.string("kafka.group_id")
            .defaultValue("meshlens-query-api")
            .validate(Validators.notBlank())
            .doc("consumer group of the ingest loops, and the stem of the other Kafka names of the query API and the"
                    + " correlator: `<group>-findings` (findings ingest), `<group>-correlator` (the correlator's"
                    + " application id unless correlation.application_id is set); docs/production.md lists the ACLs");
    public static final Key<ClientProperties> KAFKA_PROPERTIES =
            Key.properties("kafka.properties").doc("extra Kafka client properties (security.protocol, sasl.*, ssl.*)");
    public static final Key<String> EVENTS_TOPIC_PATTERN = Key.string("kafka.events_topic_pattern")
            .defaultValue("meshlens\\.events\\..*")
            .validate(Validators.regex("meshlens\\.events\\..*"))
            .doc("regex of the per-mesh event topics; new matching topics are picked up without a restart");
    public static final Key<String> FINDINGS_TOPIC = Key.string("kafka.findings_topic")
            .defaultValue("meshlens.findings")
            .validate(Validators.notBlank())
            .doc("topic the correlator writes findings to (key = finding id)");

    public static final Key<String> APPLICATION_ID = Key.string("correlation.application_id")
            .defaultDoc("<kafka.group_id>-correlator")
            .validate(Validators.notBlank())
            .alias(OLD + "application-id")
            .doc("Kafka Streams application id: its consumer group, the prefix of its internal topics and of its"
                    + " transactional ids (exactly-once). Set it only to keep the state of an older release"
                    + " (`meshlens-correlator`)");
    public static final Key<Duration> WINDOW = Key.duration("correlation.window")
            .defaultValue(Duration.ofSeconds(5))
            .validate(Validators.positive())
            .alias(OLD + "window")
            .doc("largest time difference between the two halves of one handshake (clock skew between the meshes plus"
                    + " logging delay)");
    public static final Key<Duration> GRACE = Key.duration("correlation.grace")
            .defaultValue(Duration.ofSeconds(5))
            .alias(OLD + "grace")
            .doc("how long after a half's window closed (in stream time) late records are still paired");
    public static final Key<Duration> STATS_INTERVAL = Key.duration("correlation.stats_interval")
            .defaultValue(Duration.ofSeconds(15))
            .alias(OLD + "stats-interval")
            .doc(
                    "the longest admin poll interval of the collectors: an ssl.* delta covers [poll - interval, poll], so a"
                            + " half waits this long for it");
    public static final Key<Duration> QUIET_TIME = Key.duration("correlation.quiet_time")
            .defaultValue(Duration.ofMinutes(30))
            .validate(Validators.positive())
            .alias(OLD + "quiet-time")
            .doc(
                    "an open finding with no failure for this long resolves (quiet): in stream time, and in wall-clock time"
                            + " when nothing arrives at all");
    /*
     * Five minutes of successes without a failure: longer than the gaps of an intermittent fault or of a root
     * rotation that reaches the pods one by one, short against the quiet time.
     */
    public static final Key<Duration> RESOLVE_AFTER = Key.duration("correlation.resolve_after")
            .defaultValue(Duration.ofMinutes(5))
            .validate(Validators.positive())
            .alias(OLD + "resolve-after")
            .doc("an open finding resolves when successful mTLS between its pair has been seen for this long without a"
                    + " failure (a success between two failures never resolves it)");
    public static final Key<Duration> RESOLVED_RETENTION = Key.duration("correlation.resolved_retention")
            .defaultValue(Duration.ofHours(24))
            .validate(Validators.positive())
            .alias(OLD + "resolved-retention")
            .doc("resolved findings and directory entries leave the state stores after this");
    /*
     * Three: enough for the single instance most deployments start with and a spare, cheap in changelog partitions.
     * Fixed at the first start: the state's key-to-task layout follows it, so an existing topic keeps its count.
     */
    public static final Key<Integer> PARTITIONS = Key.integer("correlation.partitions")
            .defaultValue(3)
            .validate(Validators.range(1, 1000))
            .doc("partitions of the correlation step, set on the first start: of `<application_id>-by-destination-"
                    + "repartition` and `<application_id>-loop`, so the number of correlation tasks (and of their"
                    + " changelog partitions) and the most instances that share the correlation. Existing topics keep"
                    + " their count (a different value is logged at start and ignored: changing it needs a new"
                    + " application id, docs/production.md \"Scaling out\")");
    public static final Key<String> STATE_DIR = Key.string("correlation.state_dir")
            .alias(OLD + "state-dir")
            .defaultDoc("${java.io.tmpdir}/meshlens/correlation")
            .doc("where RocksDB state lives (a cache of the changelog topics: losing it costs a restore, not data)");

    /** The keys the query API takes over as they are (it adds its own around them). */
    public static final List<Key<?>> KEYS = List.of(
            BOOTSTRAP_SERVERS,
            GROUP_ID,
            KAFKA_PROPERTIES,
            EVENTS_TOPIC_PATTERN,
            FINDINGS_TOPIC,
            APPLICATION_ID,
            WINDOW,
            GRACE,
            STATS_INTERVAL,
            QUIET_TIME,
            RESOLVE_AFTER,
            RESOLVED_RETENTION,
            STATE_DIR,
            PARTITIONS);

    /** Only the standalone correlator's: inside the query API, its HTTP port serves the same. */
    public static final Key<Integer> METRICS_PORT = Key.integer("metrics.port")
            .defaultValue(-1)
            .validate(Validators.range(-1, 65535))
            .doc("port of /metrics (Prometheus), /healthz and /readyz (ready while the streams run) on all interfaces;"
                    + " -1 = off, 0 = any free port");

    /** The standalone correlator's table. */
    public static final ConfigDef DEF = ConfigDef.of(
                    "correlator",
                    "The correlator as a service of its own (./meshlens correlator --config FILE).",
                    standaloneKeys())
            .check(CorrelatorKeys::graceNotNegative);

    private static List<Key<?>> standaloneKeys() {
        List<Key<?>> k = new ArrayList<>(KEYS);
        k.add(METRICS_PORT);
        return List.copyOf(k);
    }

    /** Rules over correlator keys (the query API's table runs it too). */
    public static void graceNotNegative(Settings s, List<Problem> problems) {
        for (Key<Duration> k : List.of(GRACE, STATS_INTERVAL)) {
            if (s.get(k).isNegative()) {
                problems.add(new Problem(
                        s.line(k),
                        k.name(),
                        "Invalid value for configuration " + k.name() + ": must not be negative",
                        "set it to 0s or longer"));
            }
        }
    }
}
