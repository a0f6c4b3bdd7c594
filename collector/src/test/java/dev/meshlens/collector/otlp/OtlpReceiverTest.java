package dev.meshlens.collector.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The receiver fed by the real OpenTelemetry Java SDK (OTLP/HTTP protobuf exporter) and by OTLP JSON. */
class OtlpReceiverTest {
    static final String FAIL = "[2026-11-28T10:00:00.000Z] \"GET /x HTTP/1.1\" 503 UF "
            + "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435581:SSL_routines:"
            + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher:TLS_error_end} - "
            + "\"TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher:"
            + "TLS_error_end\" 0 91 3 - \"-\" \"curl\" \"r1\" \"payments:9090\" \"10.2.0.4:9090\" "
            + "outbound|9090||payments.billing.svc.cluster.local - 10.96.0.20:9090 10.2.0.9:50000 - default";
    static final String OK = "[2026-11-28T10:00:01.000Z] \"GET /y HTTP/1.1\" 200 - via_upstream - \"-\" 0 10 2 2 \"-\" "
            + "\"curl\" \"r2\" \"payments:9090\" \"10.2.0.4:9090\" outbound|9090||payments.billing.svc.cluster.local "
            + "10.2.0.9:1 10.96.0.20:9090 10.2.0.9:50001 - default";

    final List<MeshEvent> published = new CopyOnWriteArrayList<>();
    final EventPublisher capture = e -> {
        published.add(e);
        return CompletableFuture.completedFuture(null);
    };

    @Test
    void realSdkExportsProtobufAndJsonIsAccepted() throws Exception {
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"), new EventOutlet(e -> e, capture, metrics))
                .format(Presets.ISTIO)
                .build();
        try (OtlpReceiver r = new OtlpReceiver(new OtlpIngest(p), "127.0.0.1", 0).start()) {
            OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + r.port() + "/v1/logs")
                    .build();
            SdkLoggerProvider provider = SdkLoggerProvider.builder()
                    .setResource(Resource.create(Attributes.of(
                            AttributeKey.stringKey("service.name"),
                            "istio-proxy",
                            AttributeKey.stringKey("k8s.pod.name"),
                            "frontend-6d9f")))
                    .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                    .build();
            var logger = provider.get("envoy-als");
            logger.logRecordBuilder()
                    .setBody(FAIL)
                    .setAttribute(AttributeKey.stringKey("upstream_peer"), "payments")
                    .emit();
            logger.logRecordBuilder().setBody(OK).emit();
            logger.logRecordBuilder().setBody("garbage that fits no format").emit();
            assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "export acknowledged");
            provider.shutdown().join(10, TimeUnit.SECONDS);

            assertEquals(2, published.size());
            MeshEvent f =
                    published.stream().filter(MeshEvent::isFailure).findFirst().orElseThrow();
            assertEquals(FailureCategory.SAN_MISMATCH, f.tls().category());
            assertEquals(SourceKind.OTEL_LOG, f.sourceKind());
            assertEquals("istio-proxy", f.attributes().get("service.name"));
            assertEquals("payments", f.attributes().get("upstream_peer"));
            assertEquals(1.0, metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "prefix_mismatch"));

            String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                    + "{\"stringValue\":\"istio-proxy\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1764324000000000000\","
                    + "\"body\":{\"stringValue\":"
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(FAIL)
                    + "}}]}]}]}";
            HttpResponse<String> resp = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/v1/logs"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode());
            assertEquals(3, published.size());
            HttpResponse<String> bad = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/v1/logs"))
                                    .header("Content-Type", "application/x-protobuf")
                                    .POST(HttpRequest.BodyPublishers.ofString("not protobuf"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertEquals(
                    1.0,
                    metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "otlp_undecodable"),
                    "an undecodable request is counted");
        }
    }

    @Test
    void aPausedPublisherAnswers503AtOnceAndTakesTheRetry() throws Exception {
        AtomicReference<String> paused = new AtomicReference<>("the spool reached spool.max_bytes");
        EventPublisher full = new EventPublisher() {
            @Override
            public CompletableFuture<Void> publish(MeshEvent e) {
                published.add(e);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String paused() {
                return paused.get();
            }
        };
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, full, CollectorMetrics.noop("istio-east")))
                .format(Presets.ISTIO)
                .build();
        try (OtlpReceiver r = new OtlpReceiver(new OtlpIngest(p), "127.0.0.1", 0).start()) {
            String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":"
                    + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(FAIL) + "}}]}]}]}";
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/v1/logs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            HttpResponse<String> refused = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode(), "paused: the sender keeps the records and retries");
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals(0, published.size(), "nothing taken while paused");
            paused.set(null);
            assertEquals(
                    200,
                    HttpClient.newHttpClient()
                            .send(req, HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            assertEquals(1, published.size());
        }
    }
}
