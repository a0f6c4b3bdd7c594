package dev.meshlens.collector.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
    @TempDir
    Path dir;

    static DiskSpool.Record rec(int i) {
        return new DiskSpool.Record("k" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8), "00-" + i);
    }

    static String value(DiskSpool.Entry e) {
        return new String(e.record().value(), StandardCharsets.UTF_8);
    }

    @Test
    void survivesRestartKeepsOrderAndIgnoresATornTail() throws Exception {
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 200)) {
            for (int i = 0; i < 10; i++) {
                assertTrue(s.tryAppend(rec(i)));
            }
            s.sync();
            List<DiskSpool.Entry> first = s.peek(3);
            assertEquals(
                    List.of("value-0", "value-1", "value-2"),
                    first.stream().map(DiskSpoolTest::value).toList());
            s.commit(first.get(2), 3);
            assertEquals(7, s.depth());
        }
        // a crash while writing leaves half a record at the end of the last segment
        Path last;
        try (var files = Files.list(dir)) {
            last = files.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .reduce((a, b) -> b)
                    .orElseThrow();
        }
        Files.write(last, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 200)) {
            assertEquals(7, s.depth());
            List<DiskSpool.Entry> rest = s.peek(100);
            assertEquals(7, rest.size());
            assertEquals("value-3", value(rest.get(0)));
            assertEquals("value-9", value(rest.get(6)));
            assertEquals("k9", rest.get(6).record().key());
            assertEquals("00-9", rest.get(6).record().traceparent());
            s.commit(rest.get(6), 7);
            assertTrue(s.isEmpty());
        }
    }

    @Test
    void refusesAtItsBoundAndTakesAgainOnceACommitReclaimedSpace() throws Exception {
        try (DiskSpool s = new DiskSpool(dir, 1024, 1024)) {
            int n = 0;
            while (s.tryAppend(rec(n))) {
                n++;
            }
            assertTrue(n > 5 && s.bytes() <= 1024, "filled to the bound: " + n + " records, " + s.bytes() + " bytes");
            assertFalse(s.tryAppend(rec(n)), "refused at the bound, nothing written");
            assertEquals(n, s.depth());
            List<DiskSpool.Entry> all = s.peek(1000);
            assertEquals(n, all.size());
            s.commit(all.get(all.size() - 1), all.size());
            assertEquals(0, s.bytes(), "a drained spool keeps no segment");
            assertTrue(s.tryAppend(rec(n)));
        }
    }

    @Test
    void theFilesystemBoundsTheSpoolBelowMaxBytes() throws Exception {
        SmallDisk disk = new SmallDisk(8 * 1024);
        try (DiskSpool s = new DiskSpool(dir, 1 << 30, 64 * 1024, 1024, disk)) {
            int n = 0;
            while (s.tryAppend(rec(n))) {
                n++;
            }
            assertTrue(s.bytes() <= 7 * 1024, "stops 1 KiB short of the filesystem's end: " + s.bytes());
            assertTrue(s.limit() < s.maxBytes());
            disk.capacity = 4 * 1024; // another writer took space: a write that reaches the disk fails
            assertFalse(s.tryAppend(rec(n)), "refused");
            disk.capacity = 64 * 1024;
            assertTrue(s.tryAppend(rec(n)), "takes again once the filesystem has room");
        }
    }

    @Test
    void aFailedWriteLeavesNothingBehindAndTheSpoolReadsOnAfterRestart() throws Exception {
        SmallDisk disk = new SmallDisk(1 << 20);
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 64 * 1024, 0, new SpoolDisk() {
            int calls;

            @Override
            public long usableSpace() {
                return 1 << 20;
            }

            @Override
            public void checkWrite(long bytes) throws IOException {
                if (++calls == 3) {
                    throw new IOException("No space left on device");
                }
            }
        })) {
            assertTrue(s.tryAppend(rec(0)));
            assertTrue(s.tryAppend(rec(1)));
            assertThrows(IOException.class, () -> s.tryAppend(rec(2)));
            assertTrue(s.tryAppend(rec(2)), "the same record again");
            s.sync();
        }
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 64 * 1024, 0, disk)) {
            assertEquals(
                    List.of("value-0", "value-1", "value-2"),
                    s.peek(10).stream().map(DiskSpoolTest::value).toList());
        }
    }

    @Test
    void theCursorIsWrittenInPlaceSoACommitNeedsNoNewSpace() throws Exception {
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 256)) {
            for (int i = 0; i < 20; i++) {
                assertTrue(s.tryAppend(rec(i)));
            }
            s.sync();
            Path cursor = dir.resolve(DiskSpool.CURSOR);
            Object inode =
                    Files.readAttributes(cursor, BasicFileAttributes.class).fileKey();
            List<DiskSpool.Entry> some = s.peek(12);
            s.commit(some.get(11), 12);
            assertEquals(
                    inode,
                    Files.readAttributes(cursor, BasicFileAttributes.class).fileKey(),
                    "same file, overwritten in place (no temporary file that needs a new block)");
            assertEquals(64, Files.size(cursor));
        }
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 256)) {
            assertEquals(8, s.depth());
            assertEquals("value-12", value(s.peek(1).get(0)));
        }
    }

    @Test
    void readsTheTextCursorOfEarlierReleases() throws Exception {
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 1 << 20)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(s.tryAppend(rec(i)));
            }
            s.sync();
        }
        Path seg;
        try (var files = Files.list(dir)) {
            seg = files.filter(p -> p.getFileName().toString().endsWith(".seg"))
                    .findFirst()
                    .orElseThrow();
        }
        String name = seg.getFileName().toString();
        long seq = Long.parseLong(name.substring(6, name.length() - 4));
        long afterFirst = 8 + DiskSpool.encode(rec(0)).length;
        Files.writeString(dir.resolve(DiskSpool.CURSOR), seq + " " + afterFirst + "\n");
        try (DiskSpool s = new DiskSpool(dir, 1 << 20, 1 << 20)) {
            assertEquals(
                    List.of("value-1", "value-2"),
                    s.peek(10).stream().map(DiskSpoolTest::value).toList());
        }
    }
}
