package dev.meshlens.launcher.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, end to end: the demo's injected faults must come out as findings
 * with the right direction, through real Kafka, real Elasticsearch, real collectors and the query
 * API, and the services must expose the metric names the alert rules and dashboards use.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void injectedFaultsBecomeFindingsWithTheRightDirection() throws Exception {
        Demo demo = RunningDemo.get();
        JsonNode items = RunningDemo.awaitFindings(
                demo, Set.of("UNTRUSTED_ROOT", "SAN_MISMATCH", "PLAINTEXT_MISMATCH"), Duration.ofMinutes(4));
        // a category can first surface on another edge (frontend -> ledger is untrusted too, and often correlated
        // first): wait for the injected edges themselves
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(has(items, "UNTRUSTED_ROOT", "info")
                        && has(items, "SAN_MISMATCH", "billing")
                        && has(items, "PLAINTEXT_MISMATCH", "backend"))
                && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            items = JSON.readTree(demo.get("/api/v1/findings?state=open&size=100", Demo.ONCALL_TOKEN))
                    .path("items");
        }
        List<String> summary = new ArrayList<>();
        items.forEach(f -> summary.add(
                f.path("category").asText() + " " + f.path("client_mesh").asText() + "->"
                        + f.path("server_mesh").asText() + "/"
                        + f.path("server_service").asText() + " rejected_by="
                        + f.path("rejected_by").asText()));
        System.out.println("demo findings: " + summary);

        JsonNode untrusted = find(items, "UNTRUSTED_ROOT", "info");
        assertEquals("istio-east", untrusted.path("client_mesh").asText(), summary::toString);
        assertEquals("consul-dc1", untrusted.path("server_mesh").asText(), summary::toString);
        // consul-dc1 (the server) rejected the Istio client's certificate: from the client's side, the peer rejected.
        assertEquals("peer", untrusted.path("rejected_by").asText(), summary::toString);
        assertFalse(untrusted.path("remediation").asText().isBlank());

        JsonNode san = find(items, "SAN_MISMATCH", "billing");
        assertEquals("istio-east", san.path("client_mesh").asText(), summary::toString);
        assertEquals("self", san.path("rejected_by").asText(), summary::toString);

        JsonNode plaintext = find(items, "PLAINTEXT_MISMATCH", "backend");
        assertEquals("consul-dc1", plaintext.path("client_mesh").asText(), summary::toString);
    }

    @Test
    void diagnoseNamesTheProblemBetweenTwoServices() throws Exception {
        Demo demo = RunningDemo.get();
        RunningDemo.awaitFindings(demo, Set.of("SAN_MISMATCH"), Duration.ofMinutes(4));
        JsonNode d = JSON.readTree(demo.get("/api/v1/diagnose?from=frontend&to=billing", Demo.ONCALL_TOKEN));
        assertEquals("FAILING", d.path("verdict").asText(), d::toPrettyString);
        assertTrue(
                StreamSupport.stream(d.path("findings").spliterator(), false)
                        .anyMatch(f -> f.path("category").asText().equals("SAN_MISMATCH")),
                d::toPrettyString);
    }

    @Test
    void teamTokensOnlySeeTheirOwnMeshes() throws Exception {
        Demo demo = RunningDemo.get();
        RunningDemo.awaitFindings(demo, Set.of("UNTRUSTED_ROOT"), Duration.ofMinutes(4));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(demo.queryApiUrl() + "/api/v1/events?mesh=istio-east&size=1"))
                        .header("Authorization", "Bearer " + Demo.CONSUL_TEAM_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        HttpResponse<String> none = http.send(
                HttpRequest.newBuilder(URI.create(demo.queryApiUrl() + "/api/v1/findings"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, none.statusCode(), none.body());
    }

    /**
     * The second act: consul-dc1 stages a new root; the matrix predicts (API and gauge) that istio-east's checks
     * of consul-dc1 fail once it signs, while no istio-east client has rejected a consul-dc1 certificate; then
     * ledger moves to the new root and istio-east's client rejects it, as predicted.
     */
    @Test
    void actTwoARootRotationIsPredictedBeforeTheFailureItNames() throws Exception {
        Demo demo = RunningDemo.get();
        // the second act starts after the first findings
        RunningDemo.awaitFindings(demo, Set.of("UNTRUSTED_ROOT"), Duration.ofMinutes(4));
        demo.stageRotation();
        JsonNode prediction = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (prediction == null && System.nanoTime() < deadline) {
            for (JsonNode p :
                    JSON.readTree(demo.get("/api/v1/trust", Demo.ONCALL_TOKEN)).path("predictions")) {
                if (p.path("kind").asText().equals("rotation_pending")
                        && p.path("mesh").asText().equals(Demo.ROTATING_MESH)) {
                    prediction = p;
                }
            }
            if (prediction == null) {
                Thread.sleep(2000);
            }
        }
        assertTrue(prediction != null, "no rotation_pending prediction for " + Demo.ROTATING_MESH);
        assertFalse(prediction.path("breaks").isEmpty(), prediction::toPrettyString);
        for (JsonNode b : prediction.path("breaks")) {
            assertEquals(Demo.ISTIO_MESH, b.path("verifier_mesh").asText(), prediction::toPrettyString);
            assertEquals(Demo.CONSUL_MESH, b.path("presenter_mesh").asText(), prediction::toPrettyString);
        }
        HttpClient http = HttpClient.newHttpClient();
        String gauge = "meshlens_trust_gap_predicted_seconds{client_mesh=\"" + Demo.ISTIO_MESH
                + "\",direction=\"client_verifies_server\",kind=\"rotation_pending\"";
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String metrics = "";
        while (!metrics.contains(gauge) && System.nanoTime() < deadline) {
            metrics = http.send(
                            HttpRequest.newBuilder(URI.create(demo.queryApiUrl() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            if (!metrics.contains(gauge)) {
                Thread.sleep(2000);
            }
        }
        assertTrue(metrics.contains(gauge), "no " + gauge + " (what MeshlensTrustGapPredicted fires on)");
        assertEquals(0, rejectedByIstioClients(demo).size(), "predicted before any handshake fails");

        demo.moveRotatedWorkload();
        List<JsonNode> rejected = List.of();
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (rejected.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            rejected = rejectedByIstioClients(demo);
        }
        assertFalse(rejected.isEmpty(), "istio-east's clients never rejected the moved " + Demo.MOVED_SERVICE);
    }

    /** Events where an istio-east client rejected the server's certificate as signed by a root it lacks. */
    private static List<JsonNode> rejectedByIstioClients(Demo demo) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(demo.get(
                        "/api/v1/events?mesh=" + Demo.ISTIO_MESH + "&category=UNTRUSTED_ROOT&size=200",
                        Demo.ONCALL_TOKEN))
                .path("items")) {
            if (e.path("observer_role").asText().equals("client")
                    && e.path("tls").path("rejected_by").asText().equals("self")) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every metric name the alert rules and dashboards use is exposed by a running collector or query API. */
    @Test
    void alertAndDashboardMetricNamesAreExposed() throws Exception {
        Demo demo = RunningDemo.get();
        RunningDemo.awaitFindings(demo, Set.of("UNTRUSTED_ROOT"), Duration.ofMinutes(4));
        Path names = Path.of("..", "dashboards", "metric-names.txt");
        assertTrue(Files.exists(names), "dashboards/metric-names.txt lists the names rules and dashboards use");
        HttpClient http = HttpClient.newHttpClient();
        List<String> urls = new ArrayList<>(demo.collectorMetricsUrls());
        urls.add(demo.queryApiUrl() + "/metrics");
        // Some series appear with their first data (a success correlated, a /certs inventory, the 10 s refresh
        // of mesh gauges from Elasticsearch), which on a busy machine can come after the first finding.
        List<String> missing = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do {
            StringBuilder scraped = new StringBuilder();
            for (String url : urls) {
                scraped.append(
                        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                                .body());
            }
            missing = missingNames(names, scraped.toString());
            if (!missing.isEmpty()) {
                Thread.sleep(2000);
            }
        } while (!missing.isEmpty() && System.nanoTime() < deadline);
        assertTrue(missing.isEmpty(), "metric names used by rules/dashboards but not exposed: " + missing);
    }

    private static List<String> missingNames(Path names, String scraped) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(names)) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#") || name.contains("# conditional:")) {
                continue; // a conditional series exists only while its cause does; its own test renders it
            }
            name = name.split("\\s+")[0];
            if (name.endsWith("*")) { // a family: at least one series under its prefix
                if (!scraped.contains("\n" + name.substring(0, name.length() - 1))) {
                    missing.add(name);
                }
                continue;
            }
            if (!scraped.contains("\n" + name + "{")
                    && !scraped.contains("\n" + name + " ")
                    && !scraped.contains("# TYPE " + name + " ")) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static boolean has(JsonNode items, String category, String serverService) {
        for (JsonNode f : items) {
            if (f.path("category").asText().equals(category)
                    && f.path("server_service").asText().equals(serverService)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode find(JsonNode items, String category, String serverService) throws IOException {
        for (JsonNode f : items) {
            if (f.path("category").asText().equals(category)
                    && f.path("server_service").asText().equals(serverService)) {
                return f;
            }
        }
        throw new AssertionError("no open " + category + " finding for server " + serverService + " in " + items);
    }

    /** The demo's child services log plain text for a person, without escape codes (never JSON lines). */
    @Test
    void childLogsArePlainTextWithoutEscapeCodes() throws Exception {
        Demo demo = RunningDemo.get();
        List<Path> logs;
        try (var files = Files.list(demo.dir().resolve("logs"))) {
            logs = files.filter(f -> f.toString().endsWith(".log")).toList();
        }
        assertFalse(logs.isEmpty(), "the children's log files");
        for (Path log : logs) {
            String text = Files.readString(log);
            assertFalse(text.contains("\u001b"), () -> log + " holds an escape code");
            assertTrue(
                    text.contains(" [INFO] ") || text.contains(" [WARN] "),
                    () -> log + " in the text format:\n" + text);
            for (String line : text.split("\n")) {
                assertFalse(line.startsWith("{\"timestamp\""), () -> log + " holds a JSON log line: " + line);
            }
        }
    }
}
