package dev.meshlens.collector.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshlens.collector.otlp.OtlpLogRecords.Rec;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP logs receiver ({@code POST /v1/logs}, protobuf or JSON, optionally gzip) for senders that
 * speak OTLP/HTTP (Envoy's own OpenTelemetry access logger speaks gRPC: {@link OtlpGrpcReceiver}).
 * Records are mapped by {@link OtlpLogRecords}; answers only once every event of the request is durable
 * ({@link OtlpIngest}), so a failed request is retried by the sender.
 */
public final class OtlpReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpReceiver.class);
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final OtlpIngest ingest;
    private final String host;
    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    public OtlpReceiver(OtlpIngest ingest, String host, int port) {
        this.ingest = ingest;
        this.host = host;
        this.port = port;
    }

    public OtlpReceiver start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/v1/logs", this::handle);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        LOG.info("OTLP/HTTP logs receiver on {}:{}", host, port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain", "use POST".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"))
                    .toLowerCase();
            boolean json = type.startsWith("application/json");
            byte[] body;
            try (InputStream in = "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(ex.getRequestBody())
                    : ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                ingest.rejected("otlp_undecodable");
                send(
                        ex,
                        400,
                        "text/plain",
                        ("cannot read OTLP logs: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (body.length > MAX_BODY_BYTES) {
                ingest.rejected("otlp_too_large");
                send(ex, 413, "text/plain", "request too large".getBytes(StandardCharsets.UTF_8));
                return;
            }
            List<Rec> recs;
            try {
                recs = json ? OtlpLogRecords.fromJson(body) : OtlpLogRecords.fromProto(body);
            } catch (Exception e) {
                ingest.rejected("otlp_undecodable");
                send(
                        ex,
                        400,
                        "text/plain",
                        ("cannot decode OTLP logs: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
                return;
            }
            switch (ingest.ingest(recs)) {
                case OtlpIngest.Paused p -> {
                    // OTLP/HTTP senders retry 503 after Retry-After.
                    ex.getResponseHeaders().set("Retry-After", "5");
                    send(
                            ex,
                            503,
                            "text/plain",
                            ("collector paused: " + p.reason() + "; retry").getBytes(StandardCharsets.UTF_8));
                }
                case OtlpIngest.NotDurable n ->
                    send(ex, 503, "text/plain", "events not durable yet; retry".getBytes(StandardCharsets.UTF_8));
                case OtlpIngest.Durable d -> {
                    if (json) {
                        send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(
                                ex,
                                200,
                                "application/x-protobuf",
                                ExportLogsServiceResponse.getDefaultInstance().toByteArray());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("OTLP request failed: {}", e.toString());
            send(ex, 500, "text/plain", "internal error".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int code, String type, byte[] b) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
