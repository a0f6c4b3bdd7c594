package dev.meshlens.localstack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker stopped and started again on its own data folder (what {@code ./meshlens local-stack
 * --data-dir D} promises) comes back with its records: the cluster id is kept with the data, so the
 * storage formatted at the first start is accepted at the second.
 */
class LocalKafkaRestartIT {
    @TempDir
    Path dir;

    @Test
    void restartsOnItsOwnDataAndKeepsItsRecords() throws Exception {
        Path data = dir.resolve("kafka");
        String first;
        try (LocalKafka kafka = LocalKafka.builder().dataDir(data).start();
                KafkaProducer<String, String> p = new KafkaProducer<>(
                        Map.of("bootstrap.servers", kafka.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            p.send(new ProducerRecord<>("kept", "k", "written before the restart"))
                    .get();
            first = Files.readString(data.resolve("cluster.id")).trim();
        }
        try (LocalKafka kafka = LocalKafka.builder().dataDir(data).start();
                KafkaConsumer<String, String> c = new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "group.id",
                                "restart-it",
                                "auto.offset.reset",
                                "earliest"),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            assertEquals(first, Files.readString(data.resolve("cluster.id")).trim(), "same cluster id");
            c.subscribe(List.of("kept"));
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    got.add(r.value());
                }
            }
            assertEquals(List.of("written before the restart"), got);
        }
    }
}
