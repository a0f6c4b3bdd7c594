package dev.meshlens.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.publish.KafkaPublishIT;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import dev.meshlens.testkit.KafkaService;
import dev.meshlens.testkit.RealServices;
import dev.meshlens.testkit.TestNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's OTLP/gRPC receiver fed by the real OpenTelemetry SDK's gRPC log exporter (the protocol
 * of Envoy's OpenTelemetry access logger) against the testkit's real Kafka broker: an acknowledged export
 * is on the mesh topic, redacted, as OTEL_LOG events.
 */
class CollectorOtlpGrpcIT {
    @TempDir
    Path dir;

    @Test
    void grpcExportLandsOnTheMeshTopicRedacted() throws Exception {
        KafkaService kafka = RealServices.kafka();
        String mesh = TestNames.meshId("istio");
        String yaml = """
        mesh: {id: %s, kind: istio, cluster: east}
        sources:
          otlp: {enabled: true, host: 127.0.0.1, port: 0, grpc_port: 0, format: istio}
          checkpoint_dir: %s/cp
        pipeline: {success_rollup_seconds: 0}   # every record its own event: this test counts them
        kafka: {bootstrap_servers: "%s", create_topic: true, partitions: 1}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(mesh, dir, kafka.bootstrapServers(), dir, dir);
        CollectorConfig cfg = CollectorConfig.parse(yaml, "otlp-grpc-it");
        try (Collector c = new Collector(cfg).start()) {
            assertTrue(c.otlpGrpcPort() > 0, "the gRPC receiver runs beside the HTTP one");
            OtlpGrpcLogRecordExporter exporter = OtlpGrpcLogRecordExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + c.otlpGrpcPort())
                    .setTimeout(Duration.ofSeconds(30))
                    .build();
            SdkLoggerProvider provider = SdkLoggerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "istio-proxy")))
                    // batches, as Envoy's logger does (one export per flush, not a call per record)
                    .addLogRecordProcessor(
                            BatchLogRecordProcessor.builder(exporter).build())
                    .build();
            var logger = provider.get("envoy-als");
            for (int i = 0; i < 10; i++) {
                logger.logRecordBuilder()
                        .setBody(KafkaPublishIT.line(i, i % 2 == 0))
                        .emit();
            }
            assertTrue(provider.forceFlush().join(60, TimeUnit.SECONDS).isSuccess(), "every export acknowledged");
            provider.shutdown().join(10, TimeUnit.SECONDS);

            List<ConsumerRecord<String, byte[]>> got = CollectorEndToEndIT.awaitCount(cfg.topic(), kafka, 10);
            assertEquals(10, got.size());
            int failures = 0;
            for (ConsumerRecord<String, byte[]> r : got) {
                assertFalse(new String(r.value()).contains(KafkaPublishIT.SECRET_JWT), "redacted before Kafka");
                MeshEvent e = EventCodec.get().decodeEvent(r.value());
                assertEquals(SourceKind.OTEL_LOG, e.sourceKind());
                failures += e.isFailure() ? 1 : 0;
            }
            assertEquals(5, failures);

            // the collector's /metrics carries Kafka's producer metrics and the JVM/process meters
            // (families kafka_producer_*, kafka_app_info_*, jvm_*, process_* of dashboards/metric-names.txt)
            String scrape = c.registry().scrape();
            assertTrue(scrape.contains("\nkafka_producer_record_send_total{"), "Kafka producer metrics");
            assertTrue(scrape.contains("\njvm_memory_used_bytes{"), "JVM metrics");
            assertTrue(scrape.contains("\nprocess_cpu_usage"), "process metrics");
            assertTrue(scrape.contains("\nkafka_app_info_"), "Kafka client info");
        }
    }
}
