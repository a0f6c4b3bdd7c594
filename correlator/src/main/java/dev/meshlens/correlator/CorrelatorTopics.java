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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The correlator's own topics (inventory, findings, loop): created when missing, and visible with a leader
 * for every partition before the streams start.
 *
 * <p>Kafka Streams creates its internal topics itself and waits for them, but the inventory topic is the
 * source of a global store, and a global store's source must exist before the application starts: its
 * thread asks {@code partitionsFor(topic)} once and dies on an empty answer ("There are no partitions
 * available for topic ...-inventory when initializing global store"). A topic created a moment before is
 * not yet in every broker's metadata, so creating it is not enough: wait until the brokers describe it.
 */
final class CorrelatorTopics {
    private CorrelatorTopics() {}

    /** Creates the missing topics of {@code config} and waits until all of them are visible. */
    static void ensure(Admin admin, CorrelationConfig config, Duration max) throws InterruptedException {
        NewTopic inventory = new NewTopic(config.inventoryTopic(), 1, (short) -1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        NewTopic findings = new NewTopic(config.findingsTopic(), Optional.empty(), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        // the correlator's messages to itself: read within seconds, repartitioned by key downstream (one partition
        // is enough), useless after a day
        NewTopic loop = new NewTopic(config.loopTopic(), 1, (short) -1)
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

    /**
     * Partitions of the correlation tasks: those of the existing repartition topic (a restart or an upgrade keeps the
     * task layout its changelogs were built with), else {@link CorrelationTopology#DEFAULT_PARTITIONS}.
     */
    static int correlationPartitions(Admin admin, CorrelationConfig config, Duration max) throws InterruptedException {
        String topic = CorrelationTopology.repartitionTopic(config);
        try {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(max.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            return d == null || d.partitions().isEmpty()
                    ? CorrelationTopology.DEFAULT_PARTITIONS
                    : d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return CorrelationTopology.DEFAULT_PARTITIONS;
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
