package dev.meshlens.query.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.fix.Fixes;
import dev.meshlens.events.fix.MeshFacts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ./meshlens fix ID} against an HTTP endpoint answering like the query API. */
class FixCommandTest {
    HttpServer server;
    final AtomicReference<String> seenPath = new AtomicReference<>();
    final AtomicReference<String> seenAuth = new AtomicReference<>();
    static final String ID = "abc123";

    static String planJson() {
        Finding f = new Finding(
                1,
                ID,
                FailureCategory.SAN_MISMATCH,
                "istio-east",
                "spiffe://cluster.local/ns/web/sa/frontend",
                "consul-dc1",
                "ledger",
                "spiffe://x.consul/ns/default/dc/dc1/svc/ledger",
                RejectedBy.SELF,
                "d",
                Instant.EPOCH,
                Instant.EPOCH,
                1,
                FindingState.OPEN,
                false,
                null,
                List.of(),
                null,
                Map.of("client_mesh_kind", "istio", "server_mesh_kind", "consul"),
                List.of());
        return FixJson.plan(Fixes.plan(
                        f,
                        Map.of(
                                "istio-east",
                                new MeshFacts("istio-east", "istio", "cluster.local", "team-web", List.of()))))
                .toString();
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seenPath.set(ex.getRequestURI().getRawPath());
            seenAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            boolean known = ex.getRequestURI().getRawPath().equals("/api/v1/findings/" + ID + "/fix");
            byte[] body = (known
                            ? planJson()
                            : "{\"type\":\"https://meshlens.dev/problems/not-found\",\"status\":404,"
                                    + "\"detail\":\"no finding with id 'zzz'\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("content-type", known ? "application/json" : "application/problem+json");
            ex.sendResponseHeaders(known ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    record Run(int code, String out, String err) {}

    Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FixCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void printsTheResourcesToApplyAndWhoAppliesThem() {
        Run r = run(Map.of(), ID, "--api", api(), "--token", "t0k");
        assertEquals(0, r.code(), r.err());
        assertEquals("/api/v1/findings/" + ID + "/fix", seenPath.get());
        assertEquals("Bearer t0k", seenAuth.get());
        assertTrue(r.out().startsWith("SAN_MISMATCH: mesh istio-east (team team-web) applies 1 resource."), r.out());
        assertTrue(r.out().contains("Recommended: mesh istio-east (team team-web)"), r.out());
        assertTrue(
                r.out().contains("  # DestinationRule ledger-san (namespace web) — apply with: kubectl apply -f -"),
                r.out());
        assertTrue(r.out().contains("  kind: DestinationRule"), r.out());
        assertTrue(r.out().contains("spiffe://x.consul/ns/default/dc/dc1/svc/ledger"), r.out());
    }

    @Test
    void jsonIsTheApisAnswerAndTheTokenMayComeFromTheEnvironment() {
        Run r = run(Map.of("MESHLENS_TOKEN", "envtok", "MESHLENS_API", api()), "--json", ID);
        assertEquals(0, r.code(), r.err());
        assertEquals("Bearer envtok", seenAuth.get());
        assertTrue(r.out().contains("\"finding_id\" : \"" + ID + "\""), r.out());
    }

    @Test
    void errorsNameTheProblem() {
        Run missing = run(Map.of(), "zzz", "--api", api(), "--token", "t");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("404: no finding with id 'zzz'"), missing.err());
        Run noToken = run(Map.of(), ID, "--api", api());
        assertEquals(2, noToken.code());
        assertTrue(noToken.err().contains("a token is needed"), noToken.err());
        assertEquals(2, run(Map.of(), "--token", "t").code(), "no id");
        assertEquals(2, run(Map.of(), ID, "--bogus").code());
        Run down = run(Map.of(), ID, "--api", "http://127.0.0.1:1", "--token", "t");
        assertEquals(1, down.code());
        assertTrue(down.err().contains("cannot reach"), down.err());
    }
}
