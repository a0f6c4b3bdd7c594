package dev.meshlens.testkit;

import java.time.Duration;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka (combined broker + controller) inside the test JVM, from Kafka's
 * own test kit ({@code kafka-test-common-runtime}, same version as kafka-clients). Binds random
 * loopback ports; its log directories are deleted on close.
 */
public final class EmbeddedKafka implements KafkaService, AutoCloseable {
    private final KafkaClusterTestKit kit;
    private final String bootstrapServers;
    private final Duration startupTime;

    private EmbeddedKafka(KafkaClusterTestKit kit, Duration startupTime) {
        this.kit = kit;
        this.bootstrapServers = kit.bootstrapServers();
        this.startupTime = startupTime;
    }

    /** Formats, starts and waits for the broker; throws if it does not come up. */
    public static EmbeddedKafka start() throws Exception {
        // A broker that sees its log dir fail calls Exit.halt(1), which would kill the whole test JVM
        // (Surefire reports a crashed fork) when a directory disappears during JVM shutdown. Kafka's
        // own tests replace the procedures the same way; here they only log.
        Exit.setHaltProcedure((code, message) ->
                System.err.println("meshlens testkit: embedded Kafka asked to halt(" + code + "): " + message));
        Exit.setExitProcedure((code, message) ->
                System.err.println("meshlens testkit: embedded Kafka asked to exit(" + code + "): " + message));
        long t0 = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder()
                // without this the kit picks an unreleased metadata version
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "true")
                .setConfigProp("num.partitions", "1")
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
        return new EmbeddedKafka(kit, Duration.ofNanos(System.nanoTime() - t0));
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public boolean external() {
        return false;
    }

    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + "]";
    }
}
