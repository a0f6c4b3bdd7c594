package dev.meshlens.correlator;

import static dev.meshlens.correlator.CorrelatorKeys.*;

import dev.meshlens.config.Key;
import dev.meshlens.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of the correlator (a Kafka Streams application): validated {@link Settings} of the keys in
 * {@link CorrelatorKeys} (their documentation says what each one means), read through the accessors below. The
 * values are read once here: the topology asks for them per record.
 */
public final class CorrelationConfig {
    public static final Duration DEFAULT_WINDOW = WINDOW.defaultValue();
    public static final Duration DEFAULT_GRACE = GRACE.defaultValue();
    public static final Duration DEFAULT_STATS_INTERVAL = STATS_INTERVAL.defaultValue();
    public static final Duration DEFAULT_QUIET_TIME = QUIET_TIME.defaultValue();
    public static final Duration DEFAULT_RESOLVE_AFTER = RESOLVE_AFTER.defaultValue();
    public static final Duration DEFAULT_RESOLVED_RETENTION = RESOLVED_RETENTION.defaultValue();
    public static final String DEFAULT_INPUT_PATTERN = EVENTS_TOPIC_PATTERN.defaultValue();
    public static final String DEFAULT_FINDINGS_TOPIC = FINDINGS_TOPIC.defaultValue();
    /** Internal topic holding trust bundles and certificate inventories (read back as a global store). */
    public static final String INVENTORY_TOPIC_SUFFIX = "-inventory";
    /**
     * Internal topic through which the correlator writes to its own input: failure footprints to a mesh-wide
     * key, and counter deltas back to the keys whose failures they repeat (see {@link Loop}).
     */
    public static final String LOOP_TOPIC_SUFFIX = "-loop";

    private final Settings settings;
    private final String bootstrapServers;
    private final KafkaNames names;
    private final Duration window;
    private final Duration grace;
    private final Duration statsInterval;
    private final Duration quietTime;
    private final Duration resolveAfter;
    private final Duration resolvedRetention;
    private final Path stateDir;
    private final int partitions;
    private final String inputPattern;
    private final String findingsTopic;
    private final Map<String, String> extra;

    /**
     * @param settings the values, from a YAML file ({@link CorrelatorKeys#DEF}, the query API's table) or built in
     *     code
     */
    public CorrelationConfig(Settings settings) {
        this(settings, Map.of());
    }

    private CorrelationConfig(Settings settings, Map<String, String> moreClientProperties) {
        this.settings = settings;
        this.bootstrapServers = settings.get(BOOTSTRAP_SERVERS);
        if (bootstrapServers == null) {
            throw new IllegalArgumentException(
                    "Missing required configuration " + BOOTSTRAP_SERVERS.name() + " which has no default value");
        }
        this.names = KafkaNames.of(settings);
        this.window = settings.get(WINDOW);
        this.grace = settings.get(GRACE);
        this.statsInterval = settings.get(STATS_INTERVAL);
        this.quietTime = settings.get(QUIET_TIME);
        this.resolveAfter = settings.get(RESOLVE_AFTER);
        this.resolvedRetention = settings.get(RESOLVED_RETENTION);
        String dir = settings.get(STATE_DIR);
        this.stateDir = dir == null ? defaultStateDir() : Path.of(dir);
        this.partitions = settings.get(PARTITIONS);
        this.inputPattern = settings.get(EVENTS_TOPIC_PATTERN);
        this.findingsTopic = settings.get(FINDINGS_TOPIC);
        Map<String, String> client = new LinkedHashMap<>(moreClientProperties);
        client.putAll(settings.get(KAFKA_PROPERTIES).forClientAsStrings()); // what the user set wins
        this.extra = Map.copyOf(client);
    }

    /**
     * The same configuration with client properties the embedding process decides (e.g. the query API's topic
     * metadata age and static membership); {@code kafka.properties} still wins over them.
     */
    public CorrelationConfig withClientProperties(Map<String, String> more) {
        return new CorrelationConfig(settings, more);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * {@code ${java.io.tmpdir}/meshlens/correlation}: the same place Kafka Streams itself defaults to
     * ({@code ${java.io.tmpdir}/kafka-streams}), absolute whatever the working directory, and writable in the
     * container (the Helm chart mounts an emptyDir at /tmp under a read-only root file system). The state is a
     * cache of the changelog topics: losing it costs a restore, not data.
     */
    public static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "meshlens", "correlation")
                .toAbsolutePath();
    }

    /** Defaults for everything but the bootstrap servers and the state directory. */
    public static CorrelationConfig defaults(String bootstrapServers, Path stateDir) {
        return new CorrelationConfig(
                DEF.empty("defaults").with(BOOTSTRAP_SERVERS, bootstrapServers).with(STATE_DIR, stateDir.toString()));
    }

    /** A copy with one value replaced; the key's rules apply at once. */
    public <T> CorrelationConfig with(Key<T> key, T value) {
        return new CorrelationConfig(settings.with(key, value));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The Kafka Streams application id ({@link KafkaNames#applicationId()}). */
    public String applicationId() {
        return names.applicationId();
    }

    /** The Kafka names derived from {@code kafka.group_id} (ids, prefixes, topics). */
    public KafkaNames names() {
        return names;
    }

    public Duration window() {
        return window;
    }

    public Duration grace() {
        return grace;
    }

    public Duration statsInterval() {
        return statsInterval;
    }

    public Duration quietTime() {
        return quietTime;
    }

    public Duration resolveAfter() {
        return resolveAfter;
    }

    public Duration resolvedRetention() {
        return resolvedRetention;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** {@code correlation.partitions}: the correlation's partitions on a first start (existing topics keep theirs). */
    public int partitions() {
        return partitions;
    }

    public String inputPattern() {
        return inputPattern;
    }

    public String findingsTopic() {
        return findingsTopic;
    }

    /** Further Kafka client / Streams properties (override the defaults); secrets revealed for the client. */
    public Map<String, String> extra() {
        return extra;
    }

    /** The internal inventory topic name. */
    public String inventoryTopic() {
        return names.inventoryTopic();
    }

    /** The internal loop topic name. */
    public String loopTopic() {
        return names.loopTopic();
    }

    /** How long an unpaired half waits before it becomes a one-sided finding. */
    public Duration pairingHorizon() {
        return window.plus(statsInterval).plus(grace);
    }

    @Override
    public String toString() {
        return "CorrelationConfig" + settings.describe();
    }
}
