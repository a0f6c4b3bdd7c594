package dev.meshlens.query.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Index names: {@code <prefix>-events-YYYY.MM.DD} (UTC day of observed_time), {@code <prefix>-findings},
 * {@code <prefix>-findings-history-YYYY.MM.DD} (UTC day of the finding version), {@code <prefix>-rollups-YYYY.MM.DD}
 * (diagnose's per-pair roll-ups, UTC day of the bucket). The day in a daily
 * index's name is where the retention policy counts its age from (ILM parse_origination_date).
 */
public record IndexNames(String prefix) {
    public static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    public IndexNames {
        Objects.requireNonNull(prefix, "prefix");
    }

    public String eventsIndex(Instant observedTime) {
        return prefix + "-events-" + DAY.format(observedTime);
    }

    public String eventsPattern() {
        return prefix + "-events-*";
    }

    /** Where diagnose's roll-ups of an event go: the daily index of its bucket's UTC day. */
    public String rollupsIndex(Instant bucket) {
        return prefix + "-rollups-" + DAY.format(bucket);
    }

    public String rollupsPattern() {
        return prefix + "-rollups-*";
    }

    public String rollupsTemplate() {
        return prefix + "-rollups";
    }

    /** A small index of meshlens' own state (since when roll-ups are written). */
    public String meta() {
        return prefix + "-meta";
    }

    public String findings() {
        return prefix + "-findings";
    }

    /** What history is read from: the daily indices, and the single index of releases before them. */
    public String findingsHistory() {
        return prefix + "-findings-history*";
    }

    /** Where a finding version is written: its day's history index. */
    public String findingsHistoryIndex(Instant versionTime) {
        return prefix + "-findings-history-" + DAY.format(versionTime);
    }

    public String findingsHistoryPattern() {
        return prefix + "-findings-history-*";
    }

    public String findingsHistoryTemplate() {
        return prefix + "-findings-history";
    }

    /** The index lifecycle (ILM) policy deleting daily indices after the retention period. */
    public String retentionPolicy() {
        return prefix + "-retention";
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
