package dev.meshlens.query.cli;

import dev.meshlens.query.config.ConfigException;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.correlation.CorrelationConfig;
import dev.meshlens.query.correlation.CorrelationService;
import dev.meshlens.query.metrics.MeshlensMetrics;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the correlator ({@link CorrelationService}) inside the query-api process. When the
 * correlation package offers {@code CorrelationService.fromQueryApiConfig(QueryApiConfig, MeshlensMetrics)}
 * that wins; otherwise the {@link CorrelationConfig} is built here from {@code kafka.*} and the
 * {@code correlation.settings} map (keys: window, grace, stats-interval, quiet-time, resolve-after,
 * resolved-retention, state-dir, application-id; docs/correlation.md "Settings"), every problem reported
 * with its key.
 */
final class Correlator {
  private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);
  static final Set<String> SETTINGS = Set.of("window", "grace", "stats-interval", "quiet-time", "resolve-after",
      "resolved-retention", "state-dir", "application-id");

  private Correlator() {}

  static AutoCloseable startIfPresent(QueryApiConfig c, MeshlensMetrics metrics) throws Exception {
    CorrelationService service;
    try {
      service = (CorrelationService) CorrelationService.class
          .getMethod("fromQueryApiConfig", QueryApiConfig.class, MeshlensMetrics.class).invoke(null, c, metrics);
    } catch (NoSuchMethodException e) {
      service = new CorrelationService(config(c), metrics);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    service.start();
    LOG.info("correlator started");
    return service;
  }

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
          c.map("kafka.properties"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("Invalid configuration 'correlation.settings': " + e.getMessage()));
    }
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
