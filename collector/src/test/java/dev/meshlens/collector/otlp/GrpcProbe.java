package dev.meshlens.collector.otlp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends raw gRPC messages (bytes a real client would never send) over one HTTP/2 connection, as Envoy's
 * logger and the OpenTelemetry SDK do (OkHttp, the SDK exporter's own transport), and returns each
 * call's grpc-status.
 */
final class GrpcProbe implements AutoCloseable {
    private static final MediaType GRPC = MediaType.get("application/grpc");
    private final OkHttpClient client = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
            .callTimeout(Duration.ofSeconds(20))
            .build();

    int unary(int port, String path, byte[] message) throws Exception {
        byte[] frame = ByteBuffer.allocate(5 + message.length)
                .put((byte) 0)
                .putInt(message.length)
                .put(message)
                .array();
        Request req = new Request.Builder()
                .url("http://127.0.0.1:" + port + path)
                .header("te", "trailers")
                .post(RequestBody.create(frame, GRPC))
                .build();
        try (Response resp = client.newCall(req).execute()) {
            String status = resp.header("grpc-status");
            resp.body().bytes();
            if (status == null) {
                status = resp.trailers().get("grpc-status");
            }
            return Integer.parseInt(status);
        }
    }

    /** One call on a fresh client. */
    static int once(int port, String path, byte[] message) throws Exception {
        try (GrpcProbe p = new GrpcProbe()) {
            return p.unary(port, path, message);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
