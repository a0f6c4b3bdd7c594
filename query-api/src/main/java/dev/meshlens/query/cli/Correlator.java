package dev.meshlens.query.cli;

import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.metrics.MeshlensMetrics;
import java.lang.reflect.Constructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@code dev.meshlens.query.correlation.CorrelationService} when it is on the classpath
 * (contract: {@code public static CorrelationService fromQueryApiConfig(QueryApiConfig, MeshlensMetrics)}
 * or a public constructor {@code (QueryApiConfig, MeshlensMetrics)}; then {@code start()} and
 * {@code close()}). Looked up reflectively so ingest and serving do not depend on it at compile time.
 */
final class Correlator {
  private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);
  static final String CLASS = "dev.meshlens.query.correlation.CorrelationService";

  private Correlator() {}

  static AutoCloseable startIfPresent(QueryApiConfig c, MeshlensMetrics metrics) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(CLASS);
    } catch (ClassNotFoundException e) {
      LOG.warn("correlator not on the classpath ({}); findings come only from the {} topic", CLASS,
          c.string("kafka.findings-topic"));
      return null;
    }
    AutoCloseable service;
    try {
      service = (AutoCloseable) type.getMethod("fromQueryApiConfig", QueryApiConfig.class, MeshlensMetrics.class)
          .invoke(null, c, metrics);
    } catch (NoSuchMethodException e) {
      try {
        Constructor<?> ctor = type.getConstructor(QueryApiConfig.class, MeshlensMetrics.class);
        service = (AutoCloseable) ctor.newInstance(c, metrics);
      } catch (NoSuchMethodException e2) {
        LOG.warn("{} has neither fromQueryApiConfig(QueryApiConfig, MeshlensMetrics) nor such a constructor; "
            + "correlator not started", CLASS);
        return null;
      }
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    type.getMethod("start").invoke(service);
    LOG.info("correlator started");
    return service;
  }
}
