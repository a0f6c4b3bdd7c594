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
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The gRPC receiver fed by the real OpenTelemetry Java SDK's OTLP/gRPC log exporter (what Envoy speaks). */
class OtlpGrpcReceiverTest {
    final List<MeshEvent> published = new CopyOnWriteArrayList<>();

    static SdkLoggerProvider provider(OtlpGrpcLogRecordExporter exporter) {
        return SdkLoggerProvider.builder()
                .setResource(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        "istio-proxy",
                        AttributeKey.stringKey("k8s.pod.name"),
                        "frontend-6d9f")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
    }

    static OtlpGrpcLogRecordExporter exporter(int port) {
        return OtlpGrpcLogRecordExporter.builder()
                .setEndpoint("http://127.0.0.1:" + port)
                .setTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void realSdkGrpcExportIsMappedLikeHttpAndAcknowledgedWhenDurable() throws Exception {
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        AtomicInteger durable = new AtomicInteger();
        EventPublisher slowButDurable = e -> {
            published.add(e);
            // durable a little later, on another thread: the call must wait for it
            return CompletableFuture.runAsync(
                    durable::incrementAndGet, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
        };
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, slowButDurable, metrics))
                .format(Presets.ISTIO)
                .build();
        try (OtlpGrpcReceiver r = new OtlpGrpcReceiver(new OtlpIngest(p), "127.0.0.1", 0).start()) {
            SdkLoggerProvider provider = provider(exporter(r.port()));
            var logger = provider.get("envoy-als");
            logger.logRecordBuilder()
                    .setBody(OtlpReceiverTest.FAIL)
                    .setAttribute(AttributeKey.stringKey("upstream_peer"), "payments")
                    .emit();
            logger.logRecordBuilder().setBody(OtlpReceiverTest.OK).emit();
            logger.logRecordBuilder().setBody("garbage that fits no format").emit();
            assertTrue(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess(), "export acknowledged");
            assertEquals(2, durable.get(), "acknowledged only after every event was durable");
            provider.shutdown().join(10, TimeUnit.SECONDS);

            assertEquals(2, published.size());
            MeshEvent f =
                    published.stream().filter(MeshEvent::isFailure).findFirst().orElseThrow();
            assertEquals(FailureCategory.SAN_MISMATCH, f.tls().category());
            assertEquals(SourceKind.OTEL_LOG, f.sourceKind());
            assertEquals("istio-proxy", f.attributes().get("service.name"));
            assertEquals("payments", f.attributes().get("upstream_peer"));
            assertEquals(1.0, metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "prefix_mismatch"));
        }
    }

    @Test
    void aPausedPublisherAnswersUnavailableAndTheExporterRetries() throws Exception {
        AtomicReference<String> paused = new AtomicReference<>("the spool reached spool.max_bytes");
        AtomicInteger refused = new AtomicInteger();
        EventPublisher full = new EventPublisher() {
            @Override
            public CompletableFuture<Void> publish(MeshEvent e) {
                published.add(e);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public String paused() {
                // room again after the first refusal: the exporter's retry must get through
                String why = paused.getAndSet(null);
                if (why != null) {
                    refused.incrementAndGet();
                }
                return why;
            }
        };
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, full, CollectorMetrics.noop("istio-east")))
                .format(Presets.ISTIO)
                .build();
        try (OtlpGrpcReceiver r = new OtlpGrpcReceiver(new OtlpIngest(p), "127.0.0.1", 0).start()) {
            SdkLoggerProvider provider = provider(exporter(r.port()));
            provider.get("envoy-als")
                    .logRecordBuilder()
                    .setBody(OtlpReceiverTest.FAIL)
                    .emit();
            CompletableResultCode flushed = provider.forceFlush().join(20, TimeUnit.SECONDS);
            assertTrue(flushed.isSuccess(), "the UNAVAILABLE answer was retried and then taken");
            assertEquals(1, refused.get(), "refused once while paused");
            assertEquals(1, published.size(), "nothing taken while paused, the retry taken once");
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void garbageIsInvalidArgumentAndCounted() throws Exception {
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, e -> CompletableFuture.completedFuture(null), metrics))
                .format(Presets.ISTIO)
                .build();
        try (OtlpGrpcReceiver r = new OtlpGrpcReceiver(new OtlpIngest(p), "127.0.0.1", 0).start()) {
            int status =
                    GrpcProbe.once(r.port(), "/opentelemetry.proto.collector.logs.v1.LogsService/Export", new byte[] {
                        (byte) 0xff, 0x01, 0x02
                    });
            assertEquals(3, status, "INVALID_ARGUMENT");
            assertEquals(1.0, metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "otlp_undecodable"));
            try (Socket s = new Socket("127.0.0.1", r.port())) {
                assertTrue(s.isConnected(), "the receiver is still serving");
            }
        }
    }

    /** Regression (found by OtlpFuzzProperties): rejected calls sharing one HTTP/2 connection must not stall it. */
    @Test
    void manyRejectedCallsOnOneConnectionAreAllAnswered() throws Exception {
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, e -> CompletableFuture.completedFuture(null), metrics))
                .format(Presets.ISTIO)
                .build();
        try (OtlpGrpcReceiver r = new OtlpGrpcReceiver(new OtlpIngest(p), "127.0.0.1", 0).start();
                GrpcProbe probe = new GrpcProbe()) {
            for (int i = 0; i < 200; i++) {
                assertEquals(
                        3,
                        probe.unary(r.port(), "/opentelemetry.proto.collector.logs.v1.LogsService/Export", new byte[] {
                            (byte) 0xff, 1, 2
                        }),
                        "call " + i);
            }
            assertEquals(200.0, metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "otlp_undecodable"));
        }
    }
}
