package dev.meshlens.collector.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {
    @TempDir
    Path dir;

    final List<TailedLine> got = new ArrayList<>();
    final LineSink sink = source -> line -> {
        got.add(line.detached()); // the line's bytes are the read buffer, reused after accept
        return null;
    };

    FileTailer tailer(String glob) {
        return new FileTailer(new FileTailer.Options(
                List.of(dir.resolve(glob).toString()),
                dir.resolve("state/cp.json"),
                64,
                Duration.ofMillis(10),
                Duration.ZERO,
                Duration.ZERO));
    }

    void append(Path f, String s) throws Exception {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    List<String> texts() {
        return got.stream().map(TailedLine::text).toList();
    }

    @Test
    void partialLinesWaitForTheirNewlineAndNewFilesAreFound() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "one\ntw");
        try (FileTailer t = tailer("*.log")) {
            t.pollOnce(sink);
            assertEquals(List.of("one"), texts());
            append(a, "o\r\n");
            append(dir.resolve("b.log"), "bee\n");
            t.pollOnce(sink);
            assertEquals(List.of("one", "two", "bee"), texts());
            assertEquals(4, got.get(1).offset());
            assertEquals(9, got.get(1).endOffset());
        }
    }

    @Test
    void restartResumesFromTheCheckpointWithStableIdentity() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "l1\nl2\n");
        String identity;
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(sink);
            identity = got.get(0).source().identity();
        }
        append(a, "l3\n");
        got.clear();
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(sink);
        }
        assertEquals(List.of("l3"), texts());
        assertEquals(identity, got.get(0).source().identity());
        assertEquals(6, got.get(0).offset());
    }

    @Test
    void linesNotYetDurableAreReplayedAfterRestartWithTheSameIdAndOffset() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "l1\nl2\nl3\n");
        CompletableFuture<Void> never = new CompletableFuture<>();
        List<TailedLine> first = new ArrayList<>();
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(source -> line -> {
                first.add(line.detached());
                return line.text().equals("l1") ? CompletableFuture.completedFuture(null) : never;
            });
        }
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(sink);
        }
        assertEquals(List.of("l2", "l3"), texts(), "l1 was durable, l2 and l3 were not");
        assertEquals(first.get(1).offset(), got.get(0).offset());
        assertEquals(first.get(1).source().identity(), got.get(0).source().identity());
    }

    @Test
    void rotationByRenameDrainsTheOldFileAndPicksUpTheNewOne() throws Exception {
        Path a = dir.resolve("access.log");
        append(a, "a1\n");
        try (FileTailer t = tailer("access.log")) {
            t.pollOnce(sink);
            append(a, "a2\n");
            Files.move(a, dir.resolve("access.log.1"));
            append(a, "b1\n");
            t.pollOnce(sink);
            append(a, "b2\n");
            t.pollOnce(sink);
        }
        assertEquals(List.of("a1", "a2", "b1", "b2"), texts());
        assertNotEquals(got.get(0).source().identity(), got.get(2).source().identity());
    }

    @Test
    void copytruncateStartsANewGenerationSoIdsDoNotCollide() throws Exception {
        Path a = dir.resolve("access.log");
        append(a, "first-1\nfirst-2\n");
        try (FileTailer t = tailer("access.log")) {
            t.pollOnce(sink);
            Files.copy(a, dir.resolve("access.log.1"));
            Files.write(a, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            t.pollOnce(sink);
            append(a, "second\n");
            t.pollOnce(sink);
        }
        assertEquals(List.of("first-1", "first-2", "second"), texts());
        assertEquals(0, got.get(2).offset());
        assertNotEquals(got.get(0).source().identity(), got.get(2).source().identity());
        assertTrue(got.get(2).source().identity().endsWith("#1"));
        // a restart keeps the generation
        append(a, "third\n");
        got.clear();
        try (FileTailer t = tailer("access.log")) {
            t.pollOnce(sink);
        }
        assertEquals(List.of("third"), texts());
        assertTrue(got.get(0).source().identity().endsWith("#1"));
    }

    @Test
    void badInputIsFlaggedNotFatal() throws Exception {
        Path a = dir.resolve("a.log");
        byte[] bad = {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'b', 0, 'n', '\n'};
        Files.write(a, bad);
        append(a, "x".repeat(200) + "\nafter\n" + "y".repeat(70000) + "\nend\n");
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(sink);
        }
        List<TailedLine.Status> st = got.stream().map(TailedLine::status).toList();
        assertEquals(
                List.of(
                        TailedLine.Status.OK,
                        TailedLine.Status.INVALID_UTF8,
                        TailedLine.Status.BINARY,
                        TailedLine.Status.TOO_LONG,
                        TailedLine.Status.OK,
                        TailedLine.Status.TOO_LONG,
                        TailedLine.Status.OK),
                st);
        assertEquals(64, got.get(3).text().length());
        assertEquals("after", got.get(4).text());
        assertEquals("end", got.get(6).text());
    }

    @Test
    void aLineWhoseEventFailedIsNeverCheckpointedButReadAgain() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "l1\nl2\nl3\n");
        List<String> seen = new ArrayList<>();
        boolean[] failOnce = {true};
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(source -> line -> {
                seen.add(line.text());
                if (line.text().equals("l2") && failOnce[0]) {
                    failOnce[0] = false;
                    return CompletableFuture.failedFuture(new IOException("No space left on device"));
                }
                return CompletableFuture.completedFuture(null);
            });
            t.checkpoint();
            assertEquals(1, t.rewinds());
            t.pollOnce(source -> line -> {
                seen.add(line.text());
                return CompletableFuture.completedFuture(null);
            });
            t.checkpoint();
        }
        assertEquals(List.of("l1", "l2", "l3", "l2", "l3"), seen, "read again from the last durable line");
        try (FileTailer t = tailer("a.log")) {
            t.pollOnce(sink);
        }
        assertEquals(List.of(), texts(), "all three durable at last");
    }

    @Test
    void checkpointLagCountsWhatARoundHasNotReachedYet() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "l1\nl2\nl3\n");
        CountDownLatch inSecondLine = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FileTailer t = tailer("a.log")) {
            Thread round = Thread.ofPlatform().start(() -> {
                try {
                    t.pollOnce(source -> line -> {
                        if (line.text().equals("l2")) {
                            inSecondLine.countDown();
                            release.await();
                        }
                        return CompletableFuture.completedFuture(null);
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(inSecondLine.await(5, TimeUnit.SECONDS));
            assertEquals(Files.size(a), t.lagBytes(), "mid-round, nothing is durable yet: the whole file lags");
            release.countDown();
            round.join(5000);
            assertEquals(0, t.lagBytes());
        }
    }
}
