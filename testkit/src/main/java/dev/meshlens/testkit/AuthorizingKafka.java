package dev.meshlens.testkit;

import java.util.Properties;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka inside the test JVM that authenticates (SASL/PLAIN) and authorizes (the standard
 * authorizer, default deny): tests grant a principal exactly the ACLs docs/production.md lists for a component and
 * run that component as it. {@link #ADMIN} is a super user; {@link #USER} has only what a test grants.
 */
public final class AuthorizingKafka implements AutoCloseable {
    /** The principal tests grant ACLs to. */
    public static final String USER = "User:" + JaasUtils.KAFKA_PLAIN_USER1;

    public static final String ADMIN = "User:" + JaasUtils.KAFKA_PLAIN_ADMIN;

    private final KafkaClusterTestKit kit;

    private AuthorizingKafka(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    public static AuthorizingKafka start() throws Exception {
        Exit.setHaltProcedure(
                (code, message) -> System.err.println("testkit: authorizing Kafka asked to halt: " + message));
        Exit.setExitProcedure(
                (code, message) -> System.err.println("testkit: authorizing Kafka asked to exit: " + message));
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // the controller listener is PLAINTEXT (ANONYMOUS); clients authenticate on the SASL listener
                .setConfigProp("super.users", ADMIN + ";User:ANONYMOUS")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "2")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "2")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception | Error e) {
            try {
                kit.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new AuthorizingKafka(kit);
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Client properties of the super user (topics, ACLs, test data). */
    public Properties adminProperties() {
        return client(JaasUtils.KAFKA_PLAIN_ADMIN, JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD);
    }

    /** Client properties of {@link #USER}, without bootstrap servers: {@code kafka.properties} of a component. */
    public Properties userSecurityProperties() {
        Properties p = client(JaasUtils.KAFKA_PLAIN_USER1, JaasUtils.KAFKA_PLAIN_USER1_PASSWORD);
        p.remove("bootstrap.servers");
        return p;
    }

    private Properties client(String user, String password) {
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

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
