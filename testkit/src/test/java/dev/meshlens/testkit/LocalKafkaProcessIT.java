package dev.meshlens.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.localstack.kafka.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The child-process Kafka of local-stack (the demo's broker): it serves clients, and it exits on
 * its own when its parent goes away — simulated by closing its standard input, which is exactly
 * what the kernel does when the parent dies, even by SIGKILL.
 */
class LocalKafkaProcessIT {

    @Test
    void childBrokerServesClientsAndExitsWhenItsParentGoesAway() throws Exception {
        LocalKafka kafka = LocalKafka.builder().heap("384m").start();
        Path dataDir = kafka.dataDir();
        ProcessHandle handle = kafka.processHandle();
        try {
            KafkaService service = new RealServices.ExternalKafka(kafka.bootstrapServers());
            String topic = TestNames.topic("meshlens.findings");
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(service.producerProperties())) {
                p.send(new ProducerRecord<>(topic, "k", "hello".getBytes(StandardCharsets.UTF_8)))
                        .get(60, TimeUnit.SECONDS);
            }
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(service.consumerProperties(TestNames.groupId("lk")))) {
                c.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                        got.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertEquals(List.of("hello"), got);

            kafka.process().closeStdin();
            boolean exited = handle.onExit()
                    .thenApply(h -> true)
                    .completeOnTimeout(false, 30, TimeUnit.SECONDS)
                    .get();
            assertTrue(
                    exited,
                    "broker did not exit within 30 s of losing its parent pipe; log:\n"
                            + kafka.process().logTail(30));
        } finally {
            kafka.close();
        }
        assertFalse(handle.isAlive());
        assertFalse(Files.exists(dataDir), "temporary data folder " + dataDir + " left behind");
    }
}
