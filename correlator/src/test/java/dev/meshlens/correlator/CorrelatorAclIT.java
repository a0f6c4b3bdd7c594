package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.testkit.AuthorizingKafka;
import dev.meshlens.testkit.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correlator's rows of docs/production.md's ACL table (names from {@link KafkaNames}, operations as the table
 * grants them; KafkaAclTableTest keeps the two equal) are enough on a real broker that authorizes: a principal with
 * exactly those ACLs runs the correlator with exactly-once, and without the transactional-id grant it cannot.
 */
class CorrelatorAclIT {
    private static final String USER = AuthorizingKafka.USER;
    private static AuthorizingKafka kafka;

    @BeforeAll
    static void startAnAuthorizingBroker() throws Exception {
        kafka = AuthorizingKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties admin() {
        return kafka.adminProperties();
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(USER, "*", op, AclPermissionType.ALLOW));
    }

    /** The correlator's rows of the table, for {@code names}. */
    private static List<AclBinding> correlatorRows(CorrelationConfig c, boolean withTransactionalIds) {
        KafkaNames n = c.names();
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
            acls.add(allow(ResourceType.TOPIC, "meshlens.events.", PatternType.PREFIXED, op));
            acls.add(allow(ResourceType.GROUP, n.correlatorGroup(), PatternType.LITERAL, op));
        }
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(ResourceType.TOPIC, c.findingsTopic(), PatternType.LITERAL, op));
        }
        acls.add(allow(ResourceType.TOPIC, n.correlatorTopicPrefix(), PatternType.PREFIXED, AclOperation.ALL));
        if (withTransactionalIds) {
            for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                acls.add(allow(ResourceType.TRANSACTIONAL_ID, n.transactionalIdPrefix(), PatternType.PREFIXED, op));
            }
        }
        return acls;
    }

    private static CorrelationConfig config(String group, Path state) throws Exception {
        StringBuilder props = new StringBuilder();
        kafka.userSecurityProperties()
                .forEach((k, v) ->
                        props.append("    ").append(k).append(": '").append(v).append("'\n"));
        String yaml = """
                kafka:
                  bootstrap_servers: %s
                  group_id: %s
                  findings_topic: %s
                  properties:
                %scorrelation:
                  state_dir: %s
                  window: 1s
                  grace: 1s
                  stats_interval: 1s
                """.formatted(kafka.bootstrapServers(), group, "meshlens.findings." + group, props, state);
        return new CorrelationConfig(CorrelatorKeys.DEF.parse(yaml, group));
    }

    /** Grants the rows, runs the correlator over one event, reports whether it ran without a failed thread. */
    private static boolean runs(String group, boolean withTransactionalIds, Path state) throws Exception {
        CorrelationConfig c = config(group, state);
        String events = "meshlens.events." + group;
        try (Admin admin = Admin.create(admin())) {
            admin.createAcls(correlatorRows(c, withTransactionalIds)).all().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic(events, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(admin(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            events,
                            EventCodec.get()
                                    .encodeBytes(TestEvents.clientFailure(
                                            group, 1, FailureCategory.UNTRUSTED_ROOT, Instant.now()))))
                    .get(30, TimeUnit.SECONDS);
        }
        try (CorrelationService service = new CorrelationService(c).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            // running, and past its first transactions: the event is processed and its commit interval has passed
            while (System.nanoTime() < deadline && service.threadFailures() == 0 && !service.isRunning()) {
                Thread.sleep(200);
            }
            Thread.sleep(5_000);
            return service.threadFailures() == 0 && service.state() == KafkaStreams.State.RUNNING;
        }
    }

    @Test
    void theTablesCorrelatorRowsAreEnoughAndTheTransactionalIdsAreNeeded(@TempDir Path tmp) throws Exception {
        assertTrue(runs("acl-granted", true, Files.createDirectories(tmp.resolve("a"))), "runs with the table's ACLs");
        assertEquals(
                false,
                runs("acl-no-txn", false, Files.createDirectories(tmp.resolve("b"))),
                "without the transactional-id rows exactly-once cannot start: the rows are needed");
    }
}
