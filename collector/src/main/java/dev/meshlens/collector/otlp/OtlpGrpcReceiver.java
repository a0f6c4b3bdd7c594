package dev.meshlens.collector.otlp;

import dev.meshlens.collector.otlp.OtlpLogRecords.Rec;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC logs receiver ({@code opentelemetry.proto.collector.logs.v1.LogsService/Export}, default port
 * 4317): what Envoy's {@code envoy.access_loggers.open_telemetry} and Istio's {@code envoyOtelAls} provider
 * send. Same mapping ({@link OtlpLogRecords}) and durability contract ({@link OtlpIngest}) as the HTTP
 * receiver: the call completes OK only once every event is durable; while the publisher is paused it
 * answers UNAVAILABLE at once (the gRPC twin of 503 Retry-After, retried by OTLP exporters).
 */
public final class OtlpGrpcReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
    public static final int DEFAULT_PORT = 4317;
    static final ServiceMethod<Buffer, ExportLogsServiceResponse> EXPORT = ServiceMethod.server(
            ServiceName.create("opentelemetry.proto.collector.logs.v1.LogsService"),
            "Export",
            GrpcMessageEncoder.encoder(),
            GrpcMessageDecoder.IDENTITY);

    private final OtlpIngest ingest;
    private final String host;
    private final int port;
    private Vertx vertx;
    private HttpServer server;
    /** Waiting for durability blocks: each call waits on a virtual thread of its own, never on the event loop. */
    private final ExecutorService waiters = Executors.newVirtualThreadPerTaskExecutor();

    public OtlpGrpcReceiver(OtlpIngest ingest, String host, int port) {
        this.ingest = ingest;
        this.host = host;
        this.port = port;
    }

    public OtlpGrpcReceiver start() {
        // One event loop is plenty: decoding is cheap and the waiting happens on virtual threads.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        GrpcServer grpc =
                GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(OtlpReceiver.MAX_BODY_BYTES));
        grpc.callHandler(EXPORT, this::handle);
        try {
            server = vertx.createHttpServer(
                            new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(grpc)
                    .listen()
                    .await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException(
                    "cannot listen for OTLP/gRPC on " + host + ":" + port + " (sources.otlp.grpc_port): "
                            + e.getMessage(),
                    e);
        }
        LOG.info("OTLP/gRPC logs receiver on {}:{}", host, port());
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    private void handle(GrpcServerRequest<Buffer, ExportLogsServiceResponse> call) {
        // Unary: answer once the request has ended (answering while the client still sends leaves its
        // HTTP/2 stream half-open, and such streams pile up on a connection until it stalls).
        Buffer[] message = new Buffer[1];
        call.handler(body -> message[0] = body);
        call.endHandler(v -> answer(call.response(), message[0]));
    }

    private void answer(GrpcServerResponse<Buffer, ExportLogsServiceResponse> response, Buffer body) {
        List<Rec> recs;
        try {
            recs = OtlpLogRecords.fromRequest(
                    ExportLogsServiceRequest.parseFrom(body == null ? new byte[0] : body.getBytes()));
        } catch (Exception e) {
            ingest.rejected("otlp_undecodable");
            fail(response, GrpcStatus.INVALID_ARGUMENT, "cannot decode OTLP logs: " + e.getMessage());
            return;
        }
        // the answer is written back on the call's own event loop, never from the waiting thread
        Context context = vertx.getOrCreateContext();
        Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> ingestOrFail(recs), waiters), context)
                .onComplete(done -> {
                    if (done.failed()) {
                        LOG.warn("OTLP/gRPC request failed: {}", done.cause().toString());
                        fail(response, GrpcStatus.INTERNAL, "internal error");
                        return;
                    }
                    switch (done.result()) {
                        case OtlpIngest.Durable d -> response.send(ExportLogsServiceResponse.getDefaultInstance());
                        case OtlpIngest.Paused p ->
                            fail(response, GrpcStatus.UNAVAILABLE, "collector paused: " + p.reason() + "; retry");
                        case OtlpIngest.NotDurable n ->
                            fail(response, GrpcStatus.UNAVAILABLE, "events not durable yet; retry");
                    }
                });
    }

    /**
     * An error status as trailers after response headers (the form every gRPC client reads), rather than
     * a trailers-only answer: while fuzzing, a long run of trailers-only rejections on one HTTP/2
     * connection stalled it (with Vert.x's own HTTP client as the sender; OtlpGrpcReceiverTest keeps 200
     * rejected calls on one connection as a regression test).
     */
    private static void fail(
            GrpcServerResponse<Buffer, ExportLogsServiceResponse> response, GrpcStatus status, String message) {
        response.writeHead();
        response.status(status).statusMessage(message).end();
    }

    private OtlpIngest.Outcome ingestOrFail(List<Rec> recs) {
        try {
            return ingest.ingest(recs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OtlpIngest.NotDurable("interrupted");
        }
    }

    @Override
    public void close() {
        if (vertx != null) {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the OTLP/gRPC receiver: {}", e.toString());
            }
        }
        waiters.shutdownNow();
    }
}
