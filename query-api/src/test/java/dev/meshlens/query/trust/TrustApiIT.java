package dev.meshlens.query.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.http.HttpTestSupport;
import dev.meshlens.query.ingest.IngestLoop;
import dev.meshlens.query.it.TestEvents;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.testkit.RealServices;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GET /api/v1/trust and POST /api/v1/trust/what-if over a real Kafka broker and a real
 * Elasticsearch node: trust bundles, /certs inventories (real certificates), a successful request
 * and an open finding go through the mesh topics and ingest like a collector's, then the API
 * answers the matrix, scoped per token.
 *
 * <p>The story: istio-east and consul-dc1 federate; consul-dc1 imported istio-east's root an hour
 * ago, yet an UNTRUSTED_ROOT finding (the server rejected the client) is still failing after that
 * (a contradiction); istio-east already holds its next root, which consul-dc1 and mesh-c lack (a
 * pending rotation).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrustApiIT {
    static final String RUN = "t" + UUID.randomUUID().toString().substring(0, 6);
    static final String PREFIX = "it" + RUN;
    static final String ISTIO = RUN + "-istio-east";
    static final String CONSUL = RUN + "-consul-dc1";
    static final String MESH_C = RUN + "-mesh-c";
    static final String FRONTEND = "spiffe://cluster.local/ns/web/sa/frontend";
    static final String LEDGER = "spiffe://1111-2222.consul/ns/default/dc/dc1/svc/ledger";
    static final String TOKEN_C = "tok-c-" + UUID.randomUUID();
    static final String TOKEN_ADMIN = "tok-admin-" + UUID.randomUUID();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    static final TestPki.Ca ISTIO_ROOT = TestPki.root("CN=Istio Root,O=east", days(-365), days(3650));
    static final TestPki.Ca ISTIO_NEXT = TestPki.root("CN=Istio Root 2,O=east", days(-3), days(3650));
    static final TestPki.Ca CONSUL_ROOT = TestPki.root("CN=Consul CA 7,O=dc1", days(-365), days(3650));
    static final TestPki.Ca CONSUL_INT =
            TestPki.intermediate(CONSUL_ROOT, "CN=Consul Signing 7,O=dc1", days(-30), days(365));

    static QueryApiCommand.Running app;
    static KafkaProducer<String, String> producer;
    static Vertx vertx;
    static HttpTestSupport http;
    static final List<MeshEvent> produced = new ArrayList<>();

    static Instant days(long d) {
        return NOW.plus(d, ChronoUnit.DAYS);
    }

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = RealServices.kafka().bootstrapServers();
        String es = RealServices.elasticsearch().url();
        QueryApiConfig config = QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: %s
          group-id: %s-group
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
          retention-days: 0
          gauge-refresh-interval: 1s
        trust:
          refresh-interval: 1s
        http:
          host: 127.0.0.1
          port: 0
        auth:
          tokens:
            - {name: team-c, sha256: %s, meshes: [%s]}
            - {name: oncall, sha256: %s, admin: true}
        correlation:
          enabled: false
        """.formatted(
                        bootstrap,
                        PREFIX,
                        RUN,
                        PREFIX,
                        PREFIX,
                        es,
                        PREFIX,
                        TokenAuthenticator.sha256Hex(TOKEN_C),
                        MESH_C,
                        TokenAuthenticator.sha256Hex(TOKEN_ADMIN)));
        app = QueryApiCommand.start(config, MeshlensMetrics.prometheus(), OpenTelemetry.noop(), Clock.systemUTC());
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
                () -> "ingest did not start");
        publishTheStory();
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
    }

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
        producer.send(new ProducerRecord<>(
                        "meshlens.events." + e.meshId(),
                        e.eventId(),
                        EventCodec.get().encode(e)))
                .get(30, TimeUnit.SECONDS);
        produced.add(e);
    }

    static X509Certificate leaf(TestPki.Ca ca, String id, Instant from) {
        return TestPki.leaf(ca, id, from, from.plus(1, ChronoUnit.DAYS));
    }

    static void publishTheStory() throws Exception {
        send(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-2), ISTIO_ROOT, CONSUL_ROOT));
        send(TestPki.bundle(
                ISTIO, MeshKind.ISTIO, "cluster.local", NOW.minusSeconds(300), ISTIO_ROOT, CONSUL_ROOT, ISTIO_NEXT));
        send(TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-2), CONSUL_ROOT));
        send(TestPki.bundle(
                CONSUL, MeshKind.CONSUL, "1111-2222.consul", NOW.minus(1, ChronoUnit.HOURS), CONSUL_ROOT, ISTIO_ROOT));
        send(TestPki.bundle(MESH_C, MeshKind.ISTIO, "c.local", days(-1), ISTIO_ROOT));
        for (Instant t : List.of(NOW.minus(20, ChronoUnit.HOURS), NOW.minusSeconds(60))) {
            send(TestPki.certs(
                    ISTIO, "frontend-1", t, List.of(leaf(ISTIO_ROOT, FRONTEND, t)), ISTIO_ROOT, CONSUL_ROOT));
            send(TestPki.certs(
                    CONSUL, "ledger-1", t, List.of(leaf(CONSUL_INT, LEDGER, t), CONSUL_INT.cert()), CONSUL_ROOT));
        }
        // a healthy request istio-east -> ledger (served by consul-dc1, as its /certs inventory says)
        send(MeshEvent.builder()
                .eventId(EventIds.of(ISTIO, "/var/log/frontend.log", 1))
                .observedTime(NOW.minusSeconds(30))
                .meshId(ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .upstreamCluster("outbound|443||ledger.default.svc.cluster.local")
                .responseCode(200)
                .responseFlags("-")
                .localUriSan(FRONTEND)
                .peerUriSan(LEDGER)
                .build());
        Finding f = TestEvents.finding(
                ISTIO,
                FRONTEND,
                CONSUL,
                "ledger",
                FailureCategory.UNTRUSTED_ROOT,
                FindingState.OPEN,
                12,
                NOW.minus(3, ChronoUnit.HOURS),
                NOW.minusSeconds(600),
                List.of(),
                List.of());
        producer.send(new ProducerRecord<>(
                        PREFIX + ".findings", f.id(), EventCodec.get().encodeFinding(f)))
                .get(30, TimeUnit.SECONDS);
        await(
                Duration.ofSeconds(60),
                () -> {
                    try {
                        app.store().refreshAll();
                        return app.store()
                                                .client()
                                                .count(c -> c.index(PREFIX + "-events-*")
                                                        .ignoreUnavailable(true)
                                                        .allowNoIndices(true))
                                                .count()
                                        == produced.size()
                                && app.store()
                                                .client()
                                                .count(c -> c.index(PREFIX + "-findings")
                                                        .ignoreUnavailable(true)
                                                        .allowNoIndices(true))
                                                .count()
                                        == 1;
                    } catch (Exception e) {
                        return false;
                    }
                },
                () -> "events/finding not indexed");
    }

    static JsonObject cell(JsonObject m, String client, String server, String direction) {
        for (Object o : m.getJsonArray("cells")) {
            JsonObject c = (JsonObject) o;
            if (c.getString("client_mesh").equals(client)
                    && c.getString("server_mesh").equals(server)
                    && c.getString("direction").equals(direction)) {
                return c;
            }
        }
        throw new AssertionError("no cell " + client + " -> " + server + " " + direction + " in " + m.encodePrettily());
    }

    static List<JsonObject> list(JsonArray a, Predicate<JsonObject> keep) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : a) {
            if (keep.test((JsonObject) o)) {
                out.add((JsonObject) o);
            }
        }
        return out;
    }

    @Test
    void theMatrixSaysWhoTrustsWhomSinceWhenAndWhatTheTrafficSays() {
        JsonObject m = http.json("/api/v1/trust", TOKEN_ADMIN, 200);
        assertEquals(List.of(CONSUL, ISTIO, MESH_C), m.getJsonArray("meshes").getList());
        assertEquals(12, m.getJsonArray("cells").size());

        JsonObject fixed = cell(m, ISTIO, CONSUL, "server_verifies_client");
        assertEquals("trusted", fixed.getString("state"));
        assertEquals(NOW.minus(1, ChronoUnit.HOURS).toString(), fixed.getString("since"));
        assertEquals(false, fixed.getBoolean("since_start_of_data"));
        JsonObject root = fixed.getJsonArray("roots").getJsonObject(0);
        assertEquals(ISTIO_ROOT.sha256(), root.getJsonObject("root").getString("sha256"));
        assertEquals("fingerprint", root.getString("matched_by"));
        // the finding kept failing after the fix: traffic contradicts the inventory
        assertEquals("contradicted", fixed.getString("confirmation"));
        List<JsonObject> x = list(
                m.getJsonArray("contradictions"),
                c -> c.getString("client_mesh").equals(ISTIO)
                        && c.getString("direction").equals("server_verifies_client"));
        assertEquals(1, x.size(), m.getJsonArray("contradictions").encodePrettily());
        assertEquals("trusted_but_untrusted_root_finding", x.get(0).getString("kind"));

        // istio-east verifies consul-dc1 through its intermediate; the successful request confirms it
        JsonObject back = cell(m, ISTIO, CONSUL, "client_verifies_server");
        assertEquals("trusted", back.getString("state"));
        assertEquals("confirmed", back.getString("confirmation"));
        assertEquals(1, back.getJsonObject("observed").getInteger("successes"));
        assertEquals(1, back.getJsonArray("intermediates").size());

        // mesh-c trusts istio's root but has no certificates of its own, and lacks consul's root
        assertEquals("trusted", cell(m, ISTIO, MESH_C, "server_verifies_client").getString("state"));
        assertEquals("unknown", cell(m, MESH_C, ISTIO, "server_verifies_client").getString("state"));
        assertEquals(
                "not_trusted", cell(m, CONSUL, MESH_C, "server_verifies_client").getString("state"));

        // the pending rotation of istio-east: mesh-c and consul-dc1 lack the next root
        List<JsonObject> pending =
                list(m.getJsonArray("predictions"), p -> p.getString("kind").equals("rotation_pending"));
        assertEquals(1, pending.size(), m.getJsonArray("predictions").encodePrettily());
        assertEquals(ISTIO, pending.get(0).getString("mesh"));
        assertEquals(ISTIO_NEXT.sha256(), pending.get(0).getJsonObject("root").getString("sha256"));
        assertEquals(4, pending.get(0).getJsonArray("breaks").size());
        assertEquals(
                m.getJsonArray("contradictions").size(),
                m.getJsonObject("summary").getInteger("contradictions"));
    }

    @Test
    void theGaugesCarryTheMatrixSoAnAlertFiresBeforeTheFirstFailedHandshake() throws Exception {
        String series = "meshlens_trust_gap_predicted_seconds{client_mesh=\"" + ISTIO
                + "\",direction=\"server_verifies_client\""
                + ",kind=\"rotation_pending\",root=\""
                + ISTIO_NEXT.cert().getSubjectX500Principal().getName() + "\""
                + ",root_sha256=\"" + ISTIO_NEXT.sha256() + "\",server_mesh=\"" + MESH_C + "\"}";
        await(
                Duration.ofSeconds(30),
                () -> http.get("/metrics", null).bodyAsString().contains(series),
                () -> "no " + series + " in\n" + http.get("/metrics", null).bodyAsString());
        String text = http.get("/metrics", null).bodyAsString();
        assertTrue(
                text.contains("meshlens_trust_cells{client_mesh=\"" + ISTIO + "\",direction=\"server_verifies_client\","
                        + "server_mesh=\"" + CONSUL + "\",state=\"trusted\"} 1.0"),
                text);
        assertTrue(
                text.contains("meshlens_trust_contradictions{client_mesh=\"" + ISTIO
                        + "\",direction=\"server_verifies_client\","
                        + "kind=\"trusted_but_untrusted_root_finding\",server_mesh=\"" + CONSUL + "\"} 1.0"),
                text);
    }

    @Test
    void aFindingsFixGivesTheVerifierTheRootItLacksWithTheFindingsScope() throws Exception {
        String id = Finding.idFor(ISTIO + "/" + FRONTEND, CONSUL + "/ledger", FailureCategory.UNTRUSTED_ROOT);
        JsonObject plan = http.json("/api/v1/findings/" + id + "/fix", TOKEN_ADMIN, 200);
        assertEquals(id, plan.getString("finding_id"));
        assertEquals("UNTRUSTED_ROOT", plan.getString("category"));
        List<JsonObject> consul =
                list(plan.getJsonArray("options"), o -> o.getString("mesh").equals(CONSUL));
        assertEquals(1, consul.size(), plan.encodePrettily());
        assertEquals("consul", consul.get(0).getString("mesh_kind"));
        List<JsonObject> pem = list(
                consul.get(0).getJsonArray("resources"),
                r -> r.getString("format").equals("pem"));
        assertEquals(1, pem.size(), plan.encodePrettily());
        // the root that signs istio-east's workloads (from its /certs chains), not the others its bundle holds
        var certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(
                        new ByteArrayInputStream(pem.get(0).getString("text").getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, certs.size());
        assertEquals(ISTIO_ROOT.cert(), certs.iterator().next());
        assertTrue(plan.encode().indexOf("PRIVATE KEY") < 0);

        assertEquals(403, http.get("/api/v1/findings/" + id + "/fix", TOKEN_C).statusCode(), "mesh-c's team");
        HttpResponse<Buffer> missing = http.get("/api/v1/findings/nope/fix", TOKEN_ADMIN);
        assertEquals(404, missing.statusCode());
        assertEquals("application/problem+json", missing.getHeader("content-type"));
        assertEquals(401, http.get("/api/v1/findings/" + id + "/fix", null).statusCode());
        assertEquals(
                400,
                http.get("/api/v1/findings/" + id + "/fix?x=1", TOKEN_ADMIN).statusCode());
    }

    static List<JsonObject> contradictionFindings(String token) {
        return list(
                http.json("/api/v1/findings?category=TRUST_CONTRADICTION", token, 200)
                        .getJsonArray("items"),
                f -> true);
    }

    @Test
    void theContradictionIsAFindingWithTheCellAsEvidenceAndAFix() throws Exception {
        await(
                Duration.ofSeconds(30),
                () -> contradictionFindings(TOKEN_ADMIN).size() == 1,
                () -> "no TRUST_CONTRADICTION finding: "
                        + http.get("/api/v1/findings?category=TRUST_CONTRADICTION", TOKEN_ADMIN)
                                .bodyAsString());
        JsonObject f = contradictionFindings(TOKEN_ADMIN).get(0);
        assertEquals("open", f.getString("state"));
        assertEquals(ISTIO, f.getString("client_mesh"));
        assertEquals(CONSUL, f.getString("server_mesh"));
        assertEquals("peer", f.getString("rejected_by"), "consul-dc1's servers reject istio-east's clients");
        String untrusted = Finding.idFor(ISTIO + "/" + FRONTEND, CONSUL + "/ledger", FailureCategory.UNTRUSTED_ROOT);
        JsonObject one = http.json("/api/v1/findings/" + f.getString("id"), TOKEN_ADMIN, 200);
        JsonObject details = one.getJsonObject("finding").getJsonObject("details");
        assertEquals("trusted", details.getString("cell_state"));
        assertEquals(untrusted, details.getString("contradicting_findings"));
        assertTrue(details.getString("roots").contains(ISTIO_ROOT.sha256().substring(0, 12)), details.encode());
        assertEquals(
                NOW.minus(1, ChronoUnit.HOURS).toString(),
                one.getJsonObject("finding").getString("first_seen"));

        JsonObject plan = http.json("/api/v1/findings/" + f.getString("id") + "/fix", TOKEN_ADMIN, 200);
        assertEquals("TRUST_CONTRADICTION", plan.getString("category"));
        assertEquals(CONSUL, plan.getJsonArray("options").getJsonObject(0).getString("mesh"));
        assertTrue(contradictionFindings(TOKEN_C).isEmpty(), "mesh-c's team does not see istio-east/consul-dc1's");
    }

    /** Last: it resolves the story's UNTRUSTED_ROOT finding, which the other tests need open. */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenTheUntrustedRootFindingResolvesTheContradictionFindingResolves() throws Exception {
        await(
                Duration.ofSeconds(30),
                () -> contradictionFindings(TOKEN_ADMIN).size() == 1,
                () -> "no TRUST_CONTRADICTION finding");
        Finding f = TestEvents.finding(
                ISTIO,
                FRONTEND,
                CONSUL,
                "ledger",
                FailureCategory.UNTRUSTED_ROOT,
                FindingState.RESOLVED,
                12,
                NOW.minus(3, ChronoUnit.HOURS),
                NOW.minusSeconds(600),
                List.of(),
                List.of(new Finding.StateChange(NOW.minusSeconds(5), FindingState.RESOLVED, "successful mTLS seen")));
        producer.send(new ProducerRecord<>(
                        PREFIX + ".findings", f.id(), EventCodec.get().encodeFinding(f)))
                .get(30, TimeUnit.SECONDS);
        await(
                Duration.ofSeconds(30),
                () -> "resolved"
                        .equals(contradictionFindings(TOKEN_ADMIN).get(0).getString("state")),
                () -> "the contradiction finding did not resolve: " + contradictionFindings(TOKEN_ADMIN));
        JsonObject one = http.json(
                "/api/v1/findings/" + contradictionFindings(TOKEN_ADMIN).get(0).getString("id"), TOKEN_ADMIN, 200);
        JsonArray history = one.getJsonObject("finding").getJsonArray("history");
        assertEquals(2, history.size(), history.encodePrettily());
        assertEquals("resolved", history.getJsonObject(1).getString("state"));
    }

    @Test
    void aTeamSeesOnlyPairsInvolvingItsMeshes() {
        JsonObject m = http.json("/api/v1/trust", TOKEN_C, 200);
        assertEquals(8, m.getJsonArray("cells").size());
        for (Object o : m.getJsonArray("cells")) {
            JsonObject c = (JsonObject) o;
            assertTrue(
                    c.getString("client_mesh").equals(MESH_C)
                            || c.getString("server_mesh").equals(MESH_C),
                    c.encode());
        }
        assertTrue(m.getJsonArray("contradictions").isEmpty(), "the contradiction is istio-east/consul-dc1's");
        for (Object o : m.getJsonArray("predictions")) {
            for (Object b : ((JsonObject) o).getJsonArray("breaks")) {
                JsonObject br = (JsonObject) b;
                assertTrue(br.getString("client_mesh").equals(MESH_C)
                        || br.getString("server_mesh").equals(MESH_C));
            }
        }
        HttpResponse<Buffer> r = http.get("/api/v1/trust?mesh=" + ISTIO, TOKEN_C);
        assertEquals(403, r.statusCode(), r.bodyAsString());
        assertEquals(
                4,
                http.json("/api/v1/trust?mesh=" + MESH_C + "&horizon_days=7", TOKEN_ADMIN, 200)
                                .getJsonArray("cells")
                                .size()
                        / 2);
        assertEquals(400, http.get("/api/v1/trust?horizon_days=0", TOKEN_ADMIN).statusCode());
        assertEquals(401, http.get("/api/v1/trust", null).statusCode());
    }

    @Test
    void whatIfAMeshDropsARootOrRotatesToANewOne() {
        HttpResponse<Buffer> r = http.post(
                "/api/v1/trust/what-if",
                TOKEN_ADMIN,
                new JsonObject()
                        .put(
                                "drop_bundle",
                                new JsonObject()
                                        .put("mesh", CONSUL)
                                        .put("fingerprint", ISTIO_ROOT.sha256().substring(0, 12)))
                        .encode());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject w = r.bodyAsJsonObject();
        assertEquals(1, w.getJsonArray("changes").size());
        JsonArray breaks = w.getJsonArray("breaks");
        assertEquals(2, breaks.size(), breaks.encodePrettily());
        for (Object o : breaks) {
            JsonObject b = (JsonObject) o;
            assertEquals(CONSUL, b.getString("verifier_mesh"));
            assertEquals(ISTIO, b.getString("presenter_mesh"));
            assertEquals("trusted", b.getString("before"));
            assertEquals("not_trusted", b.getString("after"));
            assertTrue(b.getString("why").contains("lacks root"), b.getString("why"));
        }

        TestPki.Ca fresh = TestPki.root("CN=Consul CA 8,O=dc1", NOW.minusSeconds(60), days(3650));
        JsonObject rot = http.post(
                        "/api/v1/trust/what-if",
                        TOKEN_ADMIN,
                        new JsonObject()
                                .put(
                                        "rotate",
                                        new JsonObject().put("mesh", CONSUL).put("root_pem", fresh.pem()))
                                .encode())
                .bodyAsJsonObject();
        List<JsonObject> rb = list(rot.getJsonArray("breaks"), b -> true);
        assertEquals(2, rb.size(), rot.encodePrettily());
        assertTrue(rb.stream()
                .allMatch(b -> b.getString("verifier_mesh").equals(ISTIO)
                        && b.getString("presenter_mesh").equals(CONSUL)));

        // what mesh-c's token sees of the same question: only its pairs (none break)
        JsonObject scoped = http.post(
                        "/api/v1/trust/what-if",
                        TOKEN_C,
                        new JsonObject()
                                .put(
                                        "rotate",
                                        new JsonObject().put("mesh", CONSUL).put("root_pem", fresh.pem()))
                                .encode())
                .bodyAsJsonObject();
        assertTrue(scoped.getJsonArray("breaks").isEmpty(), scoped.encodePrettily());

        HttpResponse<Buffer> bad = http.post("/api/v1/trust/what-if", TOKEN_ADMIN, "{\"expire\": \"00000000\"}");
        assertEquals(400, bad.statusCode(), bad.bodyAsString());
        assertEquals("expire", bad.bodyAsJsonObject().getString("parameter"));
        HttpResponse<Buffer> unknown = http.post("/api/v1/trust/what-if", TOKEN_ADMIN, "{\"rotat\": {}}");
        assertEquals(400, unknown.statusCode());
        assertEquals("rotat", unknown.bodyAsJsonObject().getString("parameter"));
        assertEquals(
                400, http.post("/api/v1/trust/what-if", TOKEN_ADMIN, "not json").statusCode());
    }

    @Test
    void whatIfConsulMovesToAdminPartitionsTheClientThatAcceptedLedgerFailsItsSanCheck() {
        HttpResponse<Buffer> r = http.post(
                "/api/v1/trust/what-if",
                TOKEN_ADMIN,
                new JsonObject()
                        .put(
                                "naming",
                                new JsonObject()
                                        .put("mesh", CONSUL)
                                        .put(
                                                "template",
                                                "spiffe://<trust-domain>/ap/default/ns/<namespace>/dc/<datacenter>"
                                                        + "/svc/<service>"))
                        .encode());
        assertEquals(200, r.statusCode(), r.bodyAsString());
        JsonObject w = r.bodyAsJsonObject();
        assertTrue(w.getJsonArray("breaks").isEmpty(), w.encodePrettily());
        JsonArray san = w.getJsonArray("san_breaks");
        assertEquals(1, san.size(), w.encodePrettily());
        JsonObject b = san.getJsonObject(0);
        assertEquals(ISTIO, b.getString("client_mesh"));
        assertEquals(FRONTEND, b.getString("client_id"));
        assertEquals(LEDGER, b.getString("expected_id"));
        assertEquals(
                "spiffe://1111-2222.consul/ap/default/ns/default/dc/dc1/svc/ledger", b.getString("presented_after"));
        assertEquals(1, b.getInteger("requests"));
        String body = new JsonObject()
                .put("naming", new JsonObject().put("mesh", CONSUL).put("template", "spiffe://x.example/svc/<service>"))
                .encode();
        JsonObject scoped = http.post("/api/v1/trust/what-if", TOKEN_C, body).bodyAsJsonObject();
        assertTrue(scoped.getJsonArray("san_breaks").isEmpty(), "mesh-c's team: " + scoped.encodePrettily());
        HttpResponse<Buffer> bad = http.post(
                "/api/v1/trust/what-if", TOKEN_ADMIN, "{\"naming\": {\"mesh\": \"x\", \"template\": \"svc\"}}");
        assertEquals(400, bad.statusCode(), bad.bodyAsString());
        assertEquals("naming.template", bad.bodyAsJsonObject().getString("parameter"));
    }

    @Test
    void theCliAsksTheApi() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WhatIfCommand.run(
                new String[] {
                    "--api", "http://127.0.0.1:" + app.httpPort(), "--drop-bundle", CONSUL + "=" + ISTIO_ROOT.sha256()
                },
                new PrintStream(out, true),
                new PrintStream(err, true),
                Map.of("MESHLENS_TOKEN", TOKEN_ADMIN));
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("2 cells break:"), text);
        assertTrue(
                text.contains("  " + ISTIO + " -> " + CONSUL + "  server_verifies_client (" + CONSUL + " verifying "
                        + ISTIO + "): trusted -> not_trusted"),
                text);
        int denied = WhatIfCommand.run(
                new String[] {
                    "--api", "http://127.0.0.1:" + app.httpPort(), "--token", "nope", "--expire", ISTIO_ROOT.sha256()
                },
                new PrintStream(out, true),
                new PrintStream(err, true),
                Map.of());
        assertEquals(1, denied);
        assertTrue(err.toString().contains("answered 401"), err.toString());
    }
}
