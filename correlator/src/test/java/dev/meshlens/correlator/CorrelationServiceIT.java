package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RequiresRealServices;
import dev.meshlens.testkit.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The correlation service against the real Kafka broker: mesh topics by pattern, repartition,
 * findings topic; then a restart with the local state directory WIPED, so the window store (an
 * unpaired half) and the findings store must come back from their changelog topics.
 */
@RequiresRealServices(elasticsearch = false)
class CorrelationServiceIT {

    @Test
    void correlatesOnTheRealBrokerAndRestartsWithoutLosingState(KafkaService kafka) throws Exception {
        String token = TestNames.token();
        String istio = token + "-istio";
        String consul = token + "-consul";
        String findingsTopic = "meshlens.findings." + token;
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(
                            new NewTopic("meshlens.events." + istio, 2, (short) 1),
                            new NewTopic("meshlens.events." + consul, 2, (short) 1)))
                    .all()
                    .get();
        }
        Path state1 = Files.createTempDirectory("corr-it-1");
        CorrelationConfig cfg = CorrelationConfig.defaults(kafka.bootstrapServers(), state1)
                .with(CorrelatorKeys.APPLICATION_ID, "corr-it-" + token)
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\." + token + "-.*")
                .with(CorrelatorKeys.FINDINGS_TOPIC, findingsTopic)
                .with(CorrelatorKeys.KAFKA_PROPERTIES, new ClientProperties(Map.of("num.stream.threads", "1")));
        Instant t0 = Instant.now().minusSeconds(5);

        Map<String, Finding> seen = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties());
                KafkaConsumer<String, byte[]> findings =
                        new KafkaConsumer<>(kafka.consumerProperties(TestNames.groupId("corr-it-findings")))) {
            findings.subscribe(List.of(findingsTopic));
            try (CorrelationService svc = new CorrelationService(cfg).start()) {
                awaitRunning(svc);
                send(producer, istioClient(istio, consul, t0, "c1"));
                send(producer, consulServer(consul, t0.plusMillis(1500), "s1"));
                Finding f = await(findings, seen, x -> x.count() == 1 && !x.oneSided());
                assertEquals(FailureCategory.UNTRUSTED_ROOT, f.category());
                assertEquals(RejectedBy.SELF, f.rejectedBy());
                // an unpaired client half waits in the window store...
                send(producer, istioClient(istio, consul, t0.plusSeconds(2), "c2"));
                Thread.sleep(3000); // > commit interval: the half is in the changelog
                // every pair consumed one stored half: one half is still pending
                assertEquals(
                        1,
                        svc.stats().halvesStored() - svc.stats().halvesPaired() / 2,
                        svc.stats().toString());
            }
            // ...the instance stops and its disk is lost; a new instance with an empty state dir takes over
            CorrelationConfig cfg2 = cfg.with(
                    CorrelatorKeys.STATE_DIR,
                    Files.createTempDirectory("corr-it-2").toString());
            try (CorrelationService svc = new CorrelationService(cfg2).start()) {
                awaitRunning(svc);
                send(producer, consulServer(consul, t0.plusMillis(2500), "s2"));
                Finding f = await(findings, seen, x -> x.count() == 2);
                assertFalse(f.oneSided());
                assertEquals(
                        "2",
                        f.details().get("paired_count"),
                        "the half stored before the restart was restored and paired");
                assertEquals(4, f.evidenceIds().size());
                assertEquals(
                        0, svc.stats().halvesStored(), "nothing new stored: the pending half came from the changelog");

                // Consul's admin source names no Envoy: its listener delta lands on the mesh-wide key; the footprints
                // the halves left there (restored from the changelog too) send it through <app-id>-loop to the pair's
                // finding, which it corroborates without counting again or opening a finding of its own
                send(producer, listenerDelta(consul, t0.plusSeconds(3), Map.of("ssl.connection_error", 2L)));
                // later events on both keys move their tasks' stream time past the horizon
                send(producer, listenerDelta(consul, t0.plusSeconds(60), Map.of("ssl.handshake", 5L)));
                send(
                        producer,
                        CorrelatorWindowTest.istioClient(t0.plusSeconds(60), null, null, null).toBuilder()
                                .eventId("ok1")
                                .meshId(istio)
                                .build());
                Finding g = await(findings, seen, x -> x.details().containsKey("server_counters"));
                assertEquals(2, g.count(), "the counters repeat the two failures: " + g.details());
                assertTrue(
                        g.details().get("server_counters").contains("ssl.connection_error +2"),
                        g.details().toString());
                assertEquals(1, seen.size(), "no finding of the delta's own: " + seen.values());
                assertTrue(svc.stats().countersShared() >= 1, svc.stats().toString());
            }
        }
    }

    private static void awaitRunning(CorrelationService svc) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (svc.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("streams not RUNNING after 120 s: " + svc.state());
            }
            Thread.sleep(200);
        }
    }

    private static Finding await(
            KafkaConsumer<String, byte[]> consumer, Map<String, Finding> seen, Predicate<Finding> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                seen.put(r.key(), EventCodec.get().decodeFinding(new String(r.value(), StandardCharsets.UTF_8)));
            }
            for (Finding f : seen.values()) {
                if (done.test(f)) {
                    return f;
                }
            }
        }
        throw new AssertionError("no matching finding within 120 s; seen: " + seen.values());
    }

    private static void send(KafkaProducer<String, byte[]> p, MeshEvent e) throws Exception {
        p.send(new ProducerRecord<>(
                        "meshlens.events." + e.meshId(),
                        dev.meshlens.events.CorrelationKeys.joinKey(e),
                        EventCodec.get().encodeBytes(e)))
                .get();
    }

    static MeshEvent istioClient(String istio, String consul, Instant t, String id) {
        MeshEvent e = CorrelatorWindowTest.istioClient(
                t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED");
        return e.toBuilder().eventId(id).meshId(istio).build();
    }

    static MeshEvent consulServer(String consul, Instant t, String id) {
        MeshEvent e = CorrelatorWindowTest.consulServer(
                t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA");
        return e.toBuilder().eventId(id).meshId(consul).build();
    }

    /** A listener ssl.* delta as the collector's admin source publishes it: no Envoy identity. */
    static MeshEvent listenerDelta(String consul, Instant t, Map<String, Long> deltas) {
        return MeshEvent.builder()
                .eventId("st-" + t.toEpochMilli())
                .observedTime(t)
                .meshId(consul)
                .meshKind(dev.meshlens.events.MeshKind.CONSUL)
                .sourceKind(dev.meshlens.events.SourceKind.ENVOY_STATS)
                .observerRole(dev.meshlens.events.ObserverRole.SERVER)
                .stats(new dev.meshlens.events.StatsDelta("listener", "10.0.0.1_20000", deltas, 10))
                .build();
    }

    static {
        assertNotNull(EventCodec.get());
    }
}
