package dev.meshlens.correlator;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The correlation topology on a TopologyTestDriver: pipe events per mesh topic, read findings. */
final class Harness implements AutoCloseable {
    final CorrelationConfig cfg;
    final CorrelationStats stats = new CorrelationStats();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CorrelatorMetrics metrics = new CorrelatorMetrics(registry);
    final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private final TestOutputTopic<String, byte[]> output;
    private final Map<String, Finding> latest = new LinkedHashMap<>();
    private final Path stateDir;
    private long tick;

    Harness(CorrelationConfig cfg) throws Exception {
        this(cfg, true);
    }

    Harness(CorrelationConfig cfg, boolean inMemoryStores) throws Exception {
        this.cfg = cfg;
        this.stateDir = cfg.stateDir();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(
                CorrelationTopology.build(cfg, metrics, stats, inMemoryStores),
                p,
                Instant.parse("2026-11-28T00:00:00Z"));
        output = driver.createOutputTopic(cfg.findingsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    static Harness withDefaults() throws Exception {
        return new Harness(defaults());
    }

    static CorrelationConfig defaults() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "corr-test")
                : Files.createTempDirectory("corr-test");
        return CorrelationConfig.defaults("unused:9092", dir).with(CorrelatorKeys.APPLICATION_ID, "corr-test");
    }

    void pipe(MeshEvent e) {
        TestInputTopic<byte[], byte[]> in = inputs.computeIfAbsent(
                "meshlens.events." + e.meshId(),
                t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
        in.pipeInput(null, EventCodec.get().encodeBytes(e), e.observedTime());
    }

    void pipeAll(List<MeshEvent> events) {
        events.forEach(this::pipe);
    }

    /** Advances stream time (a harmless success event of an unrelated pair) so windows close. */
    void advanceTo(Instant t) {
        pipe(MeshEvent.builder()
                .eventId("tick-" + (tick++))
                .observedTime(t)
                .meshId("tick")
                .meshKind(MeshKind.OTHER)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .responseCode(200)
                .responseFlags("-")
                .upstreamCluster("outbound|80||zz-tick.tick.svc.cluster.local")
                .localUriSan("spiffe://tick/ns/t/sa/tick")
                .build());
    }

    void advanceWallClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** Latest state of every finding (excluding the tick pair). */
    Map<String, Finding> findings() {
        while (!output.isEmpty()) {
            var r = output.readRecord();
            Finding f = EventCodec.get().decodeFinding(new String(r.value(), StandardCharsets.UTF_8));
            latest.put(r.key(), f);
        }
        Map<String, Finding> out = new LinkedHashMap<>(latest);
        out.values().removeIf(f -> "tick".equals(f.clientMesh()));
        return out;
    }

    @Override
    public void close() {
        driver.close();
        try (var walk = Files.walk(stateDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
