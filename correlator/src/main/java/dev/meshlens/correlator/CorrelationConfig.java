package dev.meshlens.correlator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the correlator (a Kafka Streams application).
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id (consumer group, prefix of internal topics)
 * @param window largest time difference between the two halves of one handshake (clock skew between
 *     the meshes plus logging delay); default ±5 s
 * @param grace how long after a half's window closed (in stream time) late records are still paired
 * @param statsInterval the longest admin poll interval of the collectors: a half waits this long
 *     for an {@code ssl.*} counter delta of the other side
 * @param quietTime an open finding with no failure for this long resolves ("quiet")
 * @param resolveAfter an open finding resolves when successful mTLS between its pair has been seen for
 *     this long without a failure (a success between two failures never resolves it)
 * @param resolvedRetention a resolved finding leaves the state store this long after it was last seen
 * @param stateDir where RocksDB state lives (restored from changelog topics when lost); default
 *     {@link #defaultStateDir()}
 * @param inputPattern regex of the mesh topics
 * @param findingsTopic where findings are written (key = finding id)
 * @param extra further Kafka Streams properties (override the defaults)
 */
public record CorrelationConfig(String bootstrapServers, String applicationId, Duration window, Duration grace,
    Duration statsInterval, Duration quietTime, Duration resolveAfter, Duration resolvedRetention, Path stateDir,
    String inputPattern, String findingsTopic, Map<String, String> extra) {

  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(5);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_QUIET_TIME = Duration.ofMinutes(30);
  /**
   * Five minutes of successes without a failure: longer than the gaps of an intermittent fault or of a root
   * rotation that reaches the pods one by one, short against the quiet time.
   */
  public static final Duration DEFAULT_RESOLVE_AFTER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_RESOLVED_RETENTION = Duration.ofHours(24);
  public static final String DEFAULT_APPLICATION_ID = "meshlens-correlator";
  public static final String DEFAULT_INPUT_PATTERN = "meshlens\\.events\\..*";
  public static final String DEFAULT_FINDINGS_TOPIC = "meshlens.findings";
  /** Internal topic holding trust bundles and certificate inventories (read back as a global store). */
  public static final String INVENTORY_TOPIC_SUFFIX = "-inventory";
  /**
   * Internal topic through which the correlator writes to its own input: failure footprints to a mesh-wide
   * key, and counter deltas back to the keys whose failures they repeat (see {@link Loop}).
   */
  public static final String LOOP_TOPIC_SUFFIX = "-loop";

  public CorrelationConfig {
    extra = extra == null ? Map.of() : Map.copyOf(extra);
    List<String> problems = new ArrayList<>();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      problems.add("Missing required configuration bootstrap-servers which has no default value");
    }
    if (applicationId == null || applicationId.isBlank()) {
      problems.add("Missing required configuration application-id");
    }
    positive(problems, "window", window);
    nonNegative(problems, "grace", grace);
    nonNegative(problems, "stats-interval", statsInterval);
    positive(problems, "quiet-time", quietTime);
    positive(problems, "resolve-after", resolveAfter);
    positive(problems, "resolved-retention", resolvedRetention);
    if (stateDir == null) {
      problems.add("Missing required configuration state-dir");
    }
    if (inputPattern == null || inputPattern.isBlank()) {
      problems.add("Missing required configuration inputPattern");
    } else {
      try {
        java.util.regex.Pattern.compile(inputPattern);
      } catch (java.util.regex.PatternSyntaxException e) {
        problems.add("Invalid value " + inputPattern + " for configuration inputPattern: " + e.getDescription());
      }
    }
    if (findingsTopic == null || findingsTopic.isBlank()) {
      problems.add("Missing required configuration findingsTopic");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static void positive(List<String> problems, String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add("Invalid value " + d + " for configuration " + key + ": must be positive");
    }
  }

  private static void nonNegative(List<String> problems, String key, Duration d) {
    if (d == null || d.isNegative()) {
      problems.add("Invalid value " + d + " for configuration " + key + ": must not be negative");
    }
  }

  /** The configuration as it was before {@code resolveAfter} existed: that one takes its default. */
  public CorrelationConfig(String bootstrapServers, String applicationId, Duration window, Duration grace,
      Duration statsInterval, Duration quietTime, Duration resolvedRetention, Path stateDir, String inputPattern,
      String findingsTopic, Map<String, String> extra) {
    this(bootstrapServers, applicationId, window, grace, statsInterval, quietTime, DEFAULT_RESOLVE_AFTER,
        resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
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
    return new CorrelationConfig(bootstrapServers, DEFAULT_APPLICATION_ID, DEFAULT_WINDOW, DEFAULT_GRACE,
        DEFAULT_STATS_INTERVAL, DEFAULT_QUIET_TIME, DEFAULT_RESOLVE_AFTER, DEFAULT_RESOLVED_RETENTION, stateDir,
        DEFAULT_INPUT_PATTERN, DEFAULT_FINDINGS_TOPIC, Map.of());
  }

  public CorrelationConfig withWindow(Duration window, Duration grace) {
    return new CorrelationConfig(bootstrapServers, applicationId, window, grace, statsInterval, quietTime,
        resolveAfter, resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
  }

  public CorrelationConfig withApplicationId(String id) {
    return new CorrelationConfig(bootstrapServers, id, window, grace, statsInterval, quietTime, resolveAfter,
        resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
  }

  public CorrelationConfig withQuietTime(Duration quiet) {
    return new CorrelationConfig(bootstrapServers, applicationId, window, grace, statsInterval, quiet,
        resolveAfter, resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
  }

  public CorrelationConfig withResolveAfter(Duration sustained) {
    return new CorrelationConfig(bootstrapServers, applicationId, window, grace, statsInterval, quietTime,
        sustained, resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
  }

  public CorrelationConfig withStatsInterval(Duration interval) {
    return new CorrelationConfig(bootstrapServers, applicationId, window, grace, interval, quietTime,
        resolveAfter, resolvedRetention, stateDir, inputPattern, findingsTopic, extra);
  }

  public CorrelationConfig withExtra(Map<String, String> props) {
    return new CorrelationConfig(bootstrapServers, applicationId, window, grace, statsInterval, quietTime,
        resolveAfter, resolvedRetention, stateDir, inputPattern, findingsTopic, props);
  }

  /** The internal inventory topic name. */
  public String inventoryTopic() {
    return applicationId + INVENTORY_TOPIC_SUFFIX;
  }

  /** The internal loop topic name. */
  public String loopTopic() {
    return applicationId + LOOP_TOPIC_SUFFIX;
  }

  /** How long an unpaired half waits before it becomes a one-sided finding. */
  public Duration pairingHorizon() {
    return window.plus(statsInterval).plus(grace);
  }

  @Override
  public String toString() {
    return "CorrelationConfig{applicationId=" + applicationId + ", bootstrapServers=" + bootstrapServers + ", window="
        + window + ", grace=" + grace + ", statsInterval=" + statsInterval + ", quietTime=" + quietTime
        + ", resolveAfter=" + resolveAfter + ", resolvedRetention=" + resolvedRetention + ", stateDir=" + stateDir
        + ", inputPattern=" + inputPattern + ", findingsTopic=" + findingsTopic + ", extra=" + extra.keySet() + "}";
  }

  static String require(String s, String name) {
    return Objects.requireNonNull(s, name);
  }
}
