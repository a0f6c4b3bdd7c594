package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.pipeline.EventOutlet;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.collector.tail.Checkpoints;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshKind;
import dev.meshlens.redactor.HashKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Random sequences of new lines, broker outages, full disks and collector restarts, through the real
 * tailer, pipeline, publisher and spool; only the broker (Kafka's own {@link MockProducer}, answered by
 * a thread that acknowledges or fails every send by the broker's state) and the disk's size (a
 * {@link SmallDisk} budget over real files) are stand-ins, so an outage or a full disk can happen many
 * times a second. {@code KafkaPublishIT} and {@code SpoolFullIT} show the same with a real broker and a
 * real small filesystem.
 *
 * <p>What must hold: every line reaches the broker; nothing reaches it that was not a line; without a
 * restart nothing reaches it twice (with one, only what the last checkpoint had not passed may be sent
 * again, and its stable event id absorbs it); and at every restart the checkpoint has passed only lines
 * whose events were acknowledged or are in the spool.
 */
class SpoolDurabilityProperties {
    enum Step {
        APPEND,
        APPEND_MANY,
        BROKER_DOWN,
        BROKER_UP,
        DISK_FULL,
        DISK_FREE,
        RESTART
    }

    static final String MESH = "istio-east";

    @Property(tries = 25)
    void noLineIsLostNorSentTwiceWithoutARestart(@ForAll @Size(min = 3, max = 12) List<Step> steps) throws Exception {
        try (World w = new World()) {
            boolean restarted = false;
            for (Step s : steps) {
                switch (s) {
                    case APPEND -> w.append(7);
                    case APPEND_MANY -> w.append(40);
                    case BROKER_DOWN -> w.brokerUp = false;
                    case BROKER_UP -> w.brokerUp = true;
                    case DISK_FULL -> w.disk.capacity = w.disk.used();
                    case DISK_FREE -> w.disk.capacity = 1L << 30;
                    case RESTART -> {
                        w.restart();
                        restarted = true;
                    }
                }
                Thread.sleep(25);
            }
            w.brokerUp = true;
            w.disk.capacity = 1L << 30;
            w.awaitAllAcknowledged(Duration.ofSeconds(30));
            Map<Instant, Integer> seen = w.acknowledgedTimes();
            assertEquals(new HashSet<>(w.lineTimes), seen.keySet(), "every line acknowledged, nothing else: " + steps);
            if (!restarted) {
                seen.forEach(
                        (t, n) -> assertEquals(1, n, "sent once without a restart: line at " + t + " in " + steps));
            }
            assertEquals(0.0, w.notDurableWithoutRestart(), "no event lost its durability while the collector ran");
        }
    }

    /** One collector (tailer, pipeline, publisher, spool) over a log file, a broker and a small disk. */
    static final class World implements AutoCloseable {
        final Path dir;
        final Path log;
        final Path spoolDir;
        final Path checkpoint;
        final SmallDisk disk = new SmallDisk(1L << 30);
        final List<Instant> lineTimes = new ArrayList<>();
        final List<Long> lineEnds = new ArrayList<>();
        final List<byte[]> acknowledged = new CopyOnWriteArrayList<>();
        volatile boolean brokerUp = true;
        volatile boolean stop;
        long fileSize;
        double notDurableAtRestarts;
        MockProducer<String, byte[]> producer;
        Thread broker;
        KafkaPublisher publisher;
        CollectorMetrics metrics;
        FileTailer tailer;

        World() throws Exception {
            dir = Files.createTempDirectory("spool-prop");
            log = dir.resolve("istio-proxy.log");
            spoolDir = dir.resolve("spool");
            checkpoint = dir.resolve("cp.json");
            Files.createFile(log);
            start();
        }

        void start() throws Exception {
            producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
            MockProducer<String, byte[]> p = producer;
            stop = false;
            broker = Thread.ofPlatform().daemon(true).start(() -> answer(p));
            metrics = CollectorMetrics.noop(MESH);
            // A small spool (its bound is reached often) and short timeouts, so each try takes a second.
            KafkaPublisher.Options opts = new KafkaPublisher.Options(
                    "unused:9092",
                    "meshlens.events." + MESH,
                    spoolDir,
                    16 * 1024,
                    50,
                    Duration.ofMillis(200),
                    false,
                    1,
                    (short) 1,
                    Map.of(),
                    0);
            publisher = new KafkaPublisher(opts, metrics, producer, disk);
            EventRedactor redactor =
                    EventRedactor.engine(null, HashKey.of("0123456789abcdef0123456789abcdef"), metrics.registry());
            LinePipeline pipeline = LinePipeline.builder(
                            new MeshOrigin(MESH, MeshKind.ISTIO, "east"), new EventOutlet(redactor, publisher, metrics))
                    .format(Presets.ISTIO)
                    .build();
            tailer = new FileTailer(new FileTailer.Options(
                    List.of(log.toString()),
                    checkpoint,
                    64 * 1024,
                    Duration.ofMillis(5),
                    Duration.ZERO,
                    Duration.ofSeconds(30)));
            tailer.start(pipeline);
        }

        /** The broker: acknowledges every send while up, fails it as a lost connection does while down. */
        private void answer(MockProducer<String, byte[]> p) {
            int answered = 0;
            while (!stop) {
                boolean any = false;
                while (true) {
                    boolean up = brokerUp;
                    boolean did = up ? p.completeNext() : p.errorNext(new NetworkException("broker down"));
                    if (!did) {
                        break;
                    }
                    List<ProducerRecord<String, byte[]>> history = p.history();
                    if (up) {
                        acknowledged.add(history.get(answered).value());
                    }
                    answered++;
                    any = true;
                }
                if (!any) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        void append(int n) throws Exception {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < n; k++) {
                int i = lineTimes.size();
                String line = KafkaPublishIT.line(i, i % 4 == 0);
                lineTimes.add(Instant.parse("2026-11-28T10:" + String.format("%02d:%02d", i / 60, i % 60) + ".000Z"));
                fileSize += line.getBytes(StandardCharsets.UTF_8).length + 1;
                lineEnds.add(fileSize);
                sb.append(line).append('\n');
            }
            Files.writeString(log, sb, StandardOpenOption.APPEND);
        }

        /**
         * Stops the collector as a restart does, checks that its checkpoint passed only durable lines (the
         * broker has them, or the spool does), and starts a new one on the same files.
         */
        void restart() throws Exception {
            tailer.close();
            publisher.close();
            notDurableAtRestarts += metrics.count(CollectorMetrics.NOT_DURABLE, "reason", "closed")
                    + metrics.count(CollectorMetrics.NOT_DURABLE, "reason", "spool_sync_failed");
            stop = true;
            broker.join(2000);
            long passed = new Checkpoints(checkpoint)
                    .load().values().stream()
                            .mapToLong(Checkpoints.Entry::offset)
                            .max()
                            .orElse(0);
            Set<Instant> durable = new HashSet<>(acknowledgedTimes().keySet());
            try (DiskSpool spool = new DiskSpool(spoolDir, 1 << 30, 1 << 20, 0, disk)) {
                for (DiskSpool.Entry e : spool.peek(Integer.MAX_VALUE)) {
                    durable.add(EventCodec.get().decodeEvent(e.record().value()).observedTime());
                }
            }
            for (int i = 0; i < lineTimes.size() && lineEnds.get(i) <= passed; i++) {
                assertTrue(
                        durable.contains(lineTimes.get(i)),
                        "the checkpoint (" + passed + ") passed line " + i
                                + ", which neither the broker nor the spool holds");
            }
            start();
        }

        Map<Instant, Integer> acknowledgedTimes() {
            Map<Instant, Integer> out = new HashMap<>();
            for (byte[] v : acknowledged) {
                out.merge(EventCodec.get().decodeEvent(v).observedTime(), 1, Integer::sum);
            }
            return out;
        }

        double notDurableWithoutRestart() {
            return metrics.count(CollectorMetrics.NOT_DURABLE, "reason", "spool_sync_failed");
        }

        void awaitAllAcknowledged(Duration max) throws Exception {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                if (acknowledgedTimes().keySet().containsAll(lineTimes)) {
                    Thread.sleep(100); // a late duplicate would show now
                    return;
                }
                Thread.sleep(20);
            }
        }

        @Override
        public void close() throws Exception {
            tailer.close();
            publisher.close();
            stop = true;
            broker.join(2000);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
