package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
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
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;
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
    private static final String USER = "User:" + JaasUtils.KAFKA_PLAIN_USER1;
    private static KafkaClusterTestKit kit;

    @BeforeAll
    static void startAnAuthorizingBroker() throws Exception {
        Exit.setHaltProcedure((code, message) -> System.err.println("acl IT: broker asked to halt: " + message));
        Exit.setExitProcedure((code, message) -> System.err.println("acl IT: broker asked to exit: " + message));
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .setConfigProp("super.users", "User:" + JaasUtils.KAFKA_PLAIN_ADMIN + ";User:ANONYMOUS")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kit != null) {
            kit.close();
        }
    }

    private static Properties client(String user, String password) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kit.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        return p;
    }

    private static Properties admin() {
        return client(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
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
        String yaml = """
                kafka:
                  bootstrap_servers: %s
                  group_id: %s
                  findings_topic: %s
                  properties:
                    security.protocol: SASL_PLAINTEXT
                    sasl.mechanism: PLAIN
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";'
                correlation:
                  state_dir: %s
                  window: 1s
                  grace: 1s
                  stats_interval: 1s
                """.formatted(
                        kit.bootstrapServers(),
                        group,
                        "meshlens.findings." + group,
                        JaasUtils.KAFKA_PLAIN_USER1,
                        JaasUtils.KAFKA_PLAIN_USER1_PASSWORD,
                        state);
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
