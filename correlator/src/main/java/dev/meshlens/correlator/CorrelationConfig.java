package dev.meshlens.correlator;

import static dev.meshlens.correlator.CorrelatorKeys.*;

import dev.meshlens.config.Key;
import dev.meshlens.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the correlator (a Kafka Streams application): validated {@link Settings} of the keys in
 * {@link CorrelatorKeys} (their documentation says what each one means), read through the accessors below.
 *
 * @param settings the values, from a YAML file ({@link CorrelatorKeys#DEF}, the query API's table) or built in code
 */
public record CorrelationConfig(Settings settings) {
  public static final Duration DEFAULT_WINDOW = WINDOW.defaultValue();
  public static final Duration DEFAULT_GRACE = GRACE.defaultValue();
  public static final Duration DEFAULT_STATS_INTERVAL = STATS_INTERVAL.defaultValue();
  public static final Duration DEFAULT_QUIET_TIME = QUIET_TIME.defaultValue();
  public static final Duration DEFAULT_RESOLVE_AFTER = RESOLVE_AFTER.defaultValue();
  public static final Duration DEFAULT_RESOLVED_RETENTION = RESOLVED_RETENTION.defaultValue();
  public static final String DEFAULT_APPLICATION_ID = APPLICATION_ID.defaultValue();
  public static final String DEFAULT_INPUT_PATTERN = EVENTS_TOPIC_PATTERN.defaultValue();
  public static final String DEFAULT_FINDINGS_TOPIC = FINDINGS_TOPIC.defaultValue();
  /** Internal topic holding trust bundles and certificate inventories (read back as a global store). */
  public static final String INVENTORY_TOPIC_SUFFIX = "-inventory";
  /**
   * Internal topic through which the correlator writes to its own input: failure footprints to a mesh-wide
   * key, and counter deltas back to the keys whose failures they repeat (see {@link Loop}).
   */
  public static final String LOOP_TOPIC_SUFFIX = "-loop";

  public CorrelationConfig {
    if (settings.get(BOOTSTRAP_SERVERS) == null) {
      throw new IllegalArgumentException("Missing required configuration " + BOOTSTRAP_SERVERS.name()
          + " which has no default value");
    }
  }

  /**
   * {@code ${java.io.tmpdir}/meshlens/correlation}: the same place Kafka Streams itself defaults to
   * ({@code ${java.io.tmpdir}/kafka-streams}), absolute whatever the working directory, and writable in the
   * container (the Helm chart mounts an emptyDir at /tmp under a read-only root file system). The state is a
   * cache of the changelog topics: losing it costs a restore, not data.
   */
  public static Path defaultStateDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "meshlens", "correlation").toAbsolutePath();
  }

  /** Defaults for everything but the bootstrap servers and the state directory. */
  public static CorrelationConfig defaults(String bootstrapServers, Path stateDir) {
    return new CorrelationConfig(DEF.empty("defaults").with(BOOTSTRAP_SERVERS, bootstrapServers)
        .with(STATE_DIR, stateDir.toString()));
  }

  /** A copy with one value replaced; the key's rules apply at once. */
  public <T> CorrelationConfig with(Key<T> key, T value) {
    return new CorrelationConfig(settings.with(key, value));
  }

  public String bootstrapServers() {
    return settings.get(BOOTSTRAP_SERVERS);
  }

  public String applicationId() {
    return settings.get(APPLICATION_ID);
  }

  public Duration window() {
    return settings.get(WINDOW);
  }

  public Duration grace() {
    return settings.get(GRACE);
  }

  public Duration statsInterval() {
    return settings.get(STATS_INTERVAL);
  }

  public Duration quietTime() {
    return settings.get(QUIET_TIME);
  }

  public Duration resolveAfter() {
    return settings.get(RESOLVE_AFTER);
  }

  public Duration resolvedRetention() {
    return settings.get(RESOLVED_RETENTION);
  }

  public Path stateDir() {
    String dir = settings.get(STATE_DIR);
    return dir == null ? defaultStateDir() : Path.of(dir);
  }

  public String inputPattern() {
    return settings.get(EVENTS_TOPIC_PATTERN);
  }

  public String findingsTopic() {
    return settings.get(FINDINGS_TOPIC);
  }

  /** Further Kafka client / Streams properties (override the defaults); secrets revealed for the client. */
  public Map<String, String> extra() {
    return settings.get(KAFKA_PROPERTIES).forClientAsStrings();
  }

  /** The internal inventory topic name. */
  public String inventoryTopic() {
    return applicationId() + INVENTORY_TOPIC_SUFFIX;
  }

  /** The internal loop topic name. */
  public String loopTopic() {
    return applicationId() + LOOP_TOPIC_SUFFIX;
  }

  /** How long an unpaired half waits before it becomes a one-sided finding. */
  public Duration pairingHorizon() {
    return window().plus(statsInterval()).plus(grace());
  }

  @Override
  public String toString() {
    return "CorrelationConfig" + settings.describe();
  }
}
