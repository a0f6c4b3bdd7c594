package dev.meshlens.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.config.QueryApiConfig.ApiToken;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * The HTTP layer with an unreachable Elasticsearch: authentication, scope checks that happen
 * before any query, parameter problems, the open routes, the OpenAPI document covering every
 * route, and 503 problems when the backend is down.
 */
@ExtendWith(VertxExtension.class)
class ApiWithoutBackendTest {
    static Vertx vertx;
    static ApiVerticle api;
    static HttpTestSupport http;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        rest = RestClient.builder(new HttpHost("127.0.0.1", deadPort)).build();
        ReadModel read = new ReadModel(new QueryClient(rest), new IndexNames("meshlens"), Clock.systemUTC());
        TokenAuthenticator auth = new TokenAuthenticator(List.of(
                new ApiToken("team-a", TokenAuthenticator.sha256Hex("token-a"), Set.of("mesh-a"), false),
                new ApiToken("oncall", TokenAuthenticator.sha256Hex("token-admin"), Set.of(), true)));
        api = new ApiVerticle(
                read,
                auth,
                MeshlensMetrics.prometheus(),
                () -> "DISABLED",
                new ApiVerticle.Settings(
                        "127.0.0.1",
                        0,
                        new ReadModel.InventorySettings(30, Duration.ofMinutes(15), Duration.ofHours(24))));
        vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        http = new HttpTestSupport(vertx, api.port());
    }

    @AfterAll
    static void stop() throws IOException, Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        rest.close();
    }

    static void assertProblem(HttpResponse<Buffer> r, int status, String type) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertEquals("application/problem+json", r.getHeader("content-type"));
        JsonObject p = r.bodyAsJsonObject();
        assertEquals("https://meshlens.dev/problems/" + type, p.getString("type"));
        assertEquals(status, p.getInteger("status"));
        assertNotNull(p.getString("title"));
        assertNotNull(p.getString("detail"));
    }

    @Test
    void noTokenIs401AndUnknownTokenIs401() {
        for (String path : List.of(
                "/api/v1/findings",
                "/api/v1/findings/x",
                "/api/v1/events",
                "/api/v1/meshes",
                "/api/v1/diagnose?from=a&to=b")) {
            HttpResponse<Buffer> r = http.get(path, null);
            assertProblem(r, 401, "unauthorized");
            assertTrue(r.getHeader("WWW-Authenticate").startsWith("Bearer"));
            assertProblem(http.get(path, "not-a-token"), 401, "unauthorized");
        }
    }

    @Test
    void askingForAMeshOutsideTheScopeIs403() {
        HttpResponse<Buffer> r = http.get("/api/v1/findings?mesh=mesh-b", "token-a");
        assertProblem(r, 403, "forbidden");
        assertTrue(r.bodyAsJsonObject().getString("detail").contains("mesh-b"));
        assertProblem(http.get("/api/v1/events?mesh=mesh-a,mesh-b", "token-a"), 403, "forbidden");
    }

    @Test
    void badParametersAreNamed() {
        Map<String, String> cases = Map.of(
                "/api/v1/findings?since=yesterday", "since",
                "/api/v1/findings?state=broken", "state",
                "/api/v1/findings?category=NOPE", "category",
                "/api/v1/findings?size=0", "size",
                "/api/v1/findings?colour=red", "colour",
                "/api/v1/events?size=abc", "size",
                "/api/v1/events?source_kind=pcap", "source_kind",
                "/api/v1/diagnose?to=backend", "from",
                "/api/v1/diagnose?from=spiffe://&to=backend", "from",
                "/api/v1/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until");
        cases.forEach((uri, param) -> {
            HttpResponse<Buffer> r = http.get(uri, "token-admin");
            assertProblem(r, 400, "bad-parameter");
            assertEquals(param, r.bodyAsJsonObject().getString("parameter"), uri);
            assertTrue(r.bodyAsJsonObject().getString("detail").startsWith(param + ":"), r.bodyAsString());
        });
    }

    @Test
    void backendDownIs503Problem() {
        assertProblem(http.get("/api/v1/findings", "token-admin"), 503, "unavailable");
        HttpResponse<Buffer> ready = http.get("/readyz", null);
        assertEquals(503, ready.statusCode());
        assertEquals("DOWN", ready.bodyAsJsonObject().getJsonObject("checks").getString("elasticsearch"));
    }

    @Test
    void openRoutesNeedNoToken() {
        assertEquals("UP", http.json("/healthz", null, 200).getString("status"));
        HttpResponse<Buffer> m = http.get("/metrics", null);
        assertEquals(200, m.statusCode());
        assertTrue(m.bodyAsString().contains("meshlens_ingest_lag_records"), m.bodyAsString());
        assertTrue(m.bodyAsString().contains("meshlens_findings_open{category=\"UNTRUSTED_ROOT\"}"));
        HttpResponse<Buffer> o = http.get("/openapi.yaml", null);
        assertEquals(200, o.statusCode());
        assertTrue(o.bodyAsString().startsWith("openapi: 3"));
        HttpResponse<Buffer> page = http.get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.getHeader("content-type").startsWith("text/html"));
        assertProblem(http.get("/no/such/route", null), 404, "not-found");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRouteIsDescribedInOpenApi() {
        Map<String, Object> doc = new Yaml().load(ApiVerticle.resource("openapi.yaml"));
        Set<String> described = ((Map<String, Object>) doc.get("paths")).keySet();
        Set<String> routes = new HashSet<>();
        collect(api.router().getRoutes(), "", routes);
        assertTrue(routes.contains("/api/v1/findings/{id}"), routes.toString());
        assertTrue(routes.size() >= 10, routes.toString());
        for (String r : routes) {
            assertTrue(described.contains(r), "route " + r + " is not described in openapi.yaml");
        }
        for (String d : described) {
            assertTrue(routes.contains(d), "openapi.yaml describes " + d + " but no such route exists");
        }
    }

    private static void collect(List<Route> routes, String prefix, Set<String> out) {
        for (Route r : routes) {
            String p = r.getPath();
            if (r.getSubRouter() != null) {
                String mount = p == null ? "" : p.replaceAll("/$", "");
                collect(r.getSubRouter().getRoutes(), prefix + mount, out);
            } else if (p != null && r.methods() != null && !r.methods().isEmpty()) {
                out.add((prefix + p).replaceAll(":([a-zA-Z]+)", "{$1}"));
            } else if (p != null && p.equals("/") && r.methods() == null) {
                out.add(prefix + "/"); // static files
            }
        }
    }
}
