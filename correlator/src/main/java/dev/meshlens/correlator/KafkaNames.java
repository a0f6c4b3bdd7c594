package dev.meshlens.correlator;

import static dev.meshlens.correlator.CorrelatorKeys.APPLICATION_ID;
import static dev.meshlens.correlator.CorrelatorKeys.GROUP_ID;

import dev.meshlens.config.Settings;
import java.util.Objects;

/**
 * The Kafka names of the shared side (the query API's ingest loops and the correlator), derived in this one place from
 * {@code kafka.group_id}. An operator grants ACLs on them (docs/production.md, "Kafka ACLs", which a test compares with
 * this record), so the correlator's names follow the group: one prefix ACL on the group covers the query API and the
 * correlator, in one process or two, and the correlator keeps the same state when it moves from one to the other.
 *
 * @param group {@code kafka.group_id}: the events ingest loop's consumer group
 * @param applicationId the correlator's Kafka Streams application id: {@code correlation.application_id}, else
 *     {@code <group>-correlator}
 */
public record KafkaNames(String group, String applicationId) {
    public static final String FINDINGS_GROUP_SUFFIX = "-findings";
    public static final String CORRELATOR_SUFFIX = "-correlator";

    public KafkaNames {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(applicationId, "applicationId");
    }

    /** The names of validated settings of {@link CorrelatorKeys} (or a table that includes them). */
    public static KafkaNames of(Settings settings) {
        String group = settings.get(GROUP_ID);
        String configured = settings.get(APPLICATION_ID);
        return new KafkaNames(group, configured != null ? configured : group + CORRELATOR_SUFFIX);
    }

    /** The consumer group of the findings ingest loop. */
    public String findingsGroup() {
        return group + FINDINGS_GROUP_SUFFIX;
    }

    /** The correlator's consumer group: Kafka Streams uses its application id. */
    public String correlatorGroup() {
        return applicationId;
    }

    /**
     * Prefix of every topic the correlator owns: its repartition and changelog topics (Kafka Streams names them
     * {@code <application id>-<name>-repartition|changelog}) and {@link #inventoryTopic()}, {@link #loopTopic()}.
     */
    public String correlatorTopicPrefix() {
        return applicationId + "-";
    }

    /**
     * Prefix of the correlator's transactional ids: with exactly-once (v2) each streams thread's producer uses
     * {@code <application id>-<process uuid>-<thread index>}, so only a prefix can be granted.
     */
    public String transactionalIdPrefix() {
        return applicationId + "-";
    }

    /** The internal topic of trust bundles and certificate inventories (a global store). */
    public String inventoryTopic() {
        return applicationId + CorrelationConfig.INVENTORY_TOPIC_SUFFIX;
    }

    /** The internal topic through which the correlator writes to its own input. */
    public String loopTopic() {
        return applicationId + CorrelationConfig.LOOP_TOPIC_SUFFIX;
    }
}
