package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.cli.Collector;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshKind;
import dev.meshlens.localstack.kafka.LocalKafka;
import dev.meshlens.redactor.HashKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 14's scenario with real parts: the collector's spool on a real 8 MB filesystem (a tmpfs
 * mounted for the test; where this machine does not allow a mount, an 8 MB {@link SmallDisk} budget
 * that fails writes as a full disk does), no broker on its address until the spool is full, more lines
 * than the volume can hold. While the spool is full the collector says so (readiness, metric) and stops
 * reading; once a real broker comes up on that address every line arrives exactly once, and no event
 * ever lost its durability.
 */
class SpoolFullIT {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolFullIT.class);
    static final String MESH = "istio-east";
    static final String TOPIC = "meshlens.events." + MESH;
    static final long VOLUME = 8L * 1024 * 1024;
    static final int LINES = 15_000; // ~1,000 bytes an event: about twice what the volume holds

    @TempDir
    Path dir;

    @Test
    void aFullSpoolVolumePausesSourcesAndLosesNothing() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("spool-volume"));
        boolean mounted = mountTmpfs(volume);
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("istio-proxy.log");
        int port = KafkaPublishIT.freePort();
        int controllerPort = KafkaPublishIT.freePort();
        try (Running collector =
                mounted ? new WholeCollector(dir, volume, log, port) : new Pieces(dir, volume, log, port)) {
            writeLines(log, LINES);
            // 1. no broker: the spool fills the volume, then sources wait (nothing is dropped)
            KafkaPublishIT.awaitTrue(
                    () -> collector.readiness().contains("spool full"), 120, "readiness says spool full");
            Thread.sleep(1500);
            long depthWhileFull = collector.publisher().spoolDepth();
            assertTrue(
                    depthWhileFull > 1000 && depthWhileFull < LINES,
                    "the volume holds part of the lines: " + depthWhileFull);
            if (mounted) {
                long free = Files.getFileStore(volume).getUsableSpace();
                assertTrue(
                        free < 2L * 1024 * 1024 && free > 0, "filled to the headroom, not to the last byte: " + free);
            }
            assertEquals(1.0, collector.metric(CollectorMetrics.SPOOL_FULL), "spool_full gauge");
            // 2. the broker comes up on that address: everything drains, sources resume, every line arrives once
            try (LocalKafka kafka = LocalKafka.builder()
                    .port(port)
                    .controllerPort(controllerPort)
                    .dataDir(dir.resolve("kafka"))
                    .start()) {
                KafkaPublishIT.createTopic(kafka.bootstrapServers());
                List<ConsumerRecord<String, byte[]>> got = KafkaPublishIT.consumeAll(kafka.bootstrapServers(), LINES);
                Map<Instant, Integer> times = new HashMap<>();
                for (ConsumerRecord<String, byte[]> r : got) {
                    times.merge(EventCodec.get().decodeEvent(r.value()).observedTime(), 1, Integer::sum);
                }
                assertEquals(LINES, times.size(), "every line arrived");
                assertEquals(LINES, got.size(), "none twice");
                KafkaPublishIT.awaitTrue(() -> collector.readiness().startsWith("ready"), 30, "ready again");
                assertEquals(0.0, collector.metric(CollectorMetrics.SPOOL_FULL));
                assertEquals(0.0, collector.metric(CollectorMetrics.NOT_DURABLE), "no event lost its durability");
                KafkaPublishIT.awaitTrue(() -> collector.publisher().spoolDepth() == 0, 30, "spool empty");
            }
            if (mounted) {
                long free = Files.getFileStore(volume).getUsableSpace();
                assertTrue(
                        free > VOLUME - 512 * 1024, "a drained spool gives its volume back: " + free + " bytes free");
            }
        } finally {
            if (mounted) {
                new ProcessBuilder("umount", "-l", volume.toString())
                        .inheritIO()
                        .start()
                        .waitFor();
            }
        }
    }

    static void writeLines(Path log, int n) throws IOException {
        Instant base = Instant.parse("2026-11-28T10:00:00Z");
        DateTimeFormatter envoyTime =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(KafkaPublishIT.line(envoyTime.format(base.plusMillis(i)), i, i % 20 == 0))
                    .append('\n');
        }
        Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Mounts an 8 MB tmpfs (root on Linux); false where the machine does not allow it. */
    static boolean mountTmpfs(Path at) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + VOLUME, "tmpfs", at.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) {
                return true;
            }
            LOG.warn("cannot mount a small filesystem here ({}); using an 8 MB budgeted disk instead", out.trim());
        } catch (IOException | InterruptedException e) {
            LOG.warn("cannot mount a small filesystem here ({}); using an 8 MB budgeted disk instead", e.toString());
        }
        return false;
    }

    interface Running extends AutoCloseable {
        String readiness() throws Exception;

        double metric(String name);

        KafkaPublisher publisher();
    }

    /** The real collector from its configuration, spool on the mounted volume; readiness over HTTP. */
    static final class WholeCollector implements Running {
        final Collector collector;
        final HttpClient http = HttpClient.newHttpClient();

        WholeCollector(Path dir, Path volume, Path log, int port) throws IOException {
            String yaml = """
          mesh: {id: %s, kind: istio, cluster: east}
          sources:
            files: [{globs: ["%s"], format: istio}]
            checkpoint_dir: %s/cp
            poll_interval_ms: 50
          pipeline: {publish_successes: true, success_rollup_seconds: 0}
          kafka: {bootstrap_servers: "127.0.0.1:%d", create_topic: false, delivery_timeout_ms: 3000}
          spool: {dir: %s/spool}
          dead_letter: {file: %s/dl.jsonl}
          http: {host: 127.0.0.1, port: 0}
          """.formatted(MESH, log, dir, port, volume, dir);
            collector = new Collector(CollectorConfig.parse(yaml, "spool-full-it")).start();
        }

        @Override
        public String readiness() throws Exception {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/readyz"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String status = r.body().replaceAll(".*\"status\":\"([^\"]*)\".*", "$1");
            assertEquals(status.equals("ready") ? 200 : 503, r.statusCode(), r.body());
            return status;
        }

        @Override
        public double metric(String name) {
            var g = collector.registry().find(name).gauge();
            if (g != null) {
                return g.value();
            }
            return collector.registry().find(name).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
        }

        @Override
        public KafkaPublisher publisher() {
            return collector.publisher();
        }

        @Override
        public void close() {
            collector.close();
        }
    }

    /** The same pieces the collector wires, with the spool's filesystem an 8 MB budget. */
    static final class Pieces implements Running {
        final CollectorMetrics metrics = CollectorMetrics.noop(MESH);
        final KafkaPublisher publisher;
        final FileTailer tailer;

        Pieces(Path dir, Path volume, Path log, int port) throws IOException {
            KafkaPublisher.Options opts = new KafkaPublisher.Options(
                    "127.0.0.1:" + port,
                    TOPIC,
                    volume.resolve("spool"),
                    KafkaPublisher.Options.DEFAULT_SPOOL_MAX_BYTES,
                    10_000,
                    Duration.ofSeconds(3),
                    false,
                    1,
                    (short) 1,
                    Map.of());
            publisher = new KafkaPublisher(
                    opts,
                    metrics,
                    new org.apache.kafka.clients.producer.KafkaProducer<>(
                            KafkaPublisher.producerProps(opts),
                            new org.apache.kafka.common.serialization.StringSerializer(),
                            new org.apache.kafka.common.serialization.ByteArraySerializer()),
                    new SmallDisk(VOLUME));
            EventRedactor redactor =
                    EventRedactor.engine(null, HashKey.of("0123456789abcdef0123456789abcdef"), metrics.registry());
            LinePipeline pipeline = LinePipeline.builder(
                            new MeshOrigin(MESH, MeshKind.ISTIO, "east"), new EventOutlet(redactor, publisher, metrics))
                    .format(Presets.ISTIO)
                    .unwrapContainers(true)
                    .build();
            tailer = new FileTailer(new FileTailer.Options(
                    List.of(log.toString()),
                    dir.resolve("cp.json"),
                    64 * 1024,
                    Duration.ofMillis(50),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30)));
            tailer.start(pipeline);
        }

        @Override
        public String readiness() {
            return publisher.spoolFull() == null ? "ready" : "not ready: spool full";
        }

        @Override
        public double metric(String name) {
            var g = metrics.registry().find(name).gauge();
            if (g != null) {
                return g.value();
            }
            return metrics.registry().find(name).counters().stream()
                    .mapToDouble(c -> c.count())
                    .sum();
        }

        @Override
        public KafkaPublisher publisher() {
            return publisher;
        }

        @Override
        public void close() throws Exception {
            tailer.close();
            publisher.close();
        }
    }
}
