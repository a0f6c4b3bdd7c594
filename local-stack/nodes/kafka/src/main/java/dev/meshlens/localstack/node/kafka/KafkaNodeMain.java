package dev.meshlens.localstack.node.kafka;

import dev.meshlens.localstack.node.NodeSupport;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * Main class of the child JVM that runs one single-node KRaft Kafka (broker + controller).
 *
 * <p>Usage: {@code java -cp KAFKA_HOME/lib/* dev.meshlens.localstack.node.kafka.KafkaNodeMain
 * SERVER_PROPERTIES CLUSTER_ID INSTANCE_DIR}. Formats the log directory when it is new (the same
 * as {@code kafka-storage.sh format --ignore-formatted}), starts the server, and writes
 * {@code INSTANCE_DIR/ready} atomically once the broker is up; a start failure goes to
 * {@code INSTANCE_DIR/failed}. Exits when standard input closes or the parent pid dies.
 */
public final class KafkaNodeMain {
    private KafkaNodeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: KafkaNodeMain SERVER_PROPERTIES CLUSTER_ID INSTANCE_DIR");
            System.exit(2);
        }
        Path serverProperties = Path.of(args[0]).toAbsolutePath();
        String clusterId = args[1];
        Path instance = Path.of(args[2]).toAbsolutePath();
        NodeSupport.exitWithParent("kafka node", 20);
        try {
            int rc = StorageTool.execute(new String[] {
                "format", "--cluster-id", clusterId, "--config", serverProperties.toString(), "--ignore-formatted"
            }, new PrintStream(System.out, true));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format exited with " + rc);
            }
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(serverProperties)) {
                props.load(in);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            Runnable close = () -> {
                server.shutdown();
                server.awaitShutdown();
            };
            Runtime.getRuntime().addShutdownHook(new Thread(close, "meshlens-kafka-close"));
            NodeSupport.onParentGone(close, instance);
            server.startup();
            NodeSupport.writeAtomically(instance.resolve("ready"), "ready\n");
            System.out.println("meshlens: kafka ready");
            server.awaitShutdown();
            if (NodeSupport.parentGone()) {
                // that path closes the broker, cleans up and calls System.exit itself
                Thread.currentThread().join();
            }
            // stopped by a signal (then this just waits for the exit in progress) or on its own
            // after a fatal error: exit so the parent sees it
            System.exit(0);
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            System.err.println(sw);
            NodeSupport.writeAtomically(instance.resolve("failed"), sw.toString());
            System.exit(1);
        }
    }
}
