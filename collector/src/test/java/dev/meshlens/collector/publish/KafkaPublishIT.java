package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.localstack.kafka.LocalKafka;
import dev.meshlens.redactor.HashKey;
import dev.meshlens.telemetry.Telemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real Kafka broker (a child process from local-stack, so it can be stopped and restarted
 * on the same port and data): events published through the whole pipeline, the spool while the
 * broker is unreachable (first a closed port, later a stopped broker), replay with nothing lost and
 * nothing duplicated, secrets redacted before anything reaches the topic, trace context in headers.
 */
public class KafkaPublishIT {
    public static final String SECRET_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ";
    static final String TOPIC = "meshlens.events.istio-east";

    @TempDir
    Path dir;

    public static String line(int i, boolean fail) {
        return line("2026-11-28T10:" + String.format("%02d:%02d", i / 60, i % 60) + ".000Z", i, fail);
    }

    /** Line {@code i} at {@code time} (an Envoy START_TIME such as {@code 2026-11-28T10:00:00.000Z}). */
    public static String line(String time, int i, boolean fail) {
        String flags = fail ? "UF,URX" : "-";
        String details = fail
                ? "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:"
                        + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end}"
                : "via_upstream";
        String utfr =
                fail ? "TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end" : "-";
        return "[" + time + "] \"GET /api/orders/" + i + "?access_token="
                + SECRET_JWT + " HTTP/1.1\" " + (fail ? 503 : 200) + " " + flags + " " + details + " - \"" + utfr
                + "\" 0 91 3 - \"203.0.113.7\" \"curl/8.5 user alice@example.com\" \"req-" + i
                + "\" \"backend.shop:8080\" "
                + "\"10.0.0.5:8080\" outbound|8080||backend.shop.svc.cluster.local 10.0.0.9:40000 10.96.0.10:8080 "
                + "10.0.0.9:39999 - default";
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void spoolsWhileTheBrokerIsUnreachableAndReplaysWithoutLossOrDuplicates() throws Exception {
        int port = freePort();
        int controllerPort = freePort();
        Path kafkaData = dir.resolve("kafka");
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        KafkaPublisher.Options opts = new KafkaPublisher.Options(
                "127.0.0.1:" + port,
                TOPIC,
                dir.resolve("spool"),
                64L * 1024 * 1024,
                1000,
                Duration.ofSeconds(4),
                false,
                3,
                (short) 1,
                Map.of());
        EventRedactor redactor =
                EventRedactor.engine(null, HashKey.of("0123456789abcdef0123456789abcdef"), metrics.registry());
        Path log = dir.resolve("logs/istio-proxy.log");
        Files.createDirectories(log.getParent());
        List<String> written = new ArrayList<>();
        try (OpenTelemetrySdk otel = Telemetry.start("meshlens-collector-test");
                KafkaPublisher publisher = new KafkaPublisher(opts, metrics, otel)) {
            LinePipeline pipeline = LinePipeline.builder(
                            new MeshOrigin("istio-east", MeshKind.ISTIO, "east"),
                            new EventOutlet(redactor, publisher, metrics))
                    .format(Presets.ISTIO)
                    .unwrapContainers(true)
                    .build();
            FileTailer.Options topts = new FileTailer.Options(
                    List.of(log.toString()),
                    dir.resolve("cp.json"),
                    64 * 1024,
                    Duration.ofMillis(20),
                    Duration.ZERO,
                    Duration.ofSeconds(1));
            // 1. broker not there (closed port): everything goes to the spool
            appendLines(log, 0, 120, written);
            try (FileTailer tailer = new FileTailer(topts)) {
                tailer.pollOnce(pipeline);
                awaitTrue(() -> publisher.spoolDepth() == 120, 30, "120 events spooled");
                assertTrue(publisher.spooling());
                // 2. the broker appears on that address: the spool drains in order
                try (LocalKafka kafka = LocalKafka.builder()
                        .port(port)
                        .controllerPort(controllerPort)
                        .dataDir(kafkaData)
                        .start()) {
                    createTopic(kafka.bootstrapServers());
                    awaitTrue(() -> publisher.spoolDepth() == 0 && !publisher.spooling(), 90, "spool drained");
                    appendLines(log, 120, 40, written);
                    tailer.pollOnce(pipeline);
                    awaitTrue(
                            () -> tailer.lagBytes() == 0 || pollQuiet(tailer, pipeline),
                            30,
                            "direct sends acknowledged");
                    verify(consumeAll(kafka.bootstrapServers(), 160), written.subList(0, 160));
                }
                // 3. the broker stops: new events spool again; a broker (fresh storage: LocalKafka cannot yet restart
                // on
                // old storage) comes back on the same address and receives exactly the spooled events
                appendLines(log, 160, 30, written);
                tailer.pollOnce(pipeline);
                awaitTrue(() -> publisher.spoolDepth() == 30, 60, "30 events spooled while the broker is down");
                try (LocalKafka kafka = LocalKafka.builder()
                        .port(port)
                        .controllerPort(controllerPort)
                        .dataDir(dir.resolve("kafka2"))
                        .start()) {
                    createTopic(kafka.bootstrapServers());
                    awaitTrue(() -> publisher.spoolDepth() == 0, 90, "spool drained after restart");
                    verify(consumeAll(kafka.bootstrapServers(), 30), written.subList(160, 190));
                }
                tailer.checkpoint();
            }
        }
    }

    static void verify(List<ConsumerRecord<String, byte[]>> got, List<String> written) {
        assertEquals(written.size(), got.size(), "nothing lost, nothing duplicated");
        Set<String> ids = new HashSet<>();
        List<String> requestIds = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : got) {
            String json = new String(r.value(), StandardCharsets.UTF_8);
            assertFalse(json.contains(SECRET_JWT), "token never reaches the topic");
            assertFalse(json.contains("alice@example.com"), "email never reaches the topic");
            assertFalse(json.contains("203.0.113.7"), "client address never reaches the topic");
            MeshEvent e = EventCodec.get().decode(json);
            assertTrue(ids.add(e.eventId()), "duplicate event id " + e.eventId());
            assertEquals("backend", r.key(), "key = join key");
            assertEquals("istio-east", e.meshId());
            Header tp = r.headers().lastHeader("traceparent");
            assertNotNull(tp, "trace context header");
            assertTrue(
                    new String(tp.value(), StandardCharsets.US_ASCII).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]"));
            assertNotNull(e.redaction(), "redaction block present");
        }
        long failures = got.stream()
                .map(r -> EventCodec.get().decodeEvent(r.value()))
                .filter(MeshEvent::isFailure)
                .count();
        assertEquals(written.stream().filter(s -> s.contains(" 503 ")).count(), failures);
        // one key, so one partition: the replay kept the order of the lines (observed times increase with i)
        List<Instant> times = got.stream()
                .map(r -> EventCodec.get().decodeEvent(r.value()).observedTime())
                .toList();
        for (int i = 1; i < times.size(); i++) {
            int prev = i - 1;
            assertTrue(times.get(i).isAfter(times.get(prev)), "order kept at " + i + ": " + times);
        }
    }

    static boolean pollQuiet(FileTailer t, LinePipeline p) {
        try {
            t.pollOnce(p);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return t.lagBytes() == 0;
    }

    public static void appendLines(Path log, int from, int n, List<String> written) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            String l = line(i, i % 5 == 0);
            written.add(l);
            sb.append(l).append('\n');
        }
        Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }

    static List<ConsumerRecord<String, byte[]>> consumeAll(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "it-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(r);
                }
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3); // catch duplicates arriving late
                }
            }
        }
        return out;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check c, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (c.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
