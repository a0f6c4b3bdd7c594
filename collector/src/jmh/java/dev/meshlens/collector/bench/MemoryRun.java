package dev.meshlens.collector.bench;

import dev.meshlens.collector.cli.Collector;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Resident memory of a collector tailing a file written at a fixed rate, publishing to a real broker.
 * Usage (after {@code ./meshlens local-stack} or any broker):
 * {@code java -Xmx96m -cp benchmarks.jar dev.meshlens.collector.bench.MemoryRun BOOTSTRAP [linesPerSecond] [seconds]}.
 * Prints VmRSS / VmHWM from /proc/self/status every 5 s and the lines read and published.
 */
public final class MemoryRun {
    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        TailedCollector tailed = TailedCollector.create("memrun", bootstrap);
        Path log = tailed.log();
        List<String> lines = BenchLines.istio(4096);
        try (Collector c = tailed.start();
                BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            long written = 0;
            long nextReport = 5;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                long due = (long) (elapsed * rate);
                while (written < due) {
                    w.write(lines.get((int) (written % lines.size())));
                    w.write('\n');
                    written++;
                }
                w.flush();
                if (elapsed >= nextReport) {
                    nextReport += 5;
                    double read = c.registry()
                            .find("meshlens.collector.lines.read")
                            .counter()
                            .count();
                    System.out.printf(
                            "t=%3.0fs written=%,d read=%,.0f spool=%d %s%n",
                            elapsed, written, read, c.publisher().spoolDepth(), rss());
                }
                Thread.sleep(10);
            }
        }
    }

    static String rss() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS") || l.startsWith("VmHWM")) {
                sb.append(l.replaceAll("\\s+", " ")).append(' ');
            }
        }
        return sb.toString().trim();
    }
}
