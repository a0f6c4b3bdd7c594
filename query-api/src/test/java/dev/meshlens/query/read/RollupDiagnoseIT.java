package dev.meshlens.query.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.ingest.BulkWriter;
import dev.meshlens.query.ingest.DeadLetters;
import dev.meshlens.query.ingest.EventConverter;
import dev.meshlens.query.ingest.IngestLoop;
import dev.meshlens.query.it.TestEvents;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.rollup.RollupWriter;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import dev.meshlens.testkit.RealServices;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Diagnose from the roll-ups gives the very answer of the raw aggregation over the window's events, on one set
 * of events ingested through the real path (Kafka, {@link IngestLoop}, Elasticsearch): for many pairs and for
 * windows whose edges fall inside buckets, on bucket starts, shorter than a bucket, and before the data. The
 * events are sent twice (a collector re-reading its file publishes the same event ids at new offsets) and the
 * whole topic is then ingested a second time by another consumer group (a batch indexed again because its
 * offsets were never committed): neither may count an event twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollupDiagnoseIT {
    static final String PREFIX = "ru" + UUID.randomUUID().toString().substring(0, 6);
    static final String ISTIO = PREFIX + "-istio";
    static final String CONSUL = PREFIX + "-consul";
    static final String TOPIC = "meshlens.events." + PREFIX;
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final int EVENTS = 1500;
    static final int DUPLICATES = 300;
    static ElasticStore store;
    static KafkaProducer<byte[], byte[]> producer;
    static ReadModel read;
    static int distinctEvents;

    @BeforeAll
    static void start() throws Exception {
        store = new ElasticStore(
                List.of(RealServices.elasticsearch().url()), null, null, null, new IndexNames(PREFIX), 1, 0, "1s");
        store.ensureSchema();
        // every event of this test is ingested with roll-ups, whatever its time
        store.markRollupsSince(NOW.minus(Duration.ofDays(3)), true);
        read = new ReadModel(new QueryClient(store.rest()), store.names(), Clock.systemUTC());
        String bootstrap = RealServices.kafka().bootstrapServers();
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(ap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(pp);
        List<MeshEvent> events = events();
        distinctEvents = events.size();
        for (MeshEvent e : events) {
            send(e);
        }
        // the same event ids again, at new offsets (a collector that re-read its file after a restart)
        for (MeshEvent e : events.subList(0, DUPLICATES)) {
            send(e);
        }
        producer.flush();
        ingest("first", events.size() + DUPLICATES);
    }

    static void send(MeshEvent e) throws Exception {
        producer.send(new ProducerRecord<>(
                TOPIC,
                e.eventId().getBytes(StandardCharsets.UTF_8),
                EventCodec.get().encode(e).getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs an ingest loop of consumer group {@code group} until it has written {@code records} records. */
    static void ingest(String group, int records) throws Exception {
        DeadLetters dlq = new DeadLetters(producer, PREFIX + ".dlq");
        RollupWriter rollups = new RollupWriter(store.rest(), store.names());
        IngestLoop loop = IngestLoop.builder(
                        group,
                        new EventConverter(store.names(), MeshlensMetrics.inMemory(), Clock.systemUTC(), rollups),
                        new BulkWriter(store.rest()))
                .group(RealServices.kafka().bootstrapServers(), PREFIX + "-" + group, Map.of())
                .pattern(Pattern.compile(Pattern.quote(TOPIC)))
                .maxBatch(200) // many batches: a bucket's roll-up is updated by several
                .deadLetters(dlq)
                .metrics(MeshlensMetrics.inMemory())
                .settings(new IngestLoop.Settings(
                        Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(1), 5))
                .build()
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // committed: the batch's documents and its roll-ups are written
            while (committed(PREFIX + "-" + group) < records) {
                assertTrue(System.nanoTime() < deadline, "ingested " + loop.indexedOperations() + " of " + records);
                assertNotEquals(IngestLoop.State.FAILED, loop.state(), loop.lastError());
                Thread.sleep(200);
            }
            assertEquals(0, rollups.rejected(), "a roll-up was rejected; see the log");
            assertEquals(0, loop.afterBatchFailures(), "writing roll-ups failed; see the log");
        } finally {
            loop.close();
        }
        store.refreshAll();
    }

    static long committed(String group) throws Exception {
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.kafka().bootstrapServers());
        try (Admin admin = Admin.create(ap)) {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .filter(o -> o != null)
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close();
        }
        if (store != null) {
            String listed = new String(
                    store.rest()
                            .performRequest(new Request("GET", "/_cat/indices/" + PREFIX + "-*?h=index"))
                            .getEntity()
                            .getContent()
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            String names = String.join(",", listed.strip().split("\\s+"));
            if (!names.isBlank()) {
                store.rest().performRequest(new Request("DELETE", "/" + names + "?ignore_unavailable=true"));
            }
            store.close();
        }
    }

    static final FailureCategory[] CATS = {
        FailureCategory.UNTRUSTED_ROOT, FailureCategory.SAN_MISMATCH, FailureCategory.CERT_EXPIRED
    };

    static String spiffe(boolean istio, int svc) {
        return istio
                ? "spiffe://east.local/ns/default/sa/svc-" + svc
                : "spiffe://1111-2222.consul/ns/default/dc/dc1/svc/svc-" + svc;
    }

    /**
     * Deterministic traffic between 6 services of two meshes over the last 30 hours: both roles, failures
     * of three categories (server halves without the client's identity), successes, stats and trust bundles;
     * a third of the events within minutes of a bucket edge or of the windows' edges below.
     */
    static List<MeshEvent> events() {
        List<MeshEvent> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < EVENTS; i++) {
            boolean istio = r.nextBoolean();
            String mesh = istio ? ISTIO : CONSUL;
            int client = r.nextInt(6);
            int server = r.nextInt(6);
            boolean fail = r.nextDouble() < 0.35;
            Instant t;
            if (i % 3 == 0) {
                // near an edge: a 5-minute or hourly boundary, or 24 h / 61 min / 7 min before now
                long[] edges = {
                    NOW.minus(Duration.ofHours(24)).toEpochMilli(),
                    NOW.minus(Duration.ofMinutes(61)).toEpochMilli(),
                    NOW.minus(Duration.ofMinutes(7)).toEpochMilli(),
                    NOW.truncatedTo(ChronoUnit.HOURS).toEpochMilli(),
                    NOW.toEpochMilli() - NOW.toEpochMilli() % 300_000
                };
                t = Instant.ofEpochMilli(edges[r.nextInt(edges.length)] + r.nextLong(-90_000, 90_000));
            } else {
                t = NOW.minusMillis(r.nextLong(30 * 3_600_000L));
            }
            if (t.isAfter(NOW)) {
                t = NOW.minusMillis(r.nextInt(1000) + 1);
            }
            String id = EventIds.of(mesh, "/var/log/envoy.log", i);
            int kind = r.nextInt(20);
            if (kind == 0) {
                out.add(withId(TestEvents.stats(mesh, i, t), id));
                continue;
            }
            if (kind == 1) {
                out.add(withId(
                        TestEvents.bundle(
                                mesh, istio ? "east.local" : "1111-2222.consul", t, NOW.plusSeconds(86_400 * 30L)),
                        id));
                continue;
            }
            boolean serverSide = r.nextBoolean();
            MeshEvent.Builder b = MeshEvent.builder()
                    .eventId(id)
                    .observedTime(t)
                    .meshId(mesh)
                    .meshKind(istio ? MeshKind.ISTIO : MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG);
            if (serverSide) {
                b.observerRole(ObserverRole.SERVER)
                        .requestedServerName("svc-" + server + ".default.svc.cluster.local")
                        .localUriSan(spiffe(istio, server))
                        .peerUriSan(fail ? null : spiffe(!istio, client));
            } else {
                b.observerRole(ObserverRole.CLIENT)
                        .upstreamCluster("outbound|8080||svc-" + server + ".default.svc.cluster.local")
                        .localUriSan(spiffe(istio, client))
                        .peerUriSan(fail ? null : spiffe(!istio, server));
            }
            if (fail) {
                String raw =
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end";
                b.responseCode(503)
                        .responseFlags("UF")
                        .tls(new TlsFailure(
                                CATS[r.nextInt(CATS.length)],
                                serverSide ? RejectedBy.SELF : RejectedBy.PEER,
                                268435581L,
                                "CERTIFICATE_VERIFY_FAILED",
                                null,
                                raw));
            } else {
                b.responseCode(200).responseFlags("-");
            }
            out.add(b.build());
        }
        return out;
    }

    static MeshEvent withId(MeshEvent e, String id) {
        return e.toBuilder().eventId(id).build();
    }

    static List<String> endpoints() {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            out.add("svc-" + s);
        }
        out.add(spiffe(true, 1));
        out.add(spiffe(false, 2));
        out.add("nobody");
        return out;
    }

    static List<Instant> sinces() {
        Instant fiveMin = Instant.ofEpochMilli(NOW.toEpochMilli() - NOW.toEpochMilli() % 300_000);
        return List.of(
                NOW.minus(Diagnoser.DEFAULT_WINDOW),
                NOW.minus(Duration.ofHours(40)), // before any data
                NOW.minus(Duration.ofMinutes(61)),
                NOW.minus(Duration.ofMinutes(7)), // shorter than two buckets
                NOW.minusSeconds(30), // inside the last bucket
                fiveMin.minus(Duration.ofMinutes(20)), // on a bucket start
                NOW.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3)), // on an hour
                NOW.minus(Duration.ofHours(5)).minusMillis(1234));
    }

    /** Sum of the pair roll-ups' counts: every distinct event exactly once. */
    static long rolledUpEvents() throws Exception {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set("query", QueryDsl.term("kind", "pair"));
        body.putObject("aggs").putObject("n").putObject("sum").put("field", "count");
        JsonNode r = read.es().search(store.names().rollupsPattern(), body).get(30, TimeUnit.SECONDS);
        return r.path("aggregations").path("n").path("value").asLong();
    }

    @Test
    @Order(1)
    void everyEventIsCountedOnceThoughItsIdWasPublishedTwice() throws Exception {
        assertEquals(distinctEvents, rolledUpEvents());
    }

    @Test
    @Order(2)
    void theRollUpAnswerIsTheRawAnswerForEveryPairAndWindow() throws Exception {
        assertAllEqual();
    }

    @Test
    @Order(3)
    void ingestingTheWholeTopicAgainChangesNoRollUp() throws Exception {
        // another group: every batch is delivered again with its offsets, as if none had been committed
        ingest("replay", distinctEvents + DUPLICATES);
        assertEquals(distinctEvents, rolledUpEvents());
        assertAllEqual();
    }

    @Test
    @Order(4)
    void theAnswerComesFromTheRollUpsNotFromTheRawEvents() throws Exception {
        Diagnoser rollups = new Diagnoser(read, true);
        Diagnoser raw = new Diagnoser(read, false);
        Diagnoser.Endpoint from = Diagnoser.Endpoint.parse("from", "svc-1");
        Diagnoser.Endpoint to = Diagnoser.Endpoint.parse("to", "svc-2");
        Instant since = NOW.minus(Diagnoser.DEFAULT_WINDOW);
        Scope admin = Scope.admin("it");
        long before = rollups.diagnose(from, to, since, NOW, admin)
                .get()
                .path("failure_events")
                .asLong();
        assertTrue(before > 0, "the pair must have failures for this test to mean anything");
        // remove the pair's raw failures from the whole buckets: only the roll-ups still know them
        Instant mid0 = since.plus(Duration.ofMinutes(10));
        Instant mid1 = NOW.minus(Duration.ofMinutes(10));
        // (the test node has no delete-by-query: find the documents, then delete them in one bulk request)
        ObjectNode q = QueryDsl.obj();
        q.put("size", 10_000);
        q.putArray("_source").add("observed_time");
        q.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("server_service", "svc-2"))
                        .filter(QueryDsl.term("failure", true))
                        .filter(QueryDsl.range("observed_time", mid0, mid1))
                        .build());
        JsonNode hits = read.es().search(store.names().eventsPattern(), q).get(30, TimeUnit.SECONDS);
        StringBuilder bulk = new StringBuilder();
        for (JsonNode h : hits.path("hits").path("hits")) {
            bulk.append("{\"delete\":{\"_index\":\"")
                    .append(h.path("_index").asText())
                    .append("\",\"_id\":\"")
                    .append(h.path("_id").asText())
                    .append("\"}}\n");
        }
        assertTrue(bulk.length() > 0, "nothing to delete");
        Request del = new Request("POST", "/_bulk");
        del.addParameter("refresh", "true");
        del.setJsonEntity(bulk.toString());
        store.rest().performRequest(del);
        long rawAfter = raw.diagnose(from, to, since, NOW, admin)
                .get()
                .path("failure_events")
                .asLong();
        long rollupsAfter = rollups.diagnose(from, to, since, NOW, admin)
                .get()
                .path("failure_events")
                .asLong();
        assertTrue(rawAfter < before, "the raw aggregation must have lost failures: " + rawAfter + " vs " + before);
        assertEquals(before, rollupsAfter, "the roll-up answer must not depend on the raw events of whole buckets");
    }

    private static void assertAllEqual() throws Exception {
        Diagnoser rollups = new Diagnoser(read, true);
        Diagnoser raw = new Diagnoser(read, false);
        Scope admin = Scope.admin("it");
        int compared = 0;
        long failures = 0;
        for (String a : endpoints()) {
            for (String b : endpoints()) {
                Diagnoser.Endpoint from = Diagnoser.Endpoint.parse("from", a);
                Diagnoser.Endpoint to = Diagnoser.Endpoint.parse("to", b);
                for (Instant since : sinces()) {
                    ObjectNode expected =
                            raw.diagnose(from, to, since, NOW, admin).get(30, TimeUnit.SECONDS);
                    ObjectNode actual =
                            rollups.diagnose(from, to, since, NOW, admin).get(30, TimeUnit.SECONDS);
                    assertEquals(expected, actual, a + " -> " + b + " since " + since);
                    failures += expected.path("failure_events").asLong();
                    compared++;
                }
            }
        }
        assertEquals(9 * 9 * sinces().size(), compared);
        assertTrue(failures > 100, "the comparison must include failures, got " + failures);
    }
}
