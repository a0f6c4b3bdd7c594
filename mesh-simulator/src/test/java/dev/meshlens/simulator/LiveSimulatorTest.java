package dev.meshlens.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveSimulatorTest {
    @Test
    void writesLogFilesServesAdminAndTakesFaults() throws Exception {
        Path dir = Files.createTempDirectory("live-sim");
        try (LiveSimulator sim = new LiveSimulator(dir, 42, 20, Duration.ofMillis(800), true).start()) {
            sim.inject(Fault.CLIENT_DISTRUSTS_SERVER_ROOT, "backend", "info");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Path backendLog = dir.resolve("istio-east/backend/access.log");
            Path infoListener = dir.resolve("consul-dc1/info/listener.log");
            while (System.nanoTime() < deadline
                    && !(Files.exists(infoListener)
                            && Files.size(infoListener) > 0
                            && Files.exists(backendLog)
                            && Files.readString(backendLog).contains("CERTIFICATE_VERIFY_FAILED"))) {
                Thread.sleep(200);
            }
            assertTrue(Files.readString(backendLog).contains("CERTIFICATE_VERIFY_FAILED"));
            assertTrue(Files.readString(infoListener).contains("TLSV1_ALERT_UNKNOWN_CA"));
            String endpoints = Files.readString(sim.endpointsFile());
            assertTrue(endpoints.contains("\"admin_url\""), endpoints);
            EnvoyAdmin info = sim.admins().stream()
                    .filter(a -> a.envoy().service().equals("info"))
                    .findFirst()
                    .orElseThrow();
            String stats = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(info.baseUrl() + "/stats?format=json"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(stats.contains("listener.0.0.0.0_15006.ssl.connection_error"), stats);
            sim.fix(Fault.CLIENT_DISTRUSTS_SERVER_ROOT, "backend", "info");
        }
    }
}
