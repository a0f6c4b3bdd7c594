package dev.meshlens.correlator.bench;

import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.correlator.CorrelationService;
import dev.meshlens.correlator.CorrelatorKeys;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.testkit.EmbeddedKafka;
import dev.meshlens.testkit.KafkaService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Memory benchmark of the correlator (not part of the test suite; run with
 * {@code query-api/bench/correlation-memory.sh}): N concurrently open pairs (a client half whose
 * server half has not arrived, each for a different client/service pair) inside one window, in a
 * JVM with a 512 MB heap, on the real broker; then stream time moves past the window and the
 * retention, and the halves and findings that expired are counted as they leave state.
 */
public final class MemoryBenchmark {
    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path state = Files.createTempDirectory("corr-bench");
        AtomicLong maxHeap = new AtomicLong();
        Thread sampler = new Thread(
                () -> {
                    var mem = ManagementFactory.getMemoryMXBean();
                    while (!Thread.currentThread().isInterrupted()) {
                        maxHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        String external = System.getenv("MESHLENS_KAFKA_BOOTSTRAP");
        EmbeddedKafka embedded = external == null ? EmbeddedKafka.start() : null;
        String bootstrap = external != null ? external : embedded.bootstrapServers();
        KafkaService kafka = embedded != null
                ? embedded
                : new KafkaService() {
                    public String bootstrapServers() {
                        return external;
                    }

                    public boolean external() {
                        return true;
                    }
                };
        String run = Long.toHexString(System.nanoTime());
        String mesh = "bench-" + run;
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            admin.createTopics(List.of(new NewTopic("meshlens.events." + mesh, 4, (short) 1)))
                    .all()
                    .get();
        }
        CorrelationConfig cfg = CorrelationConfig.defaults(bootstrap, state)
                .with(CorrelatorKeys.APPLICATION_ID, "corr-bench-" + run)
                .with(CorrelatorKeys.QUIET_TIME, Duration.ofMinutes(2))
                .with(CorrelatorKeys.RESOLVED_RETENTION, Duration.ofMinutes(3))
                .with(CorrelatorKeys.EVENTS_TOPIC_PATTERN, "meshlens\\.events\\.bench-" + run)
                .with(CorrelatorKeys.FINDINGS_TOPIC, "meshlens.findings.bench-" + run)
                .with(
                        CorrelatorKeys.KAFKA_PROPERTIES,
                        new dev.meshlens.config.ClientProperties(Map.of(
                                "num.stream.threads",
                                "1",
                                "processing.guarantee",
                                "at_least_once",
                                "commit.interval.ms",
                                "5000")));
        Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
        long started = System.nanoTime();
        try (CorrelationService svc = new CorrelationService(cfg).start();
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
            while (svc.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(200);
            }
            for (int i = 0; i < pairs; i++) {
                // all inside 2 s of event time: every pair is open at once (pairing horizon 25 s)
                MeshEvent e = client(mesh, i, t0.plusMillis(i % 2000));
                producer.send(new ProducerRecord<>(
                        "meshlens.events." + mesh,
                        CorrelationKeys.joinKey(e),
                        EventCodec.get().encodeBytes(e)));
            }
            producer.flush();
            waitFor("all halves stored", () -> svc.stats().halvesStored() >= pairs, 900);
            long produced = System.nanoTime();
            System.gc();
            Thread.sleep(500);
            long heapAfterGc =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            Map<String, Long> open = svc.stateStoreCounts();
            long rssOpen = rssKb();
            long diskOpen = du(state);
            System.out.printf(
                    "%nopen pairs: %d halves stored in %.1f s; state stores %s%n",
                    pairs, (produced - started) / 1e9, open);
            System.out.printf(
                    "heap: max used %d MB, used after GC %d MB (limit %d MB); process RSS %d MB; RocksDB dir %d MB%n",
                    maxHeap.get() >> 20,
                    heapAfterGc >> 20,
                    Runtime.getRuntime().maxMemory() >> 20,
                    rssOpen >> 10,
                    diskOpen >> 20);

            // stream time passes the pairing horizon: every half expires into a one-sided finding
            tick(producer, mesh, t0.plusSeconds(60));
            waitFor("halves expired", () -> svc.stats().halvesExpiredOneSided() >= pairs, 900);
            Map<String, Long> afterWindow = svc.stateStoreCounts();
            System.out.printf(
                    "after the window closed: %d halves left the window store as one-sided evidence; stores %s%n",
                    svc.stats().halvesExpiredOneSided(), afterWindow);
            // quiet time (2 min) resolves them, the resolved retention (3 min) removes them
            tick(producer, mesh, t0.plusSeconds(60 + 130));
            waitFor("findings resolved", () -> svc.stats().findingsResolved() >= pairs, 900);
            tick(producer, mesh, t0.plusSeconds(60 + 130 + 200));
            waitFor("findings removed", () -> svc.stats().findingsRemoved() >= pairs, 900);
            Map<String, Long> end = svc.stateStoreCounts();
            System.out.printf(
                    "after quiet time and retention: %d findings resolved, %d removed, %d directory entries"
                            + " removed; stores %s%n",
                    svc.stats().findingsResolved(),
                    svc.stats().findingsRemoved(),
                    svc.stats().directoryRemoved(),
                    end);
            System.out.printf(
                    "max heap used over the run: %d MB of %d MB; total %.1f s%n",
                    maxHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - started) / 1e9);
            System.out.println("stats: " + svc.stats());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
            try (var walk = Files.walk(state)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static MeshEvent client(String mesh, int i, Instant t) {
        String svc = "svc-" + i;
        return MeshEvent.builder()
                .eventId(mesh + "-" + i)
                .observedTime(t)
                .meshId(mesh)
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .localUriSan("spiffe://cluster.local/ns/default/sa/client-" + i)
                .upstreamCluster("outbound|8443||" + svc + ".service.consul")
                .responseCode(503)
                .responseFlags("UF")
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        "verify cert failed: X509_verify_cert: certificate verification error at depth 0: unable to get local"
                                + " issuer certificate",
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED"
                                + ":TLS_error_end"))
                .build();
    }

    /** One event per partition so stream time advances in every task. */
    static void tick(KafkaProducer<String, byte[]> p, String mesh, Instant t) throws Exception {
        for (int i = 0; i < 64; i++) {
            MeshEvent e = MeshEvent.builder()
                    .eventId("tick-" + t + "-" + i)
                    .observedTime(t)
                    .meshId(mesh)
                    .meshKind(MeshKind.ISTIO)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.CLIENT)
                    .direction(Direction.OUTBOUND)
                    .responseCode(200)
                    .responseFlags("-")
                    .localUriSan("spiffe://cluster.local/ns/default/sa/ticker")
                    .upstreamCluster("outbound|80||tick-" + i + ".default.svc.cluster.local")
                    .build();
            p.send(new ProducerRecord<>(
                    "meshlens.events." + mesh,
                    CorrelationKeys.joinKey(e),
                    EventCodec.get().encodeBytes(e)));
        }
        p.flush();
    }

    interface Cond {
        boolean ok();
    }

    static void waitFor(String what, Cond c, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for: " + what);
            }
            Thread.sleep(250);
        }
    }

    static long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    static long du(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }
}
