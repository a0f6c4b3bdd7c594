package dev.meshlens.query.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Index names: {@code <prefix>-events-YYYY.MM.DD} (UTC day of observed_time), {@code <prefix>-findings},
 * {@code <prefix>-findings-history}.
 */
public record IndexNames(String prefix) {
  public static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

  public IndexNames {
    Objects.requireNonNull(prefix, "prefix");
  }

  public String eventsIndex(Instant observedTime) {
    return prefix + "-events-" + DAY.format(observedTime);
  }

  public String eventsPattern() {
    return prefix + "-events-*";
  }

  public String findings() {
    return prefix + "-findings";
  }

  public String findingsHistory() {
    return prefix + "-findings-history";
  }

  public String eventsTemplate() {
    return prefix + "-events";
  }

  /** The day of an events index name, or null when the name is not one of ours. */
  public LocalDate dayOf(String indexName) {
    String p = prefix + "-events-";
    if (!indexName.startsWith(p)) {
      return null;
    }
    try {
      return LocalDate.parse(indexName.substring(p.length()), DateTimeFormatter.ofPattern("yyyy.MM.dd"));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
