package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The standalone correlator answers the chart's probes: healthy at once, ready only while its streams run. */
class HealthEndpointTest {
    @Test
    void readinessFollowsTheStreamsAndMetricsAreScraped() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("meshlens_probe_test").increment();
        AtomicBoolean running = new AtomicBoolean(false);
        HttpClient client = HttpClient.newHttpClient();
        try (HealthEndpoint http = HealthEndpoint.start(0, registry, running::get)) {
            String base = "http://127.0.0.1:" + http.port();
            assertEquals(200, get(client, base + "/healthz").statusCode());
            assertEquals(503, get(client, base + "/readyz").statusCode());
            running.set(true);
            assertEquals(200, get(client, base + "/readyz").statusCode());
            HttpResponse<String> metrics = get(client, base + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("meshlens_probe_test"), metrics.body());
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
