package dev.meshlens.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.publish.KafkaPublishIT;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RealServices;
import dev.meshlens.testkit.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole collector against the testkit's real Kafka broker: lines published, the collector stopped,
 * the log rotated by rename and appended while it is down, then restarted: it resumes the rotated file
 * from its checkpoint and reads the new one — every line exactly once on the topic, secrets redacted.
 */
class CollectorEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void restartAfterRotationResumesWithoutLossOrDuplicates() throws Exception {
        KafkaService kafka = RealServices.kafka();
        String mesh = TestNames.meshId("istio");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("proxy.log");
        String yaml = """
        mesh: {id: %s, kind: istio, cluster: east}
        sources:
          files: [{globs: ["%s/proxy.log*"], format: istio}]
          checkpoint_dir: %s/cp
          poll_interval_ms: 50
        pipeline: {success_rollup_seconds: 0}   # every line its own event: this test counts lines
        kafka: {bootstrap_servers: "%s", create_topic: true, partitions: 1}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(mesh, logs, dir, kafka.bootstrapServers(), dir, dir);
        CollectorConfig cfg = CollectorConfig.parse(yaml, "e2e");
        List<String> written = new ArrayList<>();
        KafkaPublishIT.appendLines(log, 0, 50, written);
        try (Collector c = new Collector(cfg).start()) {
            awaitCount(cfg.topic(), kafka, 50);
        }
        // while the collector is down: more lines, then rotation by rename, then a new file
        KafkaPublishIT.appendLines(log, 50, 30, written);
        Files.move(log, logs.resolve("proxy.log.1"));
        KafkaPublishIT.appendLines(log, 80, 20, written);
        try (Collector c = new Collector(cfg).start()) {
            List<ConsumerRecord<String, byte[]>> got = awaitCount(cfg.topic(), kafka, 100);
            Thread.sleep(1500); // anything extra (a duplicate) would arrive now
            got = awaitCount(cfg.topic(), kafka, 100);
            assertEquals(100, got.size(), "every line exactly once");
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<String, byte[]> r : got) {
                MeshEvent e = EventCodec.get().decodeEvent(r.value());
                assertTrue(ids.add(e.eventId()));
                assertTrue(!new String(r.value()).contains(KafkaPublishIT.SECRET_JWT));
            }
            assertEquals(
                    20,
                    got.stream()
                            .filter(r -> EventCodec.get().decodeEvent(r.value()).isFailure())
                            .count());
        }
    }

    static List<ConsumerRecord<String, byte[]>> awaitCount(String topic, KafkaService kafka, int n) throws Exception {
        Properties p = new Properties();
        p.putAll(kafka.consumerProperties("e2e-" + System.nanoTime()));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(300)).forEach(out::add);
            }
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        if (out.size() < n) {
            throw new AssertionError("only " + out.size() + " of " + n + " records on " + topic);
        }
        return out;
    }
}
