package dev.meshlens.query.it;

import static dev.meshlens.query.it.TestEvents.BACKEND_ID;
import static dev.meshlens.query.it.TestEvents.CONSUL;
import static dev.meshlens.query.it.TestEvents.FRONTEND_ID;
import static dev.meshlens.query.it.TestEvents.ISTIO;
import static dev.meshlens.query.it.TestEvents.OTHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.http.HttpTestSupport;
import dev.meshlens.query.ingest.DeadLetters;
import dev.meshlens.query.ingest.IngestLoop;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.testkit.ElasticsearchService;
import dev.meshlens.testkit.RealServices;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole query-api against a real Kafka broker and a real Elasticsearch node: ingest over the
 * topic pattern (including a mesh topic created after start), replays, dead letters, an
 * Elasticsearch outage (a TCP proxy is cut and restored) with nothing lost, findings (newest wins,
 * history kept), trace continuation, and the HTTP API with tenant isolation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QueryApiIT {
    static final String PREFIX = "it" + UUID.randomUUID().toString().substring(0, 6);
    static final String GROUP = PREFIX + "-group";
    static final String TOKEN_ISTIO = "tok-istio-" + UUID.randomUUID();
    static final String TOKEN_OTHER = "tok-c-" + UUID.randomUUID();
    static final String TOKEN_ADMIN = "tok-admin-" + UUID.randomUUID();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    static ToggleProxy proxy;
    static QueryApiCommand.Running app;
    static KafkaProducer<String, String> producer;
    static InMemorySpanExporter spans;
    static OpenTelemetrySdk otel;
    static Vertx vertx;
    static HttpTestSupport http;
    static String bootstrap;
    static ElasticsearchClient es;
    static final List<MeshEvent> produced = new ArrayList<>();
    static final Map<String, String> topicOf = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        bootstrap = RealServices.kafka().bootstrapServers();
        ElasticsearchService node = RealServices.elasticsearch();
        URI u = URI.create(node.url());
        proxy = new ToggleProxy(u.getHost(), u.getPort());
        QueryApiConfig config = QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: %s
          group-id: %s
          events-topic-pattern: 'meshlens\\.events\\.%s-.*'
          findings-topic: %s.findings
          dead-letter-topic: %s.deadletter
          metadata-max-age: 1s
        elasticsearch:
          urls: [%s]
          index-prefix: %s
          replicas: 0
        ingest:
          poll-timeout: 100ms
          retry-backoff: 200ms
          max-retry-backoff: 1s
          document-retries: 3
          retention-days: 0
          gauge-refresh-interval: 1s
        http:
          host: 127.0.0.1
          port: 0
        auth:
          tokens:
            - {name: team-istio, sha256: %s, meshes: [%s]}
            - {name: team-c, sha256: %s, meshes: [%s]}
            - {name: oncall, sha256: %s, admin: true}
        correlation:
          enabled: false
        """.formatted(
                        bootstrap,
                        GROUP,
                        TestEvents.RUN,
                        PREFIX,
                        PREFIX,
                        proxy.url(),
                        PREFIX,
                        TokenAuthenticator.sha256Hex(TOKEN_ISTIO),
                        ISTIO,
                        TokenAuthenticator.sha256Hex(TOKEN_OTHER),
                        OTHER,
                        TokenAuthenticator.sha256Hex(TOKEN_ADMIN)));
        spans = InMemorySpanExporter.create();
        otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        app = QueryApiCommand.start(config, MeshlensMetrics.prometheus(), otel, Clock.systemUTC());
        es = app.store().client();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        vertx = Vertx.vertx();
        http = new HttpTestSupport(vertx, app.httpPort());
        await(
                Duration.ofSeconds(60),
                () -> app.ingest().eventsLoop() != null
                        && app.ingest().eventsLoop().state() == IngestLoop.State.RUNNING,
                () -> "ingest did not start: " + app.ingest().state());
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close();
        }
        if (app != null) {
            app.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (otel != null) {
            otel.close();
        }
    }

    // ---- helpers ----

    static void await(Duration d, BooleanSupplier cond, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + d + ": " + what.get());
    }

    static void send(MeshEvent e) throws Exception {
        send(e, null);
    }

    static void send(MeshEvent e, String traceparent) throws Exception {
        String topic = "meshlens.events." + e.meshId();
        ProducerRecord<String, String> r =
                new ProducerRecord<>(topic, e.eventId(), EventCodec.get().encode(e));
        if (traceparent != null) {
            r.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(r).get(30, TimeUnit.SECONDS);
        if (!produced.contains(e)) {
            produced.add(e);
        }
    }

    static void sendFinding(Finding f) throws Exception {
        producer.send(new ProducerRecord<>(
                        PREFIX + ".findings", f.id(), EventCodec.get().encodeFinding(f)))
                .get(30, TimeUnit.SECONDS);
    }

    static long count(String index) {
        try {
            app.store().refreshAll();
            return es.count(c -> c.index(index).ignoreUnavailable(true).allowNoIndices(true))
                    .count();
        } catch (Exception e) {
            return -1;
        }
    }

    static long eventCount() {
        return count(PREFIX + "-events-*");
    }

    static void awaitEventCount(long n) throws InterruptedException {
        await(
                Duration.ofSeconds(60),
                () -> eventCount() == n,
                () -> "events indexed " + eventCount() + ", expected " + n + "; ingest "
                        + app.ingest().state() + " " + app.ingest().eventsLoop().lastError());
    }

    /** Offsets committed by the ingest group, summed over the mesh topics. */
    static long committed() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return m.entrySet().stream()
                    .filter(e -> e.getKey().topic().startsWith("meshlens.events."))
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        }
    }

    static long producedRecords = 0;

    // ---- tests ----

    @Test
    @Order(1)
    void ingestsEveryMeshTopicIntoDailyIndicesAndContinuesTheTrace() throws Exception {
        Instant yesterday = NOW.minus(1, ChronoUnit.DAYS);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpan = "00f067aa0ba902b7";
        send(
                TestEvents.clientFailure("/var/log/frontend.log", 1, NOW.minusSeconds(30)),
                "00-" + traceId + "-" + parentSpan + "-01");
        send(TestEvents.clientFailure("/var/log/frontend.log", 2, NOW.minusSeconds(20)));
        send(TestEvents.serverFailure("/var/log/backend.log", 1, NOW.minusSeconds(29)));
        send(TestEvents.serverFailure("/var/log/backend.log", 2, NOW.minusSeconds(19)));
        for (int i = 0; i < 20; i++) {
            send(TestEvents.success(ISTIO, "/var/log/frontend.log", 100 + i, yesterday.plusSeconds(i)));
        }
        send(TestEvents.stats(CONSUL, 1, NOW.minusSeconds(10)));
        send(TestEvents.certs(CONSUL, BACKEND_ID, NOW.minusSeconds(5), NOW.plus(5, ChronoUnit.DAYS)));
        send(TestEvents.bundle(ISTIO, "cluster.local", NOW.minusSeconds(5), NOW.plus(3650, ChronoUnit.DAYS)));
        send(TestEvents.bundle(CONSUL, "1111-2222.consul", NOW.minusSeconds(5), NOW.plus(20, ChronoUnit.DAYS)));
        awaitEventCount(produced.size());

        // a mesh whose topic appears after start is picked up without a restart
        send(TestEvents.success(OTHER, "/log", 1, NOW.minusSeconds(3)));
        send(TestEvents.success(OTHER, "/log", 2, NOW.minusSeconds(2)));
        awaitEventCount(produced.size());
        producedRecords = produced.size();

        String today =
                PREFIX + "-events-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        String day = PREFIX + "-events-"
                + DateTimeFormatter.ofPattern("yyyy.MM.dd")
                        .withZone(ZoneOffset.UTC)
                        .format(yesterday);
        assertEquals(20, count(day), "yesterday's events go to yesterday's index");
        assertTrue(count(today) >= 8);
        // doc id = event id; template mapping applied (dynamic false, keyword mesh_id)
        MeshEvent first = produced.get(0);
        var search = es.search(
                s -> s.index(PREFIX + "-events-*").query(q -> q.ids(i -> i.values(first.eventId()))), Map.class);
        assertEquals(1, search.hits().hits().size());
        Map<?, ?> doc = search.hits().hits().get(0).source();
        assertEquals("backend", doc.get("destination_service"));
        assertEquals("frontend", doc.get("client_service"));
        assertEquals("UNTRUSTED_ROOT", doc.get("category"));
        assertEquals(traceId, doc.get("trace_id"));
        var mapping =
                es.indices().getMapping(m -> m.index(today)).result().get(today).mappings();
        assertEquals("false", mapping.dynamic().jsonValue());
        assertTrue(es.indices()
                .existsIndexTemplate(t -> t.name(PREFIX + "-events"))
                .value());

        // the collector's trace continues: a consumer span whose parent is the collector's span
        await(Duration.ofSeconds(10), () -> !spans.getFinishedSpanItems().isEmpty(), () -> "no span");
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertEquals(traceId, span.getTraceId());
        assertEquals(parentSpan, span.getParentSpanId());
        assertEquals(io.opentelemetry.api.trace.SpanKind.CONSUMER, span.getKind());

        String metrics = http.get("/metrics", null).bodyAsString();
        // the counter counts acknowledgements: a batch redelivered after a rebalance (a loaded CI machine) is
        // indexed again under the same ids (the document counts above stay exact) and acknowledged again
        Matcher indexed = Pattern.compile("meshlens_ingest_events_indexed_total\\{mesh=\"" + ISTIO + "\"} (\\d+)\\.0")
                .matcher(metrics);
        assertTrue(indexed.find(), metrics);
        assertTrue(Long.parseLong(indexed.group(1)) >= 23, metrics);
        assertTrue(metrics.contains("meshlens_ingest_bulk_latency_seconds_count"), metrics);
    }

    @Test
    @Order(2)
    void replaysNeverDuplicate() throws Exception {
        long before = eventCount();
        for (MeshEvent e : List.copyOf(produced)) {
            send(e);
        }
        producedRecords += produced.size();
        await(
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return committed() == producedRecords;
                    } catch (Exception e) {
                        return false;
                    }
                },
                () -> "committed offsets did not reach " + producedRecords);
        assertEquals(before, eventCount());
    }

    @Test
    @Order(3)
    void recordsThatCanNeverBeIndexedGoToTheDeadLetterTopicWithTheReason() throws Exception {
        long before = eventCount();
        String topic = "meshlens.events." + ISTIO;
        producer.send(new ProducerRecord<>(topic, "k1", "this is not json")).get();
        producer.send(new ProducerRecord<>(topic, "k2", "{\"schema_version\":1,\"event_id\":\"x\"}"))
                .get();
        // decodes fine, but Elasticsearch rejects the date: a per-document (partial) bulk failure
        MeshEvent bad =
                TestEvents.certs(ISTIO, FRONTEND_ID, NOW.minusSeconds(1), Instant.parse("+100000-01-01T00:00:00Z"));
        producer.send(new ProducerRecord<>(
                        topic, bad.eventId(), EventCodec.get().encode(bad)))
                .get();
        MeshEvent good = TestEvents.success(ISTIO, "/after-bad", 1, NOW.minusSeconds(1));
        send(good);
        producedRecords += 4;
        awaitEventCount(before + 1);

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, PREFIX + "-dlq-reader");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(PREFIX + ".deadletter"));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reasons.size() < 3 && System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(DeadLetters.H_REASON);
                    Header d = r.headers().lastHeader(DeadLetters.H_DETAIL);
                    assertEquals(
                            topic,
                            new String(
                                    r.headers().lastHeader(DeadLetters.H_TOPIC).value(), StandardCharsets.UTF_8));
                    reasons.put(
                            new String(r.key(), StandardCharsets.UTF_8),
                            new String(h.value(), StandardCharsets.UTF_8) + ": "
                                    + new String(d.value(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(3, reasons.size(), reasons.toString());
        assertTrue(reasons.get("k1").startsWith("decode: malformed JSON"), reasons.toString());
        assertTrue(reasons.get("k2").contains("missing required field 'observed_time'"), reasons.toString());
        assertTrue(reasons.get(bad.eventId()).startsWith("rejected_"), reasons.toString());
        assertTrue(reasons.get(bad.eventId()).contains("Elasticsearch 400"), reasons.toString());
        String metrics = http.get("/metrics", null).bodyAsString();
        assertTrue(metrics.contains("meshlens_ingest_dead_letters_total{reason=\"decode\"} 2.0"), metrics);
        await(
                Duration.ofSeconds(30),
                () -> {
                    try {
                        return committed() == producedRecords;
                    } catch (Exception e) {
                        return false;
                    }
                },
                () -> "offsets past the dead letters were not committed");
    }

    @Test
    @Order(4)
    void elasticsearchOutagePausesConsumptionAndNothingIsLost() throws Exception {
        long before = eventCount();
        long committedBefore = committed();
        IngestLoop loop = app.ingest().eventsLoop();
        long pausesBefore = loop.pauses();
        proxy.down();
        List<MeshEvent> during = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            MeshEvent e = TestEvents.success(i % 2 == 0 ? ISTIO : CONSUL, "/outage", i, NOW.minusSeconds(1));
            during.add(e);
            send(e);
        }
        await(
                Duration.ofSeconds(30),
                () -> loop.state() == IngestLoop.State.PAUSED,
                () -> "not paused: " + loop.state());
        assertEquals("PAUSED", app.ingest().state());
        Thread.sleep(2_000);
        assertEquals(committedBefore, committed(), "no offset may be committed while Elasticsearch is down");
        assertEquals(IngestLoop.State.PAUSED, loop.state());
        assertEquals(503, http.get("/readyz", null).statusCode());
        proxy.up();
        producedRecords += during.size();
        await(Duration.ofSeconds(60), () -> loop.state() == IngestLoop.State.RUNNING, () -> "not resumed");
        awaitEventCount(before + during.size());
        assertTrue(loop.pauses() > pausesBefore);
        await(
                Duration.ofSeconds(30),
                () -> {
                    try {
                        return committed() == producedRecords;
                    } catch (Exception e) {
                        return false;
                    }
                },
                () -> "offsets not committed after resume");
        assertEquals(200, http.get("/readyz", null).statusCode());
    }

    static Finding open1;
    static Finding otherFinding;

    @Test
    @Order(5)
    void findingsAreIndexedNewestWinsAndHistoryIsKept() throws Exception {
        List<String> evidence = new ArrayList<>();
        for (MeshEvent e : produced) {
            if (e.isFailure()) {
                evidence.add(e.eventId());
            }
        }
        evidence.add("not-in-elasticsearch");
        Instant t0 = NOW.minusSeconds(30);
        Finding v1 = TestEvents.finding(
                ISTIO,
                FRONTEND_ID,
                CONSUL,
                "backend",
                FailureCategory.UNTRUSTED_ROOT,
                FindingState.OPEN,
                2,
                t0,
                NOW.minusSeconds(20),
                evidence,
                List.of(new Finding.StateChange(t0, FindingState.OPEN, "both halves seen")));
        Finding v2 = TestEvents.finding(
                ISTIO,
                FRONTEND_ID,
                CONSUL,
                "backend",
                FailureCategory.UNTRUSTED_ROOT,
                FindingState.OPEN,
                4,
                t0,
                NOW.minusSeconds(10),
                evidence,
                List.of(new Finding.StateChange(t0, FindingState.OPEN, "both halves seen")));
        otherFinding = TestEvents.finding(
                OTHER,
                "spiffe://c.local/ns/x/sa/worker",
                OTHER,
                "store",
                FailureCategory.SAN_MISMATCH,
                FindingState.OPEN,
                1,
                NOW.minusSeconds(5),
                NOW.minusSeconds(5),
                List.of(),
                List.of());
        sendFinding(v2);
        sendFinding(v1); // older update arrives late: must not win
        sendFinding(otherFinding);
        open1 = v2;
        await(
                Duration.ofSeconds(60),
                () -> count(PREFIX + "-findings-history-*") == 3,
                () -> "history docs " + count(PREFIX + "-findings-history-*"));
        assertEquals(2, count(PREFIX + "-findings"));
        var doc = es.get(g -> g.index(PREFIX + "-findings").id(v2.id()), Map.class);
        assertEquals(4, ((Number) doc.source().get("count")).intValue(), "the newest version wins");
        assertEquals(List.of(ISTIO, CONSUL), doc.source().get("meshes"));
        await(
                Duration.ofSeconds(10),
                () -> http.get("/metrics", null)
                        .bodyAsString()
                        .contains("meshlens_findings_open{category=\"UNTRUSTED_ROOT\"} 1.0"),
                () -> "open gauge not refreshed");
    }

    @Test
    @Order(6)
    void apiServesFindingsWithBothSidesEvidenceAndRefusesCrossTenantReads() throws Exception {
        JsonObject all = http.json("/api/v1/findings", TOKEN_ADMIN, 200);
        assertEquals(2, all.getInteger("total"));
        JsonObject mine = http.json("/api/v1/findings", TOKEN_ISTIO, 200);
        assertEquals(1, mine.getInteger("total"));
        JsonObject f = mine.getJsonArray("items").getJsonObject(0);
        assertEquals(open1.id(), f.getString("id"));
        assertEquals("UNTRUSTED_ROOT", f.getString("category"));
        assertEquals(4, f.getInteger("count"));
        assertFalse(f.containsKey("meshes"), "derived index fields stay internal");
        assertEquals(
                1,
                http.json("/api/v1/findings?state=open&category=UNTRUSTED_ROOT&since=1h", TOKEN_ADMIN, 200)
                        .getInteger("total"));
        assertEquals(
                0,
                http.json("/api/v1/findings?state=resolved", TOKEN_ADMIN, 200).getInteger("total"));
        JsonObject page = http.json("/api/v1/findings?size=1&page=1", TOKEN_ADMIN, 200);
        assertEquals(1, page.getJsonArray("items").size());
        assertEquals(2, page.getInteger("total"));

        JsonObject detail = http.json("/api/v1/findings/" + open1.id(), TOKEN_ISTIO, 200);
        JsonObject ev = detail.getJsonObject("evidence");
        assertEquals(2, ev.getJsonArray("client_side").size(), detail.encodePrettily());
        assertEquals(2, ev.getJsonArray("server_side").size(), detail.encodePrettily());
        assertEquals(new JsonArray().add("not-in-elasticsearch"), ev.getJsonArray("missing_ids"));
        assertEquals(CONSUL, ev.getJsonArray("server_side").getJsonObject(0).getString("mesh_id"));
        assertEquals(2, detail.getJsonArray("history").size());

        // cross-tenant reads are refused
        assertEquals(
                403,
                http.get("/api/v1/findings/" + otherFinding.id(), TOKEN_ISTIO).statusCode());
        assertEquals(
                403, http.get("/api/v1/findings/" + open1.id(), TOKEN_OTHER).statusCode());
        assertEquals(404, http.get("/api/v1/findings/nope", TOKEN_ADMIN).statusCode());
        assertEquals(403, http.get("/api/v1/events?mesh=" + CONSUL, TOKEN_ISTIO).statusCode());
        JsonObject cOnly = http.json("/api/v1/findings", TOKEN_OTHER, 200);
        assertEquals(1, cOnly.getInteger("total"));
        assertEquals(
                otherFinding.id(), cOnly.getJsonArray("items").getJsonObject(0).getString("id"));
        JsonObject evs = http.json("/api/v1/events?size=500&since=7d", TOKEN_OTHER, 200);
        assertTrue(evs.getInteger("total") >= 2);
        for (Object o : evs.getJsonArray("items")) {
            assertEquals(OTHER, ((JsonObject) o).getString("mesh_id"), "a token sees only its meshes' events");
        }
        JsonObject meshesC = http.json("/api/v1/meshes", TOKEN_OTHER, 200);
        assertEquals(1, meshesC.getJsonArray("meshes").size());
        assertEquals(OTHER, meshesC.getJsonArray("meshes").getJsonObject(0).getString("mesh_id"));
    }

    @Test
    @Order(7)
    void eventSearch() {
        JsonObject r = http.json("/api/v1/events?q=UNKNOWN_CA&since=1h", TOKEN_ADMIN, 200);
        assertEquals(2, r.getInteger("total"), r.encodePrettily());
        r = http.json("/api/v1/events?q=CERTIFICATE_VERIFY_FAILED", TOKEN_ADMIN, 200);
        assertEquals(2, r.getInteger("total"), r.encodePrettily());
        r = http.json(
                "/api/v1/events?q=" + URLEncoder.encode("backend unknown", StandardCharsets.UTF_8), TOKEN_ADMIN, 200);
        assertEquals(2, r.getInteger("total"), r.encodePrettily());
        assertEquals(
                0, http.json("/api/v1/events?q=UNKNOWN_CA", TOKEN_OTHER, 200).getInteger("total"));
        r = http.json("/api/v1/events?category=UNTRUSTED_ROOT&mesh=" + CONSUL, TOKEN_ADMIN, 200);
        assertEquals(2, r.getInteger("total"));
        r = http.json("/api/v1/events?source_kind=trust-bundle", TOKEN_ISTIO, 200);
        assertEquals(1, r.getInteger("total"));
        assertFalse(r.getJsonArray("items").getJsonObject(0).containsKey("search_text"));
        r = http.json("/api/v1/events?mesh=" + ISTIO + "&since=2d&size=5", TOKEN_ISTIO, 200);
        assertEquals(5, r.getJsonArray("items").size());
    }

    @Test
    @Order(8)
    void diagnoseTellsFailingFromHealthyFromBlind() {
        JsonObject d = http.json("/api/v1/diagnose?from=" + FRONTEND_ID + "&to=" + BACKEND_ID, TOKEN_ISTIO, 200);
        assertEquals("FAILING", d.getString("verdict"), d.encodePrettily());
        assertTrue(d.getString("explanation").contains("UNTRUSTED_ROOT"), d.encodePrettily());
        assertTrue(d.getString("remediation").contains("trust bundle"), d.encodePrettily());
        assertEquals(1, d.getJsonArray("findings").size());
        assertTrue(d.getJsonArray("evidence").size() >= 2);
        assertTrue(d.getJsonObject("from").getJsonArray("meshes").contains(ISTIO), d.encodePrettily());
        assertTrue(d.getJsonObject("to").getJsonArray("meshes").contains(CONSUL), d.encodePrettily());
        // by service names as well
        assertEquals(
                "FAILING",
                http.json("/api/v1/diagnose?from=frontend&to=backend.default.svc.cluster.local", TOKEN_ADMIN, 200)
                        .getString("verdict"));
        // a server that nobody reports: blind, not healthy
        JsonObject blind = http.json("/api/v1/diagnose?from=frontend&to=svc-3", TOKEN_ADMIN, 200);
        assertEquals("BLIND", blind.getString("verdict"), blind.encodePrettily());
        assertTrue(blind.getString("explanation").startsWith("Blind"), blind.encodePrettily());
        // nobody at all
        assertEquals(
                "UNKNOWN_ENDPOINTS",
                http.json("/api/v1/diagnose?from=ghost&to=phantom", TOKEN_ADMIN, 200)
                        .getString("verdict"));
        // a pair of meshes the token does not hold
        assertEquals(
                403,
                http.get("/api/v1/diagnose?from=worker&to=store", TOKEN_ISTIO).statusCode());
    }

    @Test
    @Order(9)
    void meshInventory() {
        JsonObject m = http.json("/api/v1/meshes", TOKEN_ADMIN, 200);
        Map<String, JsonObject> byId = new HashMap<>();
        for (Object o : m.getJsonArray("meshes")) {
            byId.put(((JsonObject) o).getString("mesh_id"), (JsonObject) o);
        }
        assertEquals(Set.of(ISTIO, CONSUL, OTHER), byId.keySet());
        JsonObject consul = byId.get(CONSUL);
        assertEquals("consul", consul.getString("mesh_kind"));
        assertTrue(consul.getJsonArray("trust_domains").contains("1111-2222.consul"), consul.encodePrettily());
        JsonArray near = consul.getJsonArray("certificates_near_expiry");
        assertEquals(2, near.size(), consul.encodePrettily()); // leaf in 5 days, root in 20 days
        assertEquals("leaf", near.getJsonObject(0).getString("kind"));
        assertEquals(1, consul.getJsonArray("bundles").size());
        assertNotNull(consul.getString("last_seen"));
        JsonObject istio = byId.get(ISTIO);
        assertTrue(
                istio.getJsonArray("blind_spots").stream()
                        .anyMatch(o -> "no_ssl_stats".equals(((JsonObject) o).getString("kind"))),
                istio.encodePrettily());
        assertFalse(
                consul.getJsonArray("blind_spots").stream()
                        .anyMatch(o -> "no_ssl_stats".equals(((JsonObject) o).getString("kind"))),
                consul.encodePrettily());
    }

    @Test
    @Order(10)
    void gaugesFromElasticsearch() throws Exception {
        await(
                Duration.ofSeconds(10),
                () -> {
                    String s = http.get("/metrics", null).bodyAsString();
                    String series = "meshlens_certificate_expiration_timestamp_seconds{kind=\"leaf\",mesh=\"" + CONSUL
                            + "\",subject=\"CN=leaf\"} ";
                    // the leaf's notAfter to the second (NOW + 5 days), not a rounded number of days
                    boolean expiration = s.lines()
                            .filter(l -> l.startsWith(series))
                            .anyMatch(l -> Double.parseDouble(
                                            l.substring(series.length()).strip())
                                    == NOW.plus(5, ChronoUnit.DAYS).getEpochSecond());
                    return expiration
                            && s.contains("meshlens_mesh_last_seen_timestamp_seconds{mesh=\"" + CONSUL + "\"}");
                },
                () -> http.get("/metrics", null).bodyAsString());
    }
}
