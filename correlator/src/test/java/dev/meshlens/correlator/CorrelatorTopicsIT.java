package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RequiresRealServices;
import dev.meshlens.testkit.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A fresh start on the real broker: the correlator's global store reads the inventory topic it has just
 * created, and must find its partitions (else "There are no partitions available for topic ...-inventory"
 * and the application dies).
 */
@RequiresRealServices(elasticsearch = false)
class CorrelatorTopicsIT {

    /**
     * A broker whose metadata lags the controller (the topic is created, yet describing it says "unknown" a few
     * times, as a broker that has not applied the new metadata answers): ensure() returns only once it is seen.
     */
    @Test
    void ensureWaitsForABrokerWhoseMetadataLags(KafkaService kafka) throws Exception {
        CorrelationConfig cfg = config(kafka, "topics-lag-" + TestNames.token());
        Map<String, Object> props = new HashMap<>();
        kafka.adminProperties().forEach((k, v) -> props.put(k.toString(), v));
        try (LaggingAdmin admin = new LaggingAdmin(props, 3)) {
            CorrelatorTopics.ensure(admin, cfg, Duration.ofSeconds(60));
            assertTrue(
                    admin.unknownAnswers == 0,
                    "returned while a broker still called a topic unknown (" + admin.unknownAnswers
                            + " such answers to come)");
        }
    }

    /** Answers "unknown topic" to the first {@code lag} describe calls, then describes for real. */
    static final class LaggingAdmin extends org.apache.kafka.clients.admin.ForwardingAdmin {
        int unknownAnswers;

        LaggingAdmin(Map<String, Object> configs, int lag) {
            super(configs);
            this.unknownAnswers = lag;
        }

        @Override
        public org.apache.kafka.clients.admin.DescribeTopicsResult describeTopics(
                org.apache.kafka.common.TopicCollection topics,
                org.apache.kafka.clients.admin.DescribeTopicsOptions options) {
            if (unknownAnswers == 0) {
                return super.describeTopics(topics, options);
            }
            unknownAnswers--;
            Map<String, org.apache.kafka.common.KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> futures =
                    new HashMap<>();
            for (String name : ((org.apache.kafka.common.TopicCollection.TopicNameCollection) topics).topicNames()) {
                var f = new org.apache.kafka.common.internals.KafkaFutureImpl<
                        org.apache.kafka.clients.admin.TopicDescription>();
                f.completeExceptionally(new org.apache.kafka.common.errors.UnknownTopicOrPartitionException(name));
                futures.put(name, f);
            }
            return new org.apache.kafka.clients.admin.DescribeTopicsResult(null, futures) {};
        }
    }

    /** What the global store's thread asks first: a new consumer's partitionsFor, right after ensure returned. */
    @Test
    void createdTopicsAreVisibleToANewConsumerOnceEnsureReturns(KafkaService kafka) throws Exception {
        String token = TestNames.token();
        List<String> invisible = new ArrayList<>();
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            for (int i = 0; i < 10; i++) {
                CorrelationConfig cfg = config(kafka, "topics-it-" + token + "-" + i);
                CorrelatorTopics.ensure(admin, cfg, Duration.ofSeconds(60));
                try (KafkaConsumer<String, byte[]> c =
                        new KafkaConsumer<>(kafka.consumerProperties(TestNames.groupId("t")))) {
                    for (String topic : List.of(cfg.inventoryTopic(), cfg.findingsTopic(), cfg.loopTopic())) {
                        if (c.partitionsFor(topic, Duration.ofSeconds(10)).isEmpty()) {
                            invisible.add(topic);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), invisible, "topics a new client did not see right after ensure()");
    }

    @Test
    void theCorrelatorStartsOnAFreshApplicationIdWithoutItsTopicsCreatedBeforehand(KafkaService kafka)
            throws Exception {
        String token = TestNames.token();
        for (int i = 0; i < 3; i++) {
            CorrelationConfig cfg = config(kafka, "corr-fresh-" + token + "-" + i);
            try (CorrelationService svc = new CorrelationService(cfg).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (svc.state() != KafkaStreams.State.RUNNING
                        && svc.state() != KafkaStreams.State.ERROR
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(svc.isRunning(), "fresh start " + i + ": " + svc.state());
            }
        }
    }

    /** A configuration of its own: application id, findings topic, and mesh topics nobody else writes. */
    static CorrelationConfig config(KafkaService kafka, String id) throws IOException {
        return CorrelationConfig.defaults(kafka.bootstrapServers(), Files.createTempDirectory("corr-topics"))
                .with(CorrelatorKeys.APPLICATION_ID, id)
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\." + id + "-.*")
                .with(CorrelatorKeys.FINDINGS_TOPIC, "meshlens.findings." + id)
                .with(
                        CorrelatorKeys.KAFKA_PROPERTIES,
                        new dev.meshlens.config.ClientProperties(Map.of("num.stream.threads", "1")));
    }
}
