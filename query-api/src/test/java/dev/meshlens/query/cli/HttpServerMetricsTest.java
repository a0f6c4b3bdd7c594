package dev.meshlens.query.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The API's Vert.x reports HTTP server metrics by route (never by path: paths carry ids) and nothing else. */
class HttpServerMetricsTest {
    @Test
    void requestsAreCountedByRouteMethodAndCode() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = QueryApiCommand.vertx(registry);
        try {
            Router router = Router.router(vertx);
            router.get("/api/v1/findings/:id").handler(ctx -> ctx.response().end("{}"));
            int port = vertx.createHttpServer()
                    .requestHandler(router)
                    .listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS)
                    .actualPort();
            HttpClient http = HttpClient.newHttpClient();
            for (String id : new String[] {"f-1", "f-2", "f-3"}) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/findings/" + id))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
            }
            String scrape = registry.scrape();
            String series = scrape.lines()
                    .filter(l -> l.startsWith("vertx_http_server_requests_total{"))
                    .filter(l -> l.contains("route=\"/api/v1/findings/:id\""))
                    .findFirst()
                    .orElse(null);
            assertTrue(series != null, "requests counted by route:\n" + scrape);
            assertTrue(series.contains("code=\"200\"") && series.contains("method=\"GET\""), series);
            assertTrue(series.endsWith(" 3.0"), "three requests, one series: " + series);
            assertFalse(scrape.contains("f-1"), "no path (finding id) in any label");
            assertFalse(
                    scrape.contains("vertx_eventbus_") || scrape.contains("vertx_pool_"),
                    "only the HTTP server domain is reported");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
