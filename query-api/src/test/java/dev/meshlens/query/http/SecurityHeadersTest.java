package dev.meshlens.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The on-call page, its assets and the API answer with a Content-Security-Policy that blocks injected
 * script (the token lives in session storage), nosniff and a Referrer-Policy; and the page itself needs
 * nothing that policy forbids (no inline script, style or event handler).
 */
class SecurityHeadersTest {
    static Vertx vertx;
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
        TokenAuthenticator auth = new TokenAuthenticator(
                List.of(new ApiToken("oncall", TokenAuthenticator.sha256Hex("token-admin"), Set.of(), true)));
        ApiVerticle api = new ApiVerticle(
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
    static void stop() throws Exception {
        http.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        rest.close();
    }

    static void assertHardened(String uri, HttpResponse<Buffer> r) {
        String csp = r.getHeader("Content-Security-Policy");
        assertNotNull(csp, uri + ": Content-Security-Policy");
        List<String> directives =
                Arrays.stream(csp.split(";")).map(String::strip).toList();
        assertTrue(directives.contains("script-src 'self'"), uri + ": scripts from this origin only: " + csp);
        assertTrue(directives.contains("frame-ancestors 'none'"), uri + ": never framed: " + csp);
        assertTrue(directives.contains("default-src 'none'"), uri + ": " + csp);
        assertFalse(csp.contains("'unsafe-inline'") || csp.contains("'unsafe-eval'"), uri + ": nothing inline: " + csp);
        assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), uri);
        assertEquals("no-referrer", r.getHeader("Referrer-Policy"), uri);
    }

    @Test
    void pageAssetsApiAndErrorsCarryTheHeaders() {
        for (String uri : List.of("/", "/index.html", "/app.js", "/style.css")) {
            HttpResponse<Buffer> r = http.get(uri, null);
            assertEquals(200, r.statusCode(), uri);
            assertHardened(uri, r);
        }
        HttpResponse<Buffer> unauthorised = http.get("/api/v1/findings", null);
        assertEquals(401, unauthorised.statusCode());
        assertHardened("/api/v1/findings", unauthorised);
        HttpResponse<Buffer> missing = http.get("/no-such-page", null);
        assertEquals(404, missing.statusCode());
        assertHardened("/no-such-page", missing);
    }

    @Test
    void thePageNeedsNothingThePolicyBlocks() throws Exception {
        String html;
        try (InputStream in = SecurityHeadersTest.class.getResourceAsStream("/webroot/index.html")) {
            html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertFalse(
                Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no inline <script>");
        assertFalse(
                Pattern.compile("<style", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no <style> element");
        assertFalse(
                Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no style attribute");
        assertFalse(
                Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find(),
                "no inline event handler");
        assertFalse(html.contains("javascript:"), "no javascript: URL");
    }
}
