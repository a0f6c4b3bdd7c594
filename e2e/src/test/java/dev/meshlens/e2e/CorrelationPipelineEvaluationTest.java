package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.event.EventMapper;
import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.format.JsonFormat;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.format.TextFormat;
import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.correlator.CorrelationStats;
import dev.meshlens.correlator.CorrelationTopology;
import dev.meshlens.correlator.CorrelatorMetrics;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.simulator.EnvoyFormats;
import dev.meshlens.simulator.ExpectedFinding;
import dev.meshlens.simulator.Scenario;
import dev.meshlens.simulator.ScenarioGenerator;
import dev.meshlens.simulator.SimLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on generated scenarios: the simulator's Envoy lines (Istio text, Consul JSON,
 * listener logs) go through the collector's real format parser, TLS classifier and event mapper;
 * the events go through the correlation topology; findings are scored against the ground truth.
 * Admin polls (ssl.* deltas, /certs, trust bundles) are taken from the simulator's ground-truth
 * events (the collector's admin scraper is tested in its own module).
 */
class CorrelationPipelineEvaluationTest {
    static final int SCENARIOS = 100;

    static final TextFormat ISTIO_LISTENER = TextFormat.compile("istio-listener", EnvoyFormats.ISTIO_LISTENER_TEXT);
    static final JsonFormat CONSUL_LISTENER;

    static {
        Map<String, String> m = new LinkedHashMap<>(Presets.CONSUL_JSON_FORMAT);
        m.put("downstream_transport_failure_reason", "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%");
        CONSUL_LISTENER = JsonFormat.compile("consul-listener", m);
    }

    @Test
    void simulatorLinesThroughCollectorAndCorrelator() throws Exception {
        int expected = 0;
        int produced = 0;
        int matched = 0;
        int direction = 0;
        int state = 0;
        int lines = 0;
        int unparsed = 0;
        int halfMismatches = 0;
        List<String> notes = new ArrayList<>();
        for (long seed = 1; seed <= SCENARIOS; seed++) {
            Scenario s = ScenarioGenerator.generate(seed);
            List<MeshEvent> events = new ArrayList<>();
            Map<String, Long> position = new HashMap<>();
            for (SimLine l : s.lines()) {
                if (!l.isLogLine()) {
                    events.add(l.expected());
                    continue;
                }
                lines++;
                MeshEvent e = collect(l, position.merge(l.meshId() + "/" + l.envoy() + "/" + l.file(), 1L, Long::sum));
                if (e == null) {
                    unparsed++;
                    if (notes.size() < 10) {
                        notes.add("unparsed: " + l.text());
                    }
                } else {
                    events.add(e);
                    String diff = SimulatorHalvesClassificationTest.difference(
                            l.expected(), notAHandshake(e) ? withoutFailure(e) : e);
                    if (diff != null) {
                        halfMismatches++;
                        if (notes.size() < 10) {
                            notes.add("half: " + diff + " :: " + l.text());
                        }
                    }
                }
            }
            Map<String, Finding> findings = correlate(s, seed, events);
            Map<String, Finding> byKey = new HashMap<>();
            findings.values().forEach(f -> byKey.put(key(f), f));
            produced += byKey.size();
            expected += s.expected().size();
            for (ExpectedFinding x : s.expected()) {
                Finding f = byKey.remove(x.key());
                if (f == null) {
                    notes.add(s.description() + " :: missing " + x.key() + " " + x.rejectedBy());
                    continue;
                }
                matched++;
                if (f.rejectedBy() == x.rejectedBy()) {
                    direction++;
                } else {
                    notes.add(s.description() + " :: direction " + f.rejectedBy() + " expected " + x.rejectedBy());
                }
                if (f.state() == x.finalState()) {
                    state++;
                }
            }
            for (Finding f : byKey.values()) {
                notes.add(s.description() + " :: extra " + key(f) + " " + f.rejectedBy() + " count " + f.count());
            }
        }
        double precision = produced == 0 ? 0 : (double) matched / produced;
        double recall = expected == 0 ? 0 : (double) matched / expected;
        System.out.printf(
                "%n=== end-to-end evaluation: simulator lines -> collector parser + classifier -> correlation ==="
                        + "%nscenarios %d, log lines %d (unparsed %d, classified unlike the simulator meant %d)"
                        + "%nexpected findings %d, produced %d, matched %d%n"
                        + "precision %.4f  recall %.4f  direction correct %d/%d  final state correct %d/%d%n",
                SCENARIOS,
                lines,
                unparsed,
                halfMismatches,
                expected,
                produced,
                matched,
                precision,
                recall,
                direction,
                matched,
                state,
                matched);
        notes.stream().limit(25).forEach(n -> System.out.println("  " + n));
        assertEquals(0, unparsed, "every simulated line parses");
        assertEquals(
                0, halfMismatches, "every half classifies as the simulator meant it (category, rejected_by, role)");
        assertTrue(precision >= 0.99, "precision " + precision);
        assertTrue(recall >= 0.99, "recall " + recall);
        assertEquals(matched, direction, "direction correct in every case");
    }

    /** One line through the collector's parser, classifier and mapper, as a file-tail source of that Envoy would. */
    static MeshEvent collect(SimLine l, long position) {
        boolean istio = l.expected().meshKind() == MeshKind.ISTIO;
        boolean listener = "listener.log".equals(l.file());
        LineFormat format = istio
                ? (listener ? ISTIO_LISTENER : Presets.ISTIO)
                : (listener ? CONSUL_LISTENER : Presets.CONSUL_JSON);
        ParsedLine p = format.newParsedLine();
        if (format.parse(l.text(), p) != ParseStatus.OK) {
            return null;
        }
        Verdict v = TlsClassifier.INSTANCE.classify(p);
        SourceContext ctx = new SourceContext(
                l.meshId(),
                l.expected().meshKind(),
                l.expected().cluster(),
                SourceKind.ACCESS_LOG,
                "file:/var/log/envoy/" + l.envoy() + "/" + l.file());
        MeshEvent e = EventMapper.toEvent(ctx, position, p, v, l.at());
        // what the collector's source configuration knows about the Envoy it tails: its workload and identity
        MeshEvent.Builder b = e.toBuilder();
        if (e.localUriSan() == null) {
            b.localUriSan(l.expected().localUriSan());
        }
        Map<String, String> attrs = new LinkedHashMap<>(e.attributes());
        attrs.putIfAbsent("workload", l.envoy());
        b.attributes(attrs);
        if (e.observerRole() == null && listener) {
            b.observerRole(ObserverRole.SERVER); // a listener log only holds inbound connections
        }
        return b.build();
    }

    /**
     * The collector names a failure without any connection attempt (UH: no healthy upstream) a connect
     * failure; the simulator's truth and the correlator (Observations.notAHandshake) see no handshake in it.
     */
    static boolean notAHandshake(MeshEvent e) {
        return e.tls() != null
                && e.tls().category() == FailureCategory.UPSTREAM_CONNECT_FAILURE
                && e.upstreamTransportFailureReason() == null
                && e.responseFlags() != null
                && !e.responseFlags().contains("UF")
                && !e.responseFlags().contains("URX");
    }

    static MeshEvent withoutFailure(MeshEvent e) {
        return e.toBuilder().tls(null).build();
    }

    static String key(Finding f) {
        return f.clientMesh() + "|" + f.clientIdentity() + "|" + f.serverMesh() + "|" + f.serverService() + "|"
                + f.category();
    }

    static Map<String, Finding> correlate(Scenario s, long seed, List<MeshEvent> events) throws Exception {
        Random r = new Random(seed);
        Map<String, Long> lag = new HashMap<>();
        s.meshIds().forEach(m -> lag.put(m, (long) r.nextInt(2000)));
        List<MeshEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(e -> e.observedTime().toEpochMilli() + lag.getOrDefault(e.meshId(), 0L)));
        return correlateEvents(ordered);
    }

    /** Events, in the order given, through the correlation topology; the last state of every finding. */
    static Map<String, Finding> correlateEvents(List<MeshEvent> ordered) throws Exception {
        Path dir = Files.createTempDirectory(
                Files.isWritable(Path.of("/dev/shm"))
                        ? Path.of("/dev/shm")
                        : Path.of(System.getProperty("java.io.tmpdir")),
                "e2e-corr");
        CorrelationConfig cfg = CorrelationConfig.defaults("unused:9092", dir)
                .with(dev.meshlens.correlator.CorrelatorKeys.APPLICATION_ID, "e2e-corr");
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, cfg.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Map<String, Finding> latest = new LinkedHashMap<>();
        try (TopologyTestDriver d = new TopologyTestDriver(
                CorrelationTopology.build(cfg, CorrelatorMetrics.none(), new CorrelationStats(), true), p)) {
            Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
            Instant end = Instant.EPOCH;
            for (MeshEvent e : ordered) {
                inputs.computeIfAbsent(
                                "meshlens.events." + e.meshId(),
                                t -> d.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
                        .pipeInput(null, EventCodec.get().encodeBytes(e), e.observedTime());
                end = e.observedTime().isAfter(end) ? e.observedTime() : end;
            }
            MeshEvent tick = MeshEvent.builder()
                    .eventId("tick")
                    .observedTime(end.plus(Duration.ofMinutes(2)))
                    .meshId("tick")
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.CLIENT)
                    .responseCode(200)
                    .responseFlags("-")
                    .upstreamCluster("outbound|80||zz-tick.svc")
                    .build();
            d.createInputTopic("meshlens.events.tick", new ByteArraySerializer(), new ByteArraySerializer())
                    .pipeInput(null, EventCodec.get().encodeBytes(tick), tick.observedTime());
            TestOutputTopic<String, byte[]> out =
                    d.createOutputTopic(cfg.findingsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
            while (!out.isEmpty()) {
                var rec = out.readRecord();
                latest.put(rec.key(), EventCodec.get().decodeFinding(new String(rec.value(), StandardCharsets.UTF_8)));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        latest.values().removeIf(f -> "tick".equals(f.clientMesh()));
        return latest;
    }

    static {
        // referenced so an unused import of the taxonomy types does not hide a compile problem
        FailureCategory.values();
        RejectedBy.values();
    }
}
