package dev.meshlens.launcher.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind the correlator's Streams application is: its group's committed offsets against the end of the mesh
 * topics (events not yet read) and of its repartition topic (events read but not yet paired). A correlator that is
 * behind makes every finding late by as much, whatever the intervals; the benchmark prints it beside the latencies.
 *
 * @param meshTopics records of the mesh topics not yet consumed
 * @param repartition records of the repartition topic not yet consumed
 */
record CorrelatorLag(long meshTopics, long repartition) {

    static CorrelatorLag measure(String bootstrap, String applicationId, Pattern meshTopicPattern) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            long mesh = 0;
            long repartition = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                if (e.getValue() == null || !ends.containsKey(e.getKey())) {
                    continue;
                }
                long behind =
                        Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                if (meshTopicPattern.matcher(e.getKey().topic()).matches()) {
                    mesh += behind;
                } else if (e.getKey().topic().endsWith("-repartition")) {
                    repartition += behind;
                }
            }
            return new CorrelatorLag(mesh, repartition);
        }
    }

    static String describe(String bootstrap, String applicationId, Pattern meshTopicPattern) {
        try {
            CorrelatorLag l = measure(bootstrap, applicationId, meshTopicPattern);
            return l.meshTopics() + " records of the mesh topics, " + l.repartition() + " of its repartition topic";
        } catch (Exception e) {
            return "unknown (" + e + ")";
        }
    }
}
