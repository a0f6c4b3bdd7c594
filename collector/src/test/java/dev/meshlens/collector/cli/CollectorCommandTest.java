package dev.meshlens.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorCommandTest {
    @TempDir
    Path dir;

    @Test
    void invalidConfigStopsWithTheKeyNamed() throws Exception {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "mesh: {id: a}\nkafka: {bootstrap_server: x:1}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CollectorCommand.run(
                new String[] {"--config", cfg.toString()},
                System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8),
                null);
        assertEquals(2, code);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(
                e.contains(
                        "unknown configuration key 'kafka.bootstrap_server' (did you mean 'kafka.bootstrap_servers'?)"),
                e);
        assertTrue(e.contains("Missing required configuration kafka.bootstrap_servers"), e);
        assertEquals(
                2,
                CollectorCommand.run(new String[] {}, System.out, new PrintStream(new ByteArrayOutputStream()), null));
    }

    @Test
    void runsWithBrokerDownServingMetricsAndHealth() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(
                logs.resolve("a.log"),
                ExplainCommandTest.ISTIO_FAIL + "\n" + ExplainCommandTest.ISTIO_OK + "\nnot an access log line\n");
        String yaml = """
        mesh: {id: istio-east, kind: istio}
        sources:
          files: [{globs: ["%s/*.log"], format: istio}]
          checkpoint_dir: %s/cp
        kafka: {bootstrap_servers: "127.0.0.1:%d", delivery_timeout_ms: 2000}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(logs, dir, deadPort, dir, dir);
        try (Collector c = new Collector(CollectorConfig.parse(yaml, "test")).start()) {
            HttpClient h = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + c.httpPort();
            long deadline = System.nanoTime() + 30_000_000_000L;
            String metrics = "";
            while (System.nanoTime() < deadline) {
                metrics = h.send(
                                HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (metrics.contains("meshlens_collector_spool_depth{mesh=\"istio-east\"} 2.0")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(metrics.contains("meshlens_collector_lines_read_total{mesh=\"istio-east\"} 3.0"), metrics);
            assertTrue(
                    metrics.contains(
                            "meshlens_collector_lines_unparseable_total{mesh=\"istio-east\",reason=\"prefix_mismatch\"} 1.0"),
                    metrics);
            assertTrue(
                    metrics.contains(
                            "meshlens_collector_events_total{category=\"PLAINTEXT_MISMATCH\",mesh=\"istio-east\",rejected_by=\"self\"} 1.0"),
                    metrics);
            assertTrue(metrics.contains("meshlens_collector_spool_depth{mesh=\"istio-east\"} 2.0"), metrics);
            assertTrue(metrics.contains("meshlens_collector_checkpoint_lag_bytes"), metrics);
            assertEquals(
                    200,
                    h.send(
                                    HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            HttpResponse<String> ready = h.send(
                    HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().contains("\"spooling\":true"), ready.body());
            assertTrue(Files.readString(dir.resolve("dl.jsonl")).contains("not an access log line"));
        }
    }
}
