package dev.meshlens.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig.ApiToken;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Fuzzing the API's query parameters through the real router (Elasticsearch unreachable, so a request
 * that passes its checks ends in 503): every query string is answered 400 (the parameter named) or 503,
 * never 500 (no exception escapes parameter parsing), and every 400 is counted by the HTTP server
 * metrics (vertx_http_server_requests_total{code="400"}). Query strings kept in
 * src/test/resources/fuzz/params (one per line: route?query) are replayed on every run.
 */
class ParamsFuzzProperties {
    static final String TOKEN = "token-admin";
    static Vertx vertx;
    static RestClient rest;
    static PrometheusMeterRegistry registry;
    static int port;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeContainer
    static void start() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx = QueryApiCommand.vertx(registry);
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        rest = RestClient.builder(new HttpHost("127.0.0.1", deadPort)).build();
        ReadModel read = new ReadModel(new QueryClient(rest), new IndexNames("meshlens"), Clock.systemUTC());
        TokenAuthenticator auth = new TokenAuthenticator(
                List.of(new ApiToken("oncall", TokenAuthenticator.sha256Hex(TOKEN), Set.of(), true)));
        ApiVerticle api = new ApiVerticle(
                read,
                auth,
                MeshlensMetrics.prometheus(),
                () -> "DISABLED",
                new ApiVerticle.Settings(
                        "127.0.0.1",
                        0,
                        new ReadModel.InventorySettings(30, Duration.ofMinutes(15), Duration.ofHours(24))));
        vertx.deployVerticle(api).await(30, TimeUnit.SECONDS);
        port = api.port();
    }

    @AfterContainer
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        rest.close();
    }

    static double badRequests() {
        return registry.find("vertx.http.server.requests").tag("code", "400").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** The oracle: 400 or 503, never anything else; a 400 is counted once. */
    static void queryIsSafe(String routeAndQuery) throws Exception {
        double before = badRequests();
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + routeAndQuery))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(
                r.statusCode() == 400 || r.statusCode() == 503,
                () -> routeAndQuery + " -> " + r.statusCode() + " " + r.body());
        if (r.statusCode() == 400) {
            assertTrue(r.body().contains("\"parameter\""), () -> "a 400 names the parameter: " + r.body());
        }
        // the metric is recorded when the response ends; give it the moment it needs
        double expected = before + (r.statusCode() == 400 ? 1 : 0);
        for (int i = 0; i < 50 && badRequests() != expected; i++) {
            Thread.sleep(10);
        }
        assertEquals(expected, badRequests(), () -> "each rejected request counted once: " + routeAndQuery);
    }

    @Property(tries = 400)
    void anyQueryIsAnsweredWithoutA500(@ForAll("queries") String routeAndQuery) throws Exception {
        queryIsSafe(routeAndQuery);
    }

    @Example
    void corpusOfFoundInputsStaysSafe() throws Exception {
        int n = 0;
        try (Stream<Path> files = Files.list(
                Path.of(ParamsFuzzProperties.class.getResource("/fuzz/params").toURI()))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        queryIsSafe(line.strip());
                        n++;
                    }
                }
            }
        }
        assertTrue(n > 0, "the corpus is on the test classpath");
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> route = Arbitraries.of("/api/v1/findings", "/api/v1/events", "/api/v1/diagnose");
        Arbitrary<String> name = Arbitraries.of(
                "mesh",
                "category",
                "state",
                "since",
                "until",
                "page",
                "size",
                "q",
                "from",
                "to",
                "source_kind",
                "horizon_days",
                "x",
                "");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        "open",
                        "RESOLVED",
                        "UNTRUSTED_ROOT",
                        "untrusted_root",
                        "nope",
                        "envoy-access-log",
                        "-1",
                        "0",
                        "500",
                        "501",
                        "2147483648",
                        "99999999999999999999",
                        "1e3",
                        "15m",
                        "24h",
                        "7d",
                        "0d",
                        "99999999999999d",
                        "9223372036854775807ms",
                        "P1D",
                        "PT-1H",
                        "P99999999999D",
                        "2026-11-29T00:00:00Z",
                        "+1000000000-01-01T00:00:00Z",
                        "-999999999-01-01T00:00:00Z",
                        "frontend",
                        "spiffe://a/b",
                        "a,b,,c",
                        "*",
                        "\"",
                        "(",
                        "\\",
                        "%00",
                        "é",
                        "\u0000"),
                Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> pair = Combinators.combine(name, value)
                .as((n, v) -> URLEncoder.encode(n, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(route, pair.list().ofMaxSize(5)).as((r, ps) -> r + "?" + String.join("&", ps));
    }
}
