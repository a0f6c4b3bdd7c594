package dev.meshlens.redactor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshlens.redactor.Corpus;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    @Test
    void prometheusNamesMatchTheContract() throws Exception {
        PrometheusMeterRegistry reg = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null, reg);
        engine.redact(Corpus.realistic("istio-east", 1));
        HttpServer server = RedactorStageCommand.metricsServer(0, reg);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + server.getAddress().getPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(
                    r.body()
                            .contains("meshlens_redaction_fields_total{action=\"drop\",mesh=\"istio-east\","
                                    + "rule=\"deny.path\"} 1.0"),
                    r.body());
        } finally {
            server.stop(0);
        }
    }
}
