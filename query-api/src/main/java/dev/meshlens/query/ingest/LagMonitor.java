package dev.meshlens.query.ingest;

import dev.meshlens.query.metrics.MeshlensMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the ingest lag from the broker's view, not the consumer's: the group's committed offsets
 * against the log end of every partition of every mesh topic, whoever owns the partitions (or nobody
 * does). A consumer's own lag reads 0 exactly when it matters: after a restart or a broker outage,
 * while it owns no partitions. A partition without a committed offset counts from its log start
 * (the loop starts there: {@code auto.offset.reset=earliest}).
 *
 * <p>Also reports how many partitions the mesh topics have, so an alert can compare it with the
 * partitions the replicas own ({@code meshlens_ingest_assigned_partitions}).
 */
public final class LagMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);
    private static final long CALL_TIMEOUT_SECONDS = 10;

    /** One measurement: records behind the log end, summed; partitions of the matched topics. */
    public record Measurement(long lag, int partitions) {}

    private final Admin admin;
    private final String groupId;
    private final Pattern topics;
    private final MeshlensMetrics metrics;
    private final ScheduledExecutorService timer;

    public LagMonitor(Admin admin, String groupId, Pattern topics, MeshlensMetrics metrics) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlens-ingest-lag");
            t.setDaemon(true);
            return t;
        });
    }

    /** Measures now and then every {@code interval}, setting the gauges. */
    public LagMonitor start(Duration interval) {
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void refresh() {
        try {
            Measurement m = measure();
            metrics.ingestLag(m.lag());
            metrics.ingestPartitions(m.partitions());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // keep the last values: the broker being unreachable is what the Kafka alerts are for
            LOG.warn("cannot measure ingest lag of group {}: {}", groupId, e.toString());
        }
    }

    /** Asks the brokers for the group's committed offsets and the log start and end of every matched partition. */
    public Measurement measure() throws Exception {
        Set<String> names = admin.listTopics().names().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .filter(t -> topics.matcher(t).matches())
                .collect(Collectors.toSet());
        if (names.isEmpty()) {
            return new Measurement(0, 0);
        }
        Map<String, TopicDescription> described =
                admin.describeTopics(names).allTopicNames().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described
                .values()
                .forEach(d -> d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(d.name(), p.partition());
                    latest.put(tp, OffsetSpec.latest());
                    earliest.put(tp, OffsetSpec.earliest());
                }));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = offsets(admin.listOffsets(latest));
        Map<TopicPartition, Long> starts = offsets(admin.listOffsets(earliest));
        Map<TopicPartition, Long> done = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                done.put(tp, om.offset());
            }
        });
        return new Measurement(lag(done, starts, ends), latest.size());
    }

    private static Map<TopicPartition, Long> offsets(ListOffsetsResult r) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        r.all().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * Records behind the log end, summed over the partitions in {@code ends}: from the committed offset,
     * or from the log start where the group never committed (or its offset fell behind retention).
     */
    static long lag(
            Map<TopicPartition, Long> committed, Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends) {
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            long start = starts.getOrDefault(e.getKey(), 0L);
            long from = Math.max(committed.getOrDefault(e.getKey(), start), start);
            sum += Math.max(0, e.getValue() - from);
        }
        return sum;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
