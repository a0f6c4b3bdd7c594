package dev.meshlens.correlator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The correlator's own topics (inventory, findings, loop): created when missing, and visible with a leader
 * for every partition before the streams start.
 *
 * <p>Kafka Streams creates its internal topics itself and waits for them, but the inventory topic is the
 * source of a global store, and a global store's source must exist before the application starts: its
 * thread asks {@code partitionsFor(topic)} once and dies on an empty answer ("There are no partitions
 * available for topic ...-inventory when initializing global store"). A topic created a moment before is
 * not yet in every broker's metadata, so creating it is not enough: wait until the brokers describe it.
 *
 * <p>The loop topic is a source of the correlation step beside the by-destination repartition topic (see
 * {@link CorrelationTopology}), so both must have the same partitions: a loop message keyed {@code k} then lands in the
 * task that owns {@code k}. Their count is {@code correlation.partitions} on a first start, else the existing
 * repartition topic's ({@link #plan}).
 */
final class CorrelatorTopics {
    private static final Logger LOG = LoggerFactory.getLogger(CorrelatorTopics.class);

    private CorrelatorTopics() {}

    /**
     * The correlation's partitions and what to do with the loop topic.
     *
     * @param partitions of the repartition topic and the loop topic (the correlation tasks)
     * @param loopPartitionsToAdd partitions the existing loop topic lacks (0: none, or it does not exist yet)
     * @param warning a configured count the existing topics overrule, else null
     */
    record Plan(int partitions, int loopPartitionsToAdd, String warning) {}

    /**
     * Decides from {@code correlation.partitions} and the partitions of the existing topics (null: missing). An
     * existing repartition topic wins (its changelogs were built with its key-to-task layout); a loop topic with
     * fewer partitions grows (it holds seconds of messages to itself); one with more cannot shrink.
     */
    static Plan plan(CorrelationConfig config, Integer repartition, Integer loop) {
        int configured = config.partitions();
        int n = repartition != null ? repartition : configured;
        String warning = null;
        if (repartition != null && repartition != configured) {
            warning = "Configuration " + CorrelatorKeys.PARTITIONS.name() + " is " + configured + " but topic "
                    + CorrelationTopology.repartitionTopic(config) + " exists with " + repartition
                    + " partitions: keeping " + repartition + " (the correlation state is laid out by it). To change"
                    + " it, start the correlation afresh under a new " + CorrelatorKeys.APPLICATION_ID.name()
                    + ", or set " + CorrelatorKeys.PARTITIONS.name() + ": " + repartition + " to silence this";
        }
        if (loop != null && loop > n) {
            throw new IllegalStateException("topic " + config.loopTopic() + " has " + loop
                    + " partitions, the correlation " + n + " (" + CorrelatorKeys.PARTITIONS.name()
                    + (repartition != null
                            ? ", kept by the existing " + CorrelationTopology.repartitionTopic(config)
                            : "")
                    + "): both must be equal. Delete " + config.loopTopic()
                    + " (it holds only the correlator's messages to itself of the last seconds) and start again");
        }
        return new Plan(n, loop == null ? 0 : n - loop, warning);
    }

    /**
     * Creates the missing topics of {@code config} (the loop topic with the correlation's partitions, growing it when
     * it has fewer), waits until all of them are visible, and returns the correlation's partitions.
     */
    static int prepare(Admin admin, CorrelationConfig config, Duration max) throws InterruptedException {
        Plan plan = plan(
                config,
                partitionsOf(admin, CorrelationTopology.repartitionTopic(config), max),
                partitionsOf(admin, config.loopTopic(), max));
        if (plan.warning() != null) {
            LOG.warn(plan.warning());
        }
        if (plan.loopPartitionsToAdd() > 0) {
            LOG.info(
                    "topic {} grows from {} to {} partitions, as many as the correlation's",
                    config.loopTopic(),
                    plan.partitions() - plan.loopPartitionsToAdd(),
                    plan.partitions());
            try {
                admin.createPartitions(Map.of(config.loopTopic(), NewPartitions.increaseTo(plan.partitions())))
                        .all()
                        .get(max.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "could not add partitions to topic " + config.loopTopic() + ": " + e.getCause()
                                + " (grant Alter on it, or delete it: it holds only the last seconds' messages)",
                        e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        "Kafka did not add partitions to topic " + config.loopTopic() + " within " + max, e);
            }
        }
        ensure(admin, config, plan.partitions(), max);
        return plan.partitions();
    }

    /** Creates the missing topics of {@code config} and waits until all of them are visible. */
    static void ensure(Admin admin, CorrelationConfig config, Duration max) throws InterruptedException {
        ensure(admin, config, config.partitions(), max);
    }

    private static void ensure(Admin admin, CorrelationConfig config, int partitions, Duration max)
            throws InterruptedException {
        NewTopic inventory = new NewTopic(config.inventoryTopic(), 1, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        NewTopic findings = new NewTopic(config.findingsTopic(), Optional.empty(), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        // the correlator's messages to itself: read within seconds by the task owning their key (so partitioned as the
        // repartition topic), useless after a day
        NewTopic loop = new NewTopic(config.loopTopic(), partitions, (short) -1)
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(Duration.ofDays(1).toMillis())));
        long deadline = System.nanoTime() + max.toNanos();
        List<String> notAllowed = new ArrayList<>();
        for (NewTopic t : List.of(inventory, findings, loop)) {
            try {
                admin.createTopics(List.of(t)).all().get(remainingMs(deadline, max), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    // without CREATE the broker refuses even a topic that exists: an operator who pre-created the
                    // topics need not grant it (docs/production.md, "Kafka ACLs")
                    notAllowed.add(t.name());
                } else if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "could not create topic " + t.name() + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create topic " + t.name() + " within " + max, e);
            }
        }
        try {
            awaitVisible(admin, List.of(inventory.name(), findings.name(), loop.name()), deadline, max);
        } catch (IllegalStateException e) {
            if (notAllowed.isEmpty()) {
                throw e;
            }
            throw new IllegalStateException(
                    "not allowed to create topics " + notAllowed + " and they do not all exist (" + e.getMessage()
                            + "): pre-create them or grant CREATE on them (docs/production.md, \"Kafka ACLs\")",
                    e);
        }
    }

    /** Partitions of {@code topic}, or null when it does not exist. */
    static Integer partitionsOf(Admin admin, String topic, Duration max) throws InterruptedException {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(max.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            return d == null || d.partitions().isEmpty() ? null : d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe topic " + topic + " within " + max, e);
        }
    }

    /** Waits until the brokers describe every topic with a leader for each partition. */
    static void awaitVisible(Admin admin, List<String> topics, long deadlineNanos, Duration max)
            throws InterruptedException {
        List<String> missing = new ArrayList<>(topics);
        while (true) {
            try {
                Map<String, TopicDescription> d = admin.describeTopics(missing)
                        .allTopicNames()
                        .get(remainingMs(deadlineNanos, max), TimeUnit.MILLISECONDS);
                missing.removeIf(name -> led(d.get(name)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(
                            "could not describe topics " + missing + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                // the deadline below reports it
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("topics " + missing + " were created but are not visible after " + max);
            }
            Thread.sleep(100);
        }
    }

    private static boolean led(TopicDescription d) {
        if (d == null || d.partitions().isEmpty()) {
            return false;
        }
        for (TopicPartitionInfo p : d.partitions()) {
            if (p.leader() == null || p.leader().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static long remainingMs(long deadlineNanos, Duration max) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
