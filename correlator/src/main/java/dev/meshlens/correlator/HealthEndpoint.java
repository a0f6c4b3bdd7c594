package dev.meshlens.correlator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The standalone correlator's HTTP endpoint ({@code metrics.port}): {@code /metrics} for Prometheus, {@code /healthz}
 * (the process answers) and {@code /readyz} (the streams run), the paths the Helm chart's probes use.
 */
final class HealthEndpoint implements AutoCloseable {
    private final HttpServer server;

    private HealthEndpoint(HttpServer server) {
        this.server = server;
    }

    static HealthEndpoint start(int port, PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext(
                "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/healthz", ex -> send(ex, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/readyz", ex -> {
            boolean up = ready.getAsBoolean();
            send(ex, up ? 200 : 503, "application/json", up ? "{\"status\":\"UP\"}" : "{\"status\":\"STARTING\"}");
        });
        server.start();
        return new HealthEndpoint(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
