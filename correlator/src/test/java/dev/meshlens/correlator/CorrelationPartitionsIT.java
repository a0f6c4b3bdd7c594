package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RequiresRealServices;
import dev.meshlens.testkit.TestNames;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * correlation.partitions on the real broker: a first start lays out the correlation (repartition, loop and changelog
 * topics) with it; a restart with another value keeps the layout the state was built with; the one-partition loop
 * topic of an older release grows to the correlation's partitions.
 */
@RequiresRealServices(elasticsearch = false)
class CorrelationPartitionsIT {

    @Test
    void aFirstStartTakesTheConfiguredPartitionsAndARestartKeepsThem(KafkaService kafka) throws Exception {
        CorrelationConfig cfg = config(kafka, "parts-" + TestNames.token()).with(CorrelatorKeys.PARTITIONS, 5);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            run(cfg);
            Map<String, Integer> expected = layout(cfg, 5);
            assertEquals(expected, partitions(admin, expected.keySet()));

            run(cfg.with(CorrelatorKeys.PARTITIONS, 2));
            assertEquals(expected, partitions(admin, expected.keySet()), "a restart with another value keeps 5");
        }
    }

    @Test
    void theOneLoopPartitionOfAnOlderReleaseGrowsToTheCorrelations(KafkaService kafka) throws Exception {
        CorrelationConfig cfg = config(kafka, "parts-old-" + TestNames.token());
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            // what an older release left: a 4-partition correlation, its loop topic of one partition
            admin.createTopics(List.of(
                            new NewTopic(CorrelationTopology.repartitionTopic(cfg), 4, (short) 1),
                            new NewTopic(cfg.loopTopic(), 1, (short) 1)))
                    .all()
                    .get();
            run(cfg);
            Map<String, Integer> expected = layout(cfg, 4);
            assertEquals(expected, partitions(admin, expected.keySet()));
        }
    }

    /** Starts the correlator, waits until it runs (its tasks and changelogs exist), stops it. */
    static void run(CorrelationConfig cfg) throws InterruptedException {
        try (CorrelationService svc = new CorrelationService(cfg).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (svc.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(KafkaStreams.State.RUNNING, svc.state());
            assertEquals(List.of(), svc.threadFailureMessages());
        }
    }

    static Map<String, Integer> layout(CorrelationConfig cfg, int n) {
        Map<String, Integer> m = new TreeMap<>();
        m.put(CorrelationTopology.repartitionTopic(cfg), n);
        m.put(cfg.loopTopic(), n);
        m.put(cfg.applicationId() + "-" + CorrelationProcessor.PENDING + "-changelog", n);
        m.put(cfg.applicationId() + "-" + CorrelationProcessor.FINDINGS + "-changelog", n);
        return m;
    }

    static Map<String, Integer> partitions(Admin admin, Collection<String> topics) throws Exception {
        Map<String, Integer> m = new TreeMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get()
                .forEach((t, d) -> m.put(t, d.partitions().size()));
        return m;
    }

    static CorrelationConfig config(KafkaService kafka, String id) throws Exception {
        return CorrelationConfig.defaults(kafka.bootstrapServers(), Files.createTempDirectory("corr-parts"))
                .with(CorrelatorKeys.APPLICATION_ID, id)
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\." + id + "-.*")
                .with(CorrelatorKeys.FINDINGS_TOPIC, "meshlens.findings." + id)
                .with(CorrelatorKeys.KAFKA_PROPERTIES, new ClientProperties(Map.of("num.stream.threads", "1")));
    }
}
