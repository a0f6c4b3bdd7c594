package dev.meshlens.redactor.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.Corpus;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import dev.meshlens.telemetry.Telemetry;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RealServices;
import dev.meshlens.testkit.TestEvents;
import dev.meshlens.testkit.TestNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stage against the real broker: a corpus with planted secrets in every field position goes
 * through it; the shared topic must hold every valid event exactly once and none of the secrets in
 * raw, URL-encoded or base64 form; invalid records must land in the dead-letter topic only.
 */
class RedactorStageIT {
    static KafkaService kafka;

    static final String JWT_IN_GARBAGE = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJnYXJiYWdlIn0.Z2FyYmFnZXNpZ25hdHVyZTEyMw";
    static final List<String> INVALID = List.of(
            "not json at all, token " + JWT_IN_GARBAGE,
            "{\"schema_version\":1,\"event_id\":\"x\"}",
            "{\"schema_version\":99,\"event_id\":\"x\",\"observed_time\":\"2026-11-29T00:00:00Z\",\"mesh_id\":\"m\","
                    + "\"source_kind\":\"access-log\"}");

    @BeforeAll
    static void start() {
        kafka = RealServices.kafka();
    }

    record Topics(String mesh, String raw, String out, String dlq) {}

    static Topics topics() throws Exception {
        String mesh = TestNames.meshId("redstage");
        Topics t = new Topics(
                mesh,
                TestNames.topic("raw.envoy"),
                TestNames.eventsTopic(mesh),
                TestNames.topic("meshlens.deadletter.redactor"));
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(
                            new NewTopic(t.raw(), 2, (short) 1),
                            new NewTopic(t.out(), 2, (short) 1),
                            new NewTopic(t.dlq(), 1, (short) 1)))
                    .all()
                    .get();
        }
        return t;
    }

    static StageConfig config(Topics t, int maxPoll) {
        return StageConfig.parse(
                """
        mesh: %s
        kafka:
          bootstrap_servers: %s
        input:
          topic: %s
        dead_letter:
          topic: %s
        poll_ms: 200
        max_poll_records: %d
        """.formatted(t.mesh(), kafka.bootstrapServers(), t.raw(), t.dlq(), maxPoll), "it.yaml", null);
    }

    /** Produces the corpus; returns the event ids of the valid events. */
    static Set<String> produceCorpus(Topics t) throws Exception {
        Set<String> ids = new HashSet<>();
        Properties p = kafka.producerProperties();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            int i = 0;
            for (Corpus.Secret s : Corpus.SECRETS) {
                MeshEvent e = Corpus.plantedEverywhere(t.mesh(), s, i++);
                ids.add(e.eventId());
                producer.send(new ProducerRecord<>(
                                t.raw(), null, EventCodec.get().encodeBytes(e)))
                        .get();
                if (i % 5 == 0) {
                    String bad = INVALID.get(i % INVALID.size());
                    producer.send(new ProducerRecord<>(t.raw(), null, bad.getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
            for (int k = 0; k < 20; k++) {
                MeshEvent e = Corpus.realistic(t.mesh(), 1000 + k);
                ids.add(e.eventId());
                producer.send(new ProducerRecord<>(
                                t.raw(), null, EventCodec.get().encodeBytes(e)))
                        .get();
            }
        }
        return ids;
    }

    static int invalidCount() {
        int n = 0;
        for (int i = 1; i <= Corpus.SECRETS.size(); i++) {
            if (i % 5 == 0) {
                n++;
            }
        }
        return n;
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        Properties c = kafka.consumerProperties(TestNames.groupId("it-reader"));
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long quietUntil = 0;
            while (System.nanoTime() < deadline) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                if (out.size() >= expected) {
                    // keep polling briefly: duplicates would show up here
                    if (quietUntil == 0) {
                        quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    } else if (System.nanoTime() > quietUntil && out.size() == before) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    static void drive(RedactorStage stage, long total) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (stage.published() + stage.deadLettered() < total && System.nanoTime() < deadline) {
            stage.pollOnce();
        }
    }

    @Test
    void plantedSecretsNeverReachTheSharedTopic() throws Exception {
        // the most permissive policy: every field kept, only the detectors stand between the secrets and the topic
        RedactionPolicy permissive =
                RedactionPolicy.parse("id: it-permissive\nversion: '1'\nallow_all: true\n", "it", Map.of());
        Topics t = topics();
        Set<String> ids = produceCorpus(t);
        int invalid = invalidCount();
        // control: the raw topic really carries every planted secret
        StringBuilder raw = new StringBuilder();
        for (ConsumerRecord<String, byte[]> r : readAll(t.raw(), ids.size() + invalid)) {
            raw.append(new String(r.value(), StandardCharsets.UTF_8));
        }
        for (Corpus.Secret s : Corpus.SECRETS) {
            String core = Corpus.core(s);
            assertTrue(
                    raw.indexOf(core) >= 0 || raw.indexOf(core.replace("\n", "\\n")) >= 0,
                    () -> "corpus does not plant " + s.kind());
        }
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (RedactorStage stage = new RedactorStage(config(t, 500), new RedactionEngine(permissive, null, reg), reg)) {
            drive(stage, ids.size() + invalid);
            assertEquals(ids.size(), stage.published());
            assertEquals(invalid, stage.deadLettered());
        }
        List<ConsumerRecord<String, byte[]>> out = readAll(t.out(), ids.size());
        assertEquals(ids.size(), out.size(), "every valid event exactly once");
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : out) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            MeshEvent e = EventCodec.get().decode(json);
            assertTrue(seen.add(e.eventId()), "duplicate " + e.eventId());
            assertEquals("it-permissive", e.redaction().policyId());
            assertEquals(CorrelationKeys.joinKey(e), r.key());
            StringBuilder all = new StringBuilder(json).append('\n').append(r.key());
            for (Header h : r.headers()) {
                all.append('\n').append(h.key()).append('=').append(new String(h.value(), StandardCharsets.UTF_8));
            }
            for (Corpus.Secret s : Corpus.SECRETS) {
                for (String form : Corpus.forms(Corpus.core(s))) {
                    assertFalse(all.toString().contains(form), () -> s.kind() + " leaked as '" + form + "' in " + all);
                }
            }
        }
        assertEquals(ids, seen);
        assertTrue(reg.get(RedactionEngine.METRIC_FIELDS)
                        .tag("mesh", t.mesh())
                        .counters()
                        .size()
                > 3);

        List<ConsumerRecord<String, byte[]>> dl = readAll(t.dlq(), invalid);
        assertEquals(invalid, dl.size());
        for (ConsumerRecord<String, byte[]> r : dl) {
            Header err = r.headers().lastHeader(RedactorStage.HEADER_ERROR);
            assertNotNull(err);
            String reason = new String(err.value(), StandardCharsets.UTF_8);
            assertFalse(reason.contains(JWT_IN_GARBAGE), "dead-letter reasons are scrubbed: " + reason);
            assertEquals(
                    t.raw(),
                    new String(
                            r.headers()
                                    .lastHeader(RedactorStage.HEADER_SOURCE_TOPIC)
                                    .value(),
                            StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRepublishedEventContinuesTheTraceOfItsInputRecord() throws Exception {
        Topics t = topics();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String upstreamSpan = "00f067aa0ba902b7";
        MeshEvent e = TestEvents.clientFailure(t.mesh(), 1, FailureCategory.UNTRUSTED_ROOT, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
            ProducerRecord<String, byte[]> r =
                    new ProducerRecord<>(t.raw(), null, EventCodec.get().encodeBytes(e));
            r.headers()
                    .add(
                            "traceparent",
                            ("00-" + traceId + "-" + upstreamSpan + "-01").getBytes(StandardCharsets.US_ASCII));
            producer.send(r).get();
            // and one without trace context
            producer.send(new ProducerRecord<>(
                            t.raw(),
                            null,
                            EventCodec.get()
                                    .encodeBytes(TestEvents.clientFailure(
                                            t.mesh(), 2, FailureCategory.UNTRUSTED_ROOT, Instant.now()))))
                    .get();
        }
        try (OpenTelemetrySdk otel = Telemetry.start("meshlens-redactor-it");
                RedactorStage stage = new RedactorStage(
                        config(t, 500), new RedactionEngine(RedactionPolicy.defaultPolicy(), null), null, otel)) {
            drive(stage, 2);
        }
        List<ConsumerRecord<String, byte[]>> out = readAll(t.out(), 2);
        assertEquals(2, out.size());
        int continued = 0;
        int started = 0;
        for (ConsumerRecord<String, byte[]> r : out) {
            Header tp = r.headers().lastHeader("traceparent");
            assertNotNull(tp, "every republished event carries its send span's context");
            String[] parts = new String(tp.value(), StandardCharsets.US_ASCII).split("-");
            if (parts[1].equals(traceId)) {
                continued++;
                assertFalse(parts[2].equals(upstreamSpan), "the stage's own send span is the parent downstream");
                assertEquals("01", parts[3], "the upstream sampling decision is kept");
            } else {
                started++; // the stage is where meshlens first sees this event: its trace starts here
            }
        }
        assertEquals(1, continued, "the record with a trace context continues that trace");
        assertEquals(1, started, "the record without one starts its own");
    }

    @Test
    void restartContinuesWithoutDuplicatesOrLoss() throws Exception {
        Topics t = topics();
        Set<String> ids = produceCorpus(t);
        int invalid = invalidCount();
        long total = ids.size() + invalid;
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);
        long firstRun;
        try (RedactorStage first = new RedactorStage(config(t, 4), engine, null)) {
            // a few small transactions, then stop mid-stream
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (first.published() + first.deadLettered() < 8 && System.nanoTime() < deadline) {
                first.pollOnce();
            }
            firstRun = first.published() + first.deadLettered();
            assertTrue(firstRun >= 8 && firstRun < total, "first run consumed " + firstRun);
        }
        try (RedactorStage second = new RedactorStage(config(t, 500), engine, null)) {
            drive(second, total - firstRun);
            assertEquals(total - firstRun, second.published() + second.deadLettered());
        }
        List<ConsumerRecord<String, byte[]>> out = readAll(t.out(), ids.size());
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, byte[]> r : out) {
            MeshEvent e = EventCodec.get().decodeEvent(r.value());
            assertTrue(seen.add(e.eventId()), "duplicate " + e.eventId());
            assertEquals("meshlens-default", e.redaction().policyId());
        }
        assertEquals(ids, seen);
    }
}
