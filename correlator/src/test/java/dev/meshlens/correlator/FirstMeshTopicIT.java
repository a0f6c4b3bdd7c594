package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RequiresRealServices;
import dev.meshlens.testkit.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A correlator started before any mesh topic exists, on the real broker: the first mesh topic, and a second one later,
 * are correlated without a stream thread dying. Before the loop topic moved into the correlation step, the routing
 * task that owned the loop partition had no node for the pattern, and the first mesh topic's partition killed its
 * thread ("Topic ... is unknown to the topology"; Kafka Streams replaced it and it healed).
 */
@RequiresRealServices(elasticsearch = false)
class FirstMeshTopicIT {

    @Test
    void meshTopicsCreatedAfterTheStartKillNoStreamThread(KafkaService kafka) throws Exception {
        String token = TestNames.token();
        CorrelationConfig cfg = CorrelationConfig.defaults(kafka.bootstrapServers(), Files.createTempDirectory("first"))
                .with(CorrelatorKeys.APPLICATION_ID, "first-" + token)
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\." + token + "-.*")
                .with(CorrelatorKeys.FINDINGS_TOPIC, "meshlens.findings." + token)
                .with(
                        CorrelatorKeys.KAFKA_PROPERTIES,
                        new ClientProperties(Map.of("num.stream.threads", "1", "metadata.max.age.ms", "1000")));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        // slf4j-simple writes to System.err as it is at each call: keep a copy of everything logged meanwhile
        System.setErr(new PrintStream(new Tee(stderr, captured), true, StandardCharsets.UTF_8));
        try (CorrelationService svc = new CorrelationService(cfg).start();
                Admin admin = Admin.create(kafka.adminProperties());
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
            await(() -> svc.state() == KafkaStreams.State.RUNNING ? 1 : 0, 1, "RUNNING");
            Thread.sleep(2_000); // assigned: the loop and repartition partitions, no mesh topic yet
            for (String mesh : List.of("istio", "consul")) {
                String topic = "meshlens.events." + token + "-" + mesh;
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
                        .all()
                        .get();
                long before = svc.stats().halvesStored();
                MeshEvent e = CorrelationServiceIT.istioClient(token + "-" + mesh, "", Instant.now(), mesh + "-1");
                producer.send(new ProducerRecord<>(topic, "k", EventCodec.get().encodeBytes(e)))
                        .get();
                await(() -> svc.stats().halvesStored(), before + 1, "a half of " + topic + " stored");
            }
            assertEquals(List.of(), svc.threadFailureMessages(), "stream threads that died");
            assertEquals(KafkaStreams.State.RUNNING, svc.state());
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("State transition from REBALANCING to RUNNING"), "the capture saw the streams' log");
        assertFalse(log.contains("unknown to the topology"), "logged: an unknown topic");
    }

    static void await(LongSupplier value, long atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (value.getAsLong() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Writes to both. */
    static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
