package dev.meshlens.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.collector.event.MeshOrigin;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.collector.tail.FileTailer;
import dev.meshlens.collector.tail.LineSink;
import dev.meshlens.collector.tail.SourceLines;
import dev.meshlens.collector.tail.TailedLine;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A followed file read the way the collector reads it now (a plain ASCII line parsed from the tailer's read
 * buffer, no {@code String} made) gives exactly what the text path gives for the same file: the same events,
 * roll-ups, counts per format and per misfit reason, and dead-letter samples. The text path is the same
 * pipeline fed each line as decoded text ({@link TailedLine#detached()}), as every line was read before.
 * The file mixes what the bytes path must get right: lines cut by the end of a read buffer (the file spans
 * many 64 KiB reads), CRLF endings, non-ASCII UTF-8, invalid UTF-8, NUL bytes, lines longer than the limit,
 * empty lines, misfits, CRI pieces (complete and partial) and Docker JSON lines.
 */
class TailedBytesPathTest {
    static final int MAX_LINE_BYTES = 4096;
    static final String[] SERVICES = {"catalog", "cart", "ratings", "payments"};
    static final String TLS =
            "TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end";

    @TempDir
    Path dir;

    /** What one run produced. */
    record Run(List<MeshEvent> events, List<Double> counts, List<String> deadLetters, int asciiLines) {}

    static String istio(Random r, int i, String authority, String userAgent) {
        boolean fail = r.nextInt(20) == 0;
        String svc = SERVICES[r.nextInt(SERVICES.length)];
        return "[2026-12-06T10:00:" + String.format("%02d.%03d", i / 1000 % 60, i % 1000) + "Z] \"GET /items/"
                + "x".repeat(r.nextInt(300)) + " HTTP/1.1\" " + (fail ? "503 UF,URX" : "200 -") + " "
                + (fail
                        ? "upstream_reset_before_response_started{remote_connection_failure|" + TLS + "}"
                        : "via_upstream")
                + " - \"" + (fail ? TLS : "-") + "\" 0 120 3 2 \"-\" \"" + userAgent + "\" \"req-" + i + "\" \""
                + (authority != null ? authority : svc + ":8080") + "\" \"10.244.0.15:8080\" outbound|8080||" + svc
                + ".shop.svc.cluster.local 10.244.0.9:41234 10.96.0.1:8080 10.244.0.9:51230 - default";
    }

    /** The file: ~1 MB of Istio lines with every awkward case spread through it. */
    static byte[] file() {
        Random r = new Random(11);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 2500; i++) {
            String ua = "curl/8.5.0";
            String authority = null;
            String end = "\n";
            String prefix = "";
            switch (i % 50) {
                case 3 -> end = "\r\n";
                case 7 -> ua = "Mozilla/5.0 (Linux; de-AT) Größe/1.0";
                case 9 -> authority = "café.example:8080";
                case 11 -> prefix = "2026-12-06T10:00:00.123456789Z stdout F ";
                case 13 -> {
                    out.writeBytes("2026-12-06T10:00:00.1Z stderr P ".getBytes(StandardCharsets.US_ASCII));
                    String whole = istio(r, i, null, ua);
                    out.writeBytes(whole.substring(0, 40).getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes("\n2026-12-06T10:00:00.2Z stderr F ".getBytes(StandardCharsets.US_ASCII));
                    out.writeBytes((whole.substring(40) + "\n").getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                case 17 -> {
                    out.writeBytes(("{\"log\":\""
                                    + istio(r, i, null, ua)
                                            .replace("\\", "\\\\")
                                            .replace("\"", "\\\"")
                                    + "\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-06T10:00:00Z\"}\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                case 19 -> {
                    out.writeBytes("this is not an access-log line\n".getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                case 21 -> {
                    out.writeBytes("\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                case 23 -> {
                    out.writeBytes(new byte[] {'[', 0, ']', '\n'});
                    continue;
                }
                case 27 -> {
                    out.writeBytes(new byte[] {'[', (byte) 0xC3, '(', ']', '\n'});
                    continue;
                }
                case 29 -> ua = "u".repeat(MAX_LINE_BYTES); // cut at the limit: too_long
                case 31 -> {
                    // exactly at the limit: kept whole
                    String l = istio(r, i, null, "<UA>");
                    String whole = l.replace("<UA>", "v".repeat(MAX_LINE_BYTES - (l.length() - 4)));
                    out.writeBytes((whole + "\n").getBytes(StandardCharsets.US_ASCII));
                    continue;
                }
                default -> {}
            }
            out.writeBytes((prefix + istio(r, i, authority, ua) + end).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    Run run(String name, boolean unwrap, boolean rollUp, boolean asText) throws Exception {
        List<MeshEvent> published = new ArrayList<>();
        EventPublisher capture = e -> {
            synchronized (published) {
                published.add(e);
            }
            return CompletableFuture.completedFuture(null);
        };
        CollectorMetrics metrics = CollectorMetrics.noop("istio-east");
        Path dl = dir.resolve(name + "-dl.jsonl");
        SuccessRollups rollups = rollUp ? new SuccessRollups(capture, Duration.ofHours(1), 100_000) : null;
        LinePipeline pipeline = LinePipeline.builder(
                        new MeshOrigin("istio-east", MeshKind.ISTIO, "east"), new EventOutlet(e -> e, capture, metrics))
                .format(Presets.ISTIO)
                .unwrapContainers(unwrap)
                .successRollups(rollups)
                .deadLetters(new DeadLetters(dl, 10_000_000))
                .build();
        AtomicInteger ascii = new AtomicInteger();
        LineSink sink = source -> {
            SourceLines lines = pipeline.open(source);
            return line -> {
                if (line.ascii()) {
                    ascii.incrementAndGet();
                }
                return lines.accept(asText ? line.detached() : line);
            };
        };
        try (FileTailer t = new FileTailer(new FileTailer.Options(
                List.of(dir.resolve("proxy.log").toString()),
                dir.resolve(name + "-cp.json"),
                MAX_LINE_BYTES,
                Duration.ofMillis(10),
                Duration.ZERO,
                Duration.ZERO))) {
            while (t.pollOnce(sink) > 0) {
                // until the file is read
            }
        }
        if (rollups != null) {
            rollups.flushAll();
        }
        List<Double> counts = new ArrayList<>();
        counts.add(metrics.count(CollectorMetrics.LINES_READ));
        counts.add(metrics.count(CollectorMetrics.LINES_PARSED, "format", "istio"));
        for (String reason : List.of("too_long", "invalid_utf8", "binary", "prefix_mismatch", "literal_not_found")) {
            counts.add(metrics.count(CollectorMetrics.LINES_UNPARSEABLE, "reason", reason));
        }
        counts.add(metrics.count(CollectorMetrics.EVENTS, "category", "none", "rejected_by", "none"));
        ObjectMapper m = new ObjectMapper();
        List<String> samples = new ArrayList<>();
        for (String l : Files.readAllLines(dl)) {
            ObjectNode o = (ObjectNode) m.readTree(l);
            o.remove("time");
            samples.add(o.toString());
        }
        published.sort(Comparator.comparing(MeshEvent::eventId));
        return new Run(List.copyOf(published), counts, samples, ascii.get());
    }

    void assertSameAsTheTextPath(boolean unwrap, boolean rollUp) throws Exception {
        byte[] content = file();
        assertTrue(content.length > 12 * 65536, "the file spans many read buffers: lines are cut by their ends");
        Files.write(dir.resolve("proxy.log"), content);
        Run bytes = run("bytes", unwrap, rollUp, false);
        Run text = run("text", unwrap, rollUp, true);
        assertEquals(text.counts(), bytes.counts(), "lines read, parsed, misfits per reason, healthy events");
        assertEquals(text.deadLetters(), bytes.deadLetters());
        assertEquals(text.events().size(), bytes.events().size());
        for (int i = 0; i < text.events().size(); i++) {
            assertEquals(text.events().get(i), bytes.events().get(i), "event " + i);
        }
        assertTrue(bytes.asciiLines() > 2000, "plain ASCII lines reach the pipeline as bytes: " + bytes.asciiLines());
    }

    @Test
    void everyLineAsEventIsTheSameFromBytesAsFromText() throws Exception {
        assertSameAsTheTextPath(false, false);
        Run run = run("again", false, false, false);
        // and the cases are really there
        assertTrue(run.counts().get(2) >= 50, "too_long lines: " + run.counts().get(2));
        assertTrue(run.counts().get(3) >= 50 && run.counts().get(4) >= 50, "invalid UTF-8 and NUL lines");
        assertTrue(
                run.events().stream().anyMatch(e -> "café.example:8080".equals(e.authority())),
                "a non-ASCII line is read as UTF-8");
        assertTrue(run.events().stream()
                .anyMatch(e -> e.userAgent() != null && e.userAgent().endsWith("Größe/1.0")));
        assertTrue(
                run.events().stream()
                        .anyMatch(e -> e.userAgent() != null && e.userAgent().startsWith("vvvv")),
                "a line of exactly the limit is kept whole");
        assertTrue(run.events().stream()
                .anyMatch(e -> e.tls() != null && e.tls().category() == FailureCategory.CERT_REJECTED));
        assertTrue(run.events().stream()
                .noneMatch(e -> e.requestId() != null && e.requestId().endsWith("\r")));
    }

    @Test
    void containerLinesAndRollUpsAreTheSameFromBytesAsFromText() throws Exception {
        assertSameAsTheTextPath(true, true);
    }

    @Test
    void aMisfitIsSetAsideWithItsTextAndReason() throws Exception {
        Files.write(dir.resolve("proxy.log"), file());
        Run run = run("misfits", true, false, false);
        assertTrue(
                run.deadLetters().stream()
                        .anyMatch(s -> s.contains("\"sample\":\"this is not an access-log line\"")
                                && s.contains("\"reason\":\"" + ParseStatus.PREFIX_MISMATCH.tag() + "\"")),
                () -> run.deadLetters().subList(0, 3).toString());
    }
}
