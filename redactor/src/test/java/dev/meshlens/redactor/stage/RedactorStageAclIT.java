package dev.meshlens.redactor.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import dev.meshlens.testkit.AuthorizingKafka;
import dev.meshlens.testkit.TestEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The redactor stage's rows of docs/production.md's ACL table (names from {@link StageConfig}; KafkaAclTableTest keeps
 * table and code equal) are enough on a real broker that authorizes: the stage redacts one event exactly once as a
 * principal with only those ACLs (no cluster permission), and without its transactional-id row it cannot start.
 */
class RedactorStageAclIT {
    private static AuthorizingKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = AuthorizingKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static AclBinding allow(ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(AuthorizingKafka.USER, "*", op, AclPermissionType.ALLOW));
    }

    private static StageConfig config(String mesh) {
        StringBuilder props = new StringBuilder();
        kafka.userSecurityProperties()
                .forEach((k, v) ->
                        props.append("  ").append(k).append(": '").append(v).append("'\n"));
        return StageConfig.parse(
                "mesh: " + mesh + "\nkafka:\n  bootstrap_servers: " + kafka.bootstrapServers() + "\n  properties:\n"
                        + props.toString().indent(2) + "input: {topic: raw." + mesh + "}\npoll_ms: 200\n",
                mesh + ".yaml",
                null);
    }

    /** The table's rows for the stage of {@code cfg}. */
    private static List<AclBinding> rows(StageConfig cfg, boolean withTransactionalId) {
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
            acls.add(allow(ResourceType.TOPIC, cfg.get(StageConfig.INPUT_TOPIC), op));
            acls.add(allow(ResourceType.GROUP, cfg.groupId(), op));
        }
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(ResourceType.TOPIC, cfg.outputTopic(), op));
            acls.add(allow(ResourceType.TOPIC, cfg.get(StageConfig.DEAD_LETTER_TOPIC), op));
            if (withTransactionalId) {
                acls.add(allow(ResourceType.TRANSACTIONAL_ID, cfg.transactionalId(), op));
            }
        }
        return acls;
    }

    private static StageConfig prepare(String mesh, boolean withTransactionalId) throws Exception {
        StageConfig cfg = config(mesh);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createAcls(rows(cfg, withTransactionalId)).all().get(30, TimeUnit.SECONDS);
            for (String t : List.of(
                    cfg.get(StageConfig.INPUT_TOPIC), cfg.outputTopic(), cfg.get(StageConfig.DEAD_LETTER_TOPIC))) {
                try {
                    admin.createTopics(List.of(new NewTopic(t, 1, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // the dead-letter topic is shared
                        throw e;
                    }
                }
            }
        }
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(kafka.adminProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            cfg.get(StageConfig.INPUT_TOPIC),
                            EventCodec.get()
                                    .encodeBytes(TestEvents.clientFailure(
                                            mesh, 1, FailureCategory.UNTRUSTED_ROOT, Instant.now()))))
                    .get(30, TimeUnit.SECONDS);
        }
        return cfg;
    }

    @Test
    void theTablesStageRowsAreEnough() throws Exception {
        StageConfig cfg = prepare("acl-granted", true);
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null, null);
        try (RedactorStage stage = new RedactorStage(cfg, engine, null)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stage.published() == 0 && System.nanoTime() < deadline) {
                stage.pollOnce();
            }
            assertEquals(1, stage.published(), "the event was redacted and published in a transaction");
        }
    }

    @Test
    void withoutTheTransactionalIdRowTheStageCannotStart() throws Exception {
        StageConfig cfg = prepare("acl-no-txn", false);
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null, null);
        KafkaException e = assertThrows(KafkaException.class, () -> new RedactorStage(cfg, engine, null).close());
        Throwable cause = e;
        while (cause != null && !(cause instanceof TransactionalIdAuthorizationException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, "refused for its transactional id: " + e);
    }
}
