package dev.meshlens.collector.bench;

import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.cli.Collector;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The collector's whole path, measured in CPU time: file bytes → parse → classify → redact → roll up
 * → encode → Kafka, until the broker acknowledged every event the configuration publishes (failures
 * one by one, successes rolled up). A real {@link Collector} with its deployed defaults tails a file
 * of Istio text lines (5% TLS failures, times advancing 10 µs a line) and publishes to a real broker
 * in another process, so the broker's work is not counted.
 *
 * <p>Reported per round: lines per CPU-second of the threads doing the work (the tailing thread and
 * the Kafka producer's I/O thread), and of the whole collector process (GC, JIT and every other
 * thread included); and in the same run, as the baseline, parse + classify of the same lines on one
 * thread. Usage: {@code java -cp benchmarks.jar dev.meshlens.collector.bench.WholePathRun BOOTSTRAP [lines] [rounds]}.
 */
public final class WholePathRun {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        TailedCollector tailed = TailedCollector.create("wholepath", bootstrap);
        Path dir = tailed.dir();
        Path log = tailed.log();
        List<String> sample = monotonic(BenchLines.istio(4096));
        long failures = sample.stream().filter(l -> l.contains(" 503 UF")).count();
        System.out.printf(
                "%,d lines a round, %.1f%% TLS failures; broker %s; %d rounds (the first warms up)%n",
                lines, 100.0 * failures / sample.size(), bootstrap, rounds);
        try (Collector c = tailed.start()) {
            Timer acked =
                    c.registry().find("meshlens.collector.publish.latency").timer();
            long timeOffset = 0;
            for (int round = 0; round < rounds; round++) {
                Path staged = dir.resolve("round-" + round + ".log"); // written before measuring, appended in one copy
                try (BufferedWriter w = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
                    render(sample, lines, timeOffset, w);
                }
                timeOffset += lines;
                long ackedBefore = acked.count();
                double readBefore = c.registry()
                        .find("meshlens.collector.lines.read")
                        .counter()
                        .count();
                Map<Long, Long> before = workerCpu();
                long processBefore = processCpu();
                try (FileChannel in = FileChannel.open(staged);
                        FileChannel out = FileChannel.open(log, StandardOpenOption.APPEND)) {
                    long pos = 0;
                    while (pos < in.size()) {
                        pos += in.transferTo(pos, in.size() - pos, out);
                    }
                }
                Files.delete(staged);
                // Every line read, then quiet: nothing new acknowledged for longer than a roll-up interval (10 s), so
                // the
                // last roll-ups were sent and acknowledged too.
                while (c.registry()
                                        .find("meshlens.collector.lines.read")
                                        .counter()
                                        .count()
                                - readBefore
                        < lines) {
                    Thread.sleep(20);
                }
                long last = acked.count();
                long quietSince = System.nanoTime();
                while (System.nanoTime() - quietSince < 12_000_000_000L
                        || c.publisher().spoolDepth() > 0) {
                    Thread.sleep(100);
                    if (acked.count() != last) {
                        last = acked.count();
                        quietSince = System.nanoTime();
                    }
                }
                long workerNs = delta(before, workerCpu());
                long processNs = processCpu() - processBefore;
                long events = acked.count() - ackedBefore;
                System.out.printf(
                        "round %d%s: %,d lines -> %,d events acknowledged; %,.0f lines per CPU-second of the"
                                + " working threads (%.2f s), %,.0f per CPU-second of the process (%.2f s)%n",
                        round,
                        round == 0 ? " (warm-up)" : "",
                        lines,
                        events,
                        lines / (workerNs / 1e9),
                        workerNs / 1e9,
                        lines / (processNs / 1e9),
                        processNs / 1e9);
            }
        }
        double baseline = parseClassifyBaseline(sample, 3, false);
        System.out.printf(
                "baseline, same run: parse + classify of the same lines on one thread: %,.0f lines per"
                        + " CPU-second%n",
                baseline);
        double fromBytes = parseClassifyBaseline(sample, 3, true);
        System.out.printf(
                "the same, parsed from the bytes of one buffer (as the collector now reads files): %,.0f lines per"
                        + " CPU-second%n",
                fromBytes);
    }

    /** The same lines with Envoy start times advancing 10 µs a line (100,000 lines a second). */
    static List<String> monotonic(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            out.add(l.substring(l.indexOf(']') + 1)); // the time is put back by render()
        }
        return out;
    }

    private static final DateTimeFormatter ENVOY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static void render(List<String> sample, int n, long offset, Appendable out) throws IOException {
        Instant base = Instant.parse("2026-12-06T00:00:00Z");
        for (int i = 0; i < n; i++) {
            out.append('[')
                    .append(ENVOY_TIME.format(base.plusNanos((offset + i) * 10_000L)))
                    .append(']')
                    .append(sample.get(i % sample.size()))
                    .append('\n');
        }
    }

    /** CPU nanoseconds of the threads that do a collector's per-line work, by thread id. */
    static Map<Long, Long> workerCpu() {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo t : MX.dumpAllThreads(false, false)) {
            String name = t.getThreadName();
            if (name.startsWith("meshlens-tail") || name.startsWith("kafka-producer-network-thread")) {
                out.put(t.getThreadId(), MX.getThreadCpuTime(t.getThreadId()));
            }
        }
        return out;
    }

    static long delta(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Parse + classify only, on this thread: the collector's own benchmark, for the ratio. */
    static double parseClassifyBaseline(List<String> sample, double seconds, boolean fromBytes) {
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try {
            render(sample, sample.size(), 0, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String l : text.toString().split("\n")) {
            lines.add(l);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        int[] starts = new int[lines.size() + 1];
        for (int i = 0, at = 0; i < lines.size(); i++) {
            starts[i] = at;
            at += lines.get(i).length() + 1;
            starts[i + 1] = at;
        }
        TlsClassifier classifier = TlsClassifier.INSTANCE;
        ParsedLine parsed = Presets.ISTIO.newParsedLine();
        long sink = 0;
        long until = MX.getCurrentThreadCpuTime() + (long) (seconds * 0.3e9);
        while (MX.getCurrentThreadCpuTime() < until) { // warm-up
            sink += parseClassify(lines, bytes, starts, fromBytes, parsed, classifier);
        }
        long start = MX.getCurrentThreadCpuTime();
        long n = 0;
        while (MX.getCurrentThreadCpuTime() - start < seconds * 1e9) {
            sink += parseClassify(lines, bytes, starts, fromBytes, parsed, classifier);
            n += lines.size();
        }
        if (sink == 42) {
            System.out.print("");
        }
        return n / ((MX.getCurrentThreadCpuTime() - start) / 1e9);
    }

    private static long parseClassify(
            List<String> lines,
            byte[] bytes,
            int[] starts,
            boolean fromBytes,
            ParsedLine parsed,
            TlsClassifier classifier) {
        long sink = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (fromBytes) {
                Presets.ISTIO.parseAscii(bytes, starts[i], starts[i + 1] - 1, parsed);
            } else {
                Presets.ISTIO.parse(lines.get(i), parsed);
            }
            sink += Objects.hashCode(classifier.classify(parsed));
        }
        return sink;
    }
}
