package dev.meshlens.query.cli;

import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.query.config.ConfigException;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.ingest.GroupMembership;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The correlator's configuration inside the query API: a {@link CorrelationConfig} built from {@code kafka.*} and
 * the {@code correlation.settings} map (keys: window, grace, stats-interval, quiet-time, resolve-after,
 * resolved-retention, state-dir, application-id; docs/correlation.md "Settings"), every problem reported with its
 * key. The query API starts the correlator in-process with it ({@link QueryApiCommand}).
 */
final class CorrelationSettings {
  static final Set<String> SETTINGS = Set.of("window", "grace", "stats-interval", "quiet-time", "resolve-after",
      "resolved-retention", "state-dir", "application-id");

  private CorrelationSettings() {}

  /** The correlator's configuration from the query-api configuration. */
  static CorrelationConfig config(QueryApiConfig c) {
    Map<String, String> s = c.map("correlation.settings");
    List<String> problems = new ArrayList<>();
    for (String k : s.keySet()) {
      if (!SETTINGS.contains(k)) {
        problems.add("Unknown configuration key 'correlation.settings." + k + "'. Fix: use one of "
            + new java.util.TreeSet<>(SETTINGS));
      }
    }
    Duration window = duration(s, "window", CorrelationConfig.DEFAULT_WINDOW, problems);
    Duration grace = duration(s, "grace", CorrelationConfig.DEFAULT_GRACE, problems);
    Duration stats = duration(s, "stats-interval", CorrelationConfig.DEFAULT_STATS_INTERVAL, problems);
    Duration quiet = duration(s, "quiet-time", CorrelationConfig.DEFAULT_QUIET_TIME, problems);
    Duration resolveAfter = duration(s, "resolve-after", CorrelationConfig.DEFAULT_RESOLVE_AFTER, problems);
    Duration retention = duration(s, "resolved-retention", CorrelationConfig.DEFAULT_RESOLVED_RETENTION, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Path stateDir = s.containsKey("state-dir") ? Path.of(s.get("state-dir")) : CorrelationConfig.defaultStateDir();
    try {
      return new CorrelationConfig(c.string("kafka.bootstrap-servers"),
          s.getOrDefault("application-id", CorrelationConfig.DEFAULT_APPLICATION_ID), window, grace, stats, quiet,
          resolveAfter, retention, stateDir, c.string("kafka.events-topic-pattern"), c.string("kafka.findings-topic"),
          streamsExtra(c));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("Invalid configuration 'correlation.settings': " + e.getMessage()));
    }
  }

  /**
   * {@code kafka.properties} plus: the main consumer re-reads the topic pattern every {@code kafka.metadata-max-age}
   * like ingest does (its own default is 5 minutes: a new mesh would be indexed but not correlated for that long);
   * and, for a static member, its {@code group.instance.id} (Kafka Streams appends the thread index), so a restarted
   * instance gets its tasks back without a rebalance.
   */
  private static Map<String, String> streamsExtra(QueryApiConfig c) {
    Map<String, String> extra = new HashMap<>(c.map("kafka.properties"));
    extra.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
        Long.toString(c.duration("kafka.metadata-max-age").toMillis()));
    GroupMembership.instanceId(c.bool("kafka.static-membership"), c.string("kafka.instance-id"))
        .ifPresent(id -> extra.putIfAbsent(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
            id + "-correlator"));
    return extra;
  }

  private static Duration duration(Map<String, String> s, String key, Duration dflt, List<String> problems) {
    String v = s.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return QueryApiConfig.parseDuration(v);
    } catch (IllegalArgumentException e) {
      problems.add("Invalid value " + v + " for configuration 'correlation.settings." + key + "': " + e.getMessage());
      return dflt;
    }
  }
}
