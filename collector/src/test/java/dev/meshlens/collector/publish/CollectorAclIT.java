package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.testkit.AuthorizingKafka;
import dev.meshlens.testkit.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's row of docs/production.md's ACL table (Write and Describe on its mesh's topic, the name from
 * {@link CollectorConfig#topic()}) is enough on a real broker that authorizes: its idempotent producer publishes
 * without a cluster IdempotentWrite grant.
 */
class CollectorAclIT {
    @TempDir
    Path dir;

    @Test
    void theTablesCollectorRowIsEnoughForTheIdempotentProducer() throws Exception {
        try (AuthorizingKafka kafka = AuthorizingKafka.start()) {
            String topic = CollectorConfig.parse(
                            "mesh: {id: acl-east, kind: istio}\nkafka: {bootstrap_servers: k:9092}\n"
                                    + "sources: {files: [{globs: [/var/log/x.log], format: istio}]}\n",
                            "collector.yaml")
                    .topic();
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                admin.createAcls(List.of(allow(topic, AclOperation.WRITE), allow(topic, AclOperation.DESCRIBE)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, String> security = new HashMap<>();
            kafka.userSecurityProperties().forEach((k, v) -> security.put(k.toString(), v.toString()));
            KafkaPublisher.Options opts = new KafkaPublisher.Options(
                    kafka.bootstrapServers(),
                    topic,
                    dir.resolve("spool"),
                    16L * 1024 * 1024,
                    100,
                    Duration.ofSeconds(20),
                    false,
                    1,
                    (short) 1,
                    security);
            try (KafkaPublisher publisher = new KafkaPublisher(opts, CollectorMetrics.noop("acl-east"))) {
                publisher
                        .publish(TestEvents.clientFailure("acl-east", 1, FailureCategory.UNTRUSTED_ROOT, Instant.now()))
                        .get(30, TimeUnit.SECONDS);
                assertFalse(publisher.spooling(), "delivered to Kafka, not spooled");
            }
            Properties c = kafka.adminProperties();
            c.put("group.id", "acl-collector-check");
            c.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                int n = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (n == 0 && System.nanoTime() < deadline) {
                    ConsumerRecords<String, byte[]> r = consumer.poll(Duration.ofMillis(500));
                    n += r.count();
                }
                assertEquals(1, n, "the event is in the mesh topic");
            }
        }
    }

    private static AclBinding allow(String topic, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(AuthorizingKafka.USER, "*", op, AclPermissionType.ALLOW));
    }
}
