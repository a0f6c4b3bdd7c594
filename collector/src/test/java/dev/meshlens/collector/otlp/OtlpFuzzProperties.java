package dev.meshlens.collector.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.fuzz.FuzzCorpus;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.events.MeshKind;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing both OTLP receivers with bodies no SDK would send: decoding fails only as IOException, a
 * request is answered 200/OK or 400/INVALID_ARGUMENT (never a 500 or INTERNAL: nothing escapes the
 * stage), and every rejected request is counted as lines.unparseable{reason=otlp_undecodable}.
 * Inputs kept in src/test/resources/fuzz/otlp are replayed on every run.
 */
class OtlpFuzzProperties {
    static final byte[] VALID = ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder()
                    .addScopeLogs(ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.newBuilder()
                                    .setTimeUnixNano(1764324000000000000L)
                                    .setBody(AnyValue.newBuilder().setStringValue(OtlpReceiverTest.FAIL))
                                    .addAttributes(KeyValue.newBuilder()
                                            .setKey("k")
                                            .setValue(AnyValue.newBuilder().setIntValue(7))))))
            .build()
            .toByteArray();

    static CollectorMetrics metrics;
    static OtlpReceiver http;
    static OtlpGrpcReceiver grpc;
    static GrpcProbe probe;
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeContainer
    static void start() throws Exception {
        metrics = CollectorMetrics.noop("istio-east");
        LinePipeline p = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                        new EventOutlet(e -> e, e -> CompletableFuture.completedFuture(null), metrics))
                .format(Presets.ISTIO)
                .build();
        OtlpIngest ingest = new OtlpIngest(p);
        http = new OtlpReceiver(ingest, "127.0.0.1", 0).start();
        grpc = new OtlpGrpcReceiver(ingest, "127.0.0.1", 0).start();
        probe = new GrpcProbe();
    }

    @AfterContainer
    static void stop() throws Exception {
        probe.close();
        grpc.close();
        http.close();
    }

    static double rejected() {
        return metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", "otlp_undecodable");
    }

    /** The oracle: decoding throws nothing but IOException; each receiver answers OK or invalid, and counts the invalid. */
    static void bodyIsSafe(byte[] body) throws Exception {
        try {
            OtlpLogRecords.fromProto(body);
        } catch (IOException expected) {
            // undecodable: the receivers answer 400 / INVALID_ARGUMENT
        }
        try {
            OtlpLogRecords.fromJson(body);
        } catch (IOException expected) {
            // undecodable JSON
        }
        for (String type : new String[] {"application/x-protobuf", "application/json"}) {
            double before = rejected();
            int status = CLIENT.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/v1/logs"))
                                    .header("Content-Type", type)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertTrue(status == 200 || status == 400, () -> type + " answered " + status);
            assertEquals(before + (status == 400 ? 1 : 0), rejected(), "each rejected request counted once");
        }
        double before = rejected();
        int grpcStatus = probe.unary(grpc.port(), "/opentelemetry.proto.collector.logs.v1.LogsService/Export", body);
        assertTrue(grpcStatus == 0 || grpcStatus == 3, () -> "gRPC status " + grpcStatus);
        assertEquals(before + (grpcStatus == 3 ? 1 : 0), rejected(), "each rejected call counted once");
    }

    @Property(tries = 150)
    void anyBodyIsSafe(@ForAll("bodies") byte[] body) throws Exception {
        bodyIsSafe(body);
    }

    @Example
    void corpusOfFoundInputsStaysSafe() throws Exception {
        int n = 0;
        for (byte[] b : FuzzCorpus.bytes("otlp")) {
            bodyIsSafe(b);
            n++;
        }
        assertTrue(n > 0, "the corpus is on the test classpath");
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> mutated = Combinators.combine(
                        Arbitraries.integers().between(0, VALID.length - 1),
                        Arbitraries.bytes(),
                        Arbitraries.integers().between(0, VALID.length))
                .as((pos, val, cut) -> {
                    byte[] m = Arrays.copyOf(VALID, VALID.length - cut);
                    if (m.length > 0) {
                        m[pos % m.length] = val;
                    }
                    return m;
                });
        Arbitrary<byte[]> json = Arbitraries.of(
                        "{",
                        "}",
                        "[",
                        "]",
                        "\"resourceLogs\":",
                        "\"scopeLogs\":",
                        "\"logRecords\":",
                        "\"body\":",
                        "{\"stringValue\":\"x\"}",
                        "\"timeUnixNano\":",
                        "\"99999999999999999999999\"",
                        "-1",
                        "null",
                        "\"attributes\":",
                        "[{\"key\":\"a\",\"value\":{\"kvlistValue\":{}}}]",
                        ",",
                        ":",
                        "\"")
                .list()
                .ofMaxSize(20)
                .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, mutated, json);
    }
}
