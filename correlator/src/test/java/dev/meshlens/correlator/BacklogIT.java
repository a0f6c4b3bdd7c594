package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.events.CorrelationKeys;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A backlog replayed fast pairs as it would live, on the real broker. The input: broken pairs (both halves, a few
 * milliseconds apart), one-sided failures (the server mesh wrote nothing), and a hot service whose successes fill one
 * partition of the client mesh's topic, so that while catching up its routing lane falls minutes of event time behind
 * the others. Live, the correlator runs while the input is written at its own pace; in the backlog everything is
 * written before the correlator starts. Before expiry followed the slowest lane, the pairs of the hot lane arrived
 * behind the stream time the other lanes had driven ahead and expired one-sided.
 */
@RequiresRealServices(elasticsearch = false)
class BacklogIT {
    static final int PAIRS = 16;
    static final int ONE_SIDED = 4;
    static final int HOT = 6_000;
    static final Duration SPAN = Duration.ofSeconds(12);

    /** What a finding must be whatever the pace of its input. */
    record Outcome(FailureCategory category, boolean oneSided, long count) {}

    @Test
    void aBacklogReplayedFastPairsAsItWouldLive(KafkaService kafka) throws Exception {
        Map<String, Outcome> live = run(kafka, false);
        assertEquals(PAIRS + ONE_SIDED, live.size(), "live findings: " + live);
        assertEquals(ONE_SIDED, live.values().stream().filter(Outcome::oneSided).count(), "live findings: " + live);
        Map<String, Outcome> backlog = run(kafka, true);
        assertEquals(live, backlog, "the backlog's findings vs the live run's");
    }

    /** One run on topics and an application id of its own; the findings once they stop changing. */
    static Map<String, Outcome> run(KafkaService kafka, boolean backlog) throws Exception {
        String token = TestNames.token();
        // the same meshes (so the same finding ids) in every run, on topics of the run's own
        String istio = CorrelatorWindowTest.ISTIO;
        String consul = CorrelatorWindowTest.CONSUL;
        String findings = "meshlens.findings." + token;
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(
                            new NewTopic(topic(token, istio), 4, (short) 1),
                            new NewTopic(topic(token, consul), 4, (short) 1)))
                    .all()
                    .get();
        }
        CorrelationConfig cfg = CorrelationConfig.defaults(
                        kafka.bootstrapServers(), Files.createTempDirectory("backlog"))
                .with(CorrelatorKeys.APPLICATION_ID, "backlog-" + token)
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\." + token + "-.*")
                .with(CorrelatorKeys.FINDINGS_TOPIC, findings)
                .with(CorrelatorKeys.WINDOW, Duration.ofSeconds(1))
                // 3 s, not 1: a routing task stalled by a loaded CI machine looks like an idle lane
                // (docs/production.md, failover)
                .with(CorrelatorKeys.GRACE, Duration.ofSeconds(3))
                .with(CorrelatorKeys.STATS_INTERVAL, Duration.ofSeconds(1))
                // one correlation task: it hears from every routing lane
                .with(CorrelatorKeys.PARTITIONS, 1)
                .with(CorrelatorKeys.KAFKA_PROPERTIES, new ClientProperties(Map.of("num.stream.threads", "1")));
        Instant base = backlog
                ? Instant.now().minus(Duration.ofMinutes(10))
                : Instant.now().plusSeconds(20);
        List<MeshEvent> input = input(istio, consul, base);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties());
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(kafka.consumerProperties(TestNames.groupId("backlog")))) {
            consumer.subscribe(List.of(findings));
            if (backlog) {
                send(producer, token, input, false);
            }
            try (CorrelationService svc = new CorrelationService(cfg).start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (svc.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                if (!backlog) {
                    send(producer, token, input, true);
                }
                return converge(consumer);
            }
        }
    }

    /** Waits until findings have come and not changed for 10 s (the one-sided ones expire 3 s after their time). */
    static Map<String, Outcome> converge(KafkaConsumer<String, byte[]> consumer) {
        Map<String, Outcome> out = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean changed = false;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Finding f = EventCodec.get().decodeFinding(new String(r.value(), StandardCharsets.UTF_8));
                changed |= !new Outcome(f.category(), f.oneSided(), f.count()).equals(out.get(r.key()));
                out.put(r.key(), new Outcome(f.category(), f.oneSided(), f.count()));
            }
            if (changed) {
                quietSince = System.nanoTime();
            } else if (out.size() >= PAIRS + ONE_SIDED
                    && System.nanoTime() - quietSince > Duration.ofSeconds(10).toNanos()) {
                return out;
            }
        }
        return out;
    }

    /** In event-time order; live, each one when the wall clock reaches its time. */
    static String topic(String token, String mesh) {
        return "meshlens.events." + token + "-" + mesh;
    }

    static void send(KafkaProducer<String, byte[]> producer, String token, List<MeshEvent> events, boolean paced)
            throws Exception {
        for (MeshEvent e : events) {
            if (paced) {
                long wait = e.observedTime().toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    producer.flush();
                    Thread.sleep(wait);
                }
            }
            // keyed by join key, as the collectors publish
            producer.send(new ProducerRecord<>(
                    topic(token, e.meshId()),
                    CorrelationKeys.joinKey(e),
                    EventCodec.get().encodeBytes(e)));
        }
        producer.flush();
    }

    /** The input over {@link #SPAN} from {@code base}, in event-time order. */
    static List<MeshEvent> input(String istio, String consul, Instant base) {
        List<MeshEvent> out = new ArrayList<>();
        long span = SPAN.toMillis();
        for (int i = 0; i < PAIRS; i++) {
            Instant t = base.plusMillis(span * i / PAIRS);
            out.add(client(istio, "svc-" + i, t, "c" + i));
            out.add(server(consul, "svc-" + i, t.plusMillis(2), "s" + i));
        }
        for (int i = 0; i < ONE_SIDED; i++) {
            out.add(client(istio, "lone-" + i, base.plusMillis(span * i / ONE_SIDED + 7), "l" + i));
        }
        for (int i = 0; i < HOT; i++) {
            Instant t = base.plusMillis(span * i / HOT + 1);
            out.add(CorrelatorWindowTest.istioClient(t, null, null, null).toBuilder()
                    .eventId("h" + i)
                    .meshId(istio)
                    .upstreamCluster("outbound|8443||hot.service.consul")
                    .build());
        }
        out.sort(Comparator.comparing(MeshEvent::observedTime));
        return out;
    }

    static MeshEvent client(String istio, String service, Instant t, String id) {
        return CorrelatorWindowTest.istioClient(
                        t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED")
                .toBuilder()
                .eventId(id)
                .meshId(istio)
                .upstreamCluster("outbound|8443||" + service + ".service.consul")
                .build();
    }

    static MeshEvent server(String consul, String service, Instant t, String id) {
        return CorrelatorWindowTest.consulServer(
                        t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA")
                .toBuilder()
                .eventId(id)
                .meshId(consul)
                .requestedServerName("outbound_.8443_._." + service + ".service.consul")
                .localUriSan("spiffe://" + CorrelatorWindowTest.TD + "/ns/default/dc/dc1/svc/" + service)
                .build();
    }
}
