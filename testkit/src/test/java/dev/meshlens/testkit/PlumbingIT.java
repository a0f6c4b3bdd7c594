package dev.meshlens.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * End to end over the real services: events published to the per-mesh topic
 * {@code meshlens.events.<mesh>}, consumed, bulk-indexed through a composable template into daily
 * indices (document id = event id, so replays do not duplicate), and found again by a search
 * with a terms aggregation.
 */
@RequiresRealServices
class PlumbingIT {

    @Test
    void eventsFlowFromMeshTopicIntoTemplatedDailyIndicesAndAggregate(KafkaService kafka, ElasticsearchService es)
            throws Exception {
        String mesh = TestNames.meshId("istio");
        String topic = TestNames.eventsTopic(mesh);
        String prefix = TestNames.indexPrefix();

        // 120 failures over the midnight of 2026-11-27/28: two daily indices.
        Instant start = Instant.parse("2026-11-27T23:59:30Z");
        List<MeshEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            FailureCategory c = switch (i % 6) {
                case 0, 1, 2 -> FailureCategory.UNTRUSTED_ROOT;
                case 3, 4 -> FailureCategory.SAN_MISMATCH;
                default -> FailureCategory.CERT_EXPIRED;
            };
            events.add(TestEvents.clientFailure(mesh, i, c, start.plusSeconds(i)));
        }

        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
            for (MeshEvent e : events) {
                producer.send(new ProducerRecord<>(
                        topic, CorrelationKeys.joinKey(e), EventCodec.get().encodeBytes(e)));
            }
            // a replay of the first 10 (same ids): must not create documents
            for (MeshEvent e : events.subList(0, 10)) {
                producer.send(new ProducerRecord<>(
                        topic, CorrelationKeys.joinKey(e), EventCodec.get().encodeBytes(e)));
            }
            producer.flush();
        }

        List<byte[]> consumed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(kafka.consumerProperties(TestNames.groupId("plumbing")))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumed.size() < 130 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    consumed.add(r.value());
                }
            }
            consumer.commitSync();
        }
        assertEquals(130, consumed.size(), "records consumed from " + topic);

        try (ElasticsearchClient client = es.newClient()) {
            EventsIndexFixture index = new EventsIndexFixture(client, prefix);
            index.putTemplate();
            try {
                index.bulkIndex(consumed);

                assertEquals(
                        List.of(prefix + "meshlens-events-2026.11.27", prefix + "meshlens-events-2026.11.28"),
                        index.indices(),
                        "daily indices");
                for (String name : index.indices()) {
                    assertEquals("keyword", index.categoryMappingType(name), "template mapping applied to " + name);
                }
                assertEquals(120, index.count(), "one document per event id, replays included");

                Map<String, Long> expected = new HashMap<>();
                for (MeshEvent e : events) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> tls = (Map<String, Object>) EventCodec.get()
                            .mapper()
                            .readValue(EventCodec.get().encodeBytes(e), EventsIndexFixture.MAP)
                            .get("tls");
                    expected.merge(String.valueOf(tls.get("category")), 1L, Long::sum);
                }
                assertEquals(3, expected.size());
                assertEquals(expected, index.failureCountsByCategory(mesh));

                MeshEvent first = events.get(0);
                var got = client.get(
                        g -> g.index(TestNames.dailyEventsIndex(prefix, first.observedTime()))
                                .id(first.eventId()),
                        Map.class);
                assertTrue(got.found(), "document found by event id");
                assertEquals(first.eventId(), got.source().get("event_id"));
            } finally {
                index.deleteAll();
            }
        }
    }
}
