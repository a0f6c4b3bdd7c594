package dev.meshlens.collector.publish;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only, crash-safe FIFO of records on disk: numbered segment files of
 * {@code [length][crc32][payload]} records and a cursor with the position of the next unread record.
 * A torn record at the tail (crash while writing) is detected by its length/CRC and ignored; a
 * restarted spool never appends behind a torn tail (it opens a new segment).
 *
 * <p>The bound is the smaller of {@code maxBytes} and what the filesystem can still take minus
 * {@code minFreeBytes}: {@link #tryAppend} answers {@code false} at the bound instead of writing
 * until the disk says "No space left on device". The caller decides what waits (back-pressure).
 *
 * <p>Reclaiming space never needs space: {@link #commit} deletes consumed segments first, and the
 * cursor is a fixed 64-byte file of two checksummed slots overwritten in place (alternately, so a
 * torn write leaves the other slot valid) rather than a new file renamed over the old one.
 * (Copy-on-write filesystems such as btrfs may still need a block for an in-place write; the
 * headroom is for them.) A failed cursor write is retried at the next commit; until then a crash
 * replays a little more than needed, which stable event ids absorb.
 */
public final class DiskSpool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);

    /** One spooled message. */
    public record Record(String key, byte[] value, String traceparent) {
        /** Bytes this record takes in a segment. */
        public long spoolBytes() {
            return 8L
                    + 12
                    + (key == null ? 0 : key.length() * 3L)
                    + value.length
                    + (traceparent == null ? 0 : traceparent.length());
        }
    }

    /** A record read back, with the position just after it. */
    public record Entry(Record record, long segment, long nextPosition) {}

    static final String CURSOR = "cursor";
    static final long DEFAULT_MIN_FREE_BYTES = 1024L * 1024;
    private static final int SLOT = 32;
    private static final int CURSOR_MAGIC = 0x4d4c5343; // "MLSC"
    private static final long MIN_SEGMENT = 64L * 1024;
    /** How stale the filesystem's free space may be before it is asked again. */
    private static final long PROBE_NANOS = 250_000_000L;

    private static final long PROBE_BYTES = 1024L * 1024;

    private final Path dir;
    private final long maxBytes;
    private final long maxSegmentBytes;
    private final long minFreeBytes;
    private final SpoolDisk disk;
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private FileChannel writer;
    private long writerSize;
    private long segmentLimit;
    private long writerSeq;
    private long readSeq;
    private long readPos;
    private long depth;
    private long bytes;
    private FileChannel cursor;
    private long cursorGeneration;
    private boolean cursorDirty;
    private long usableAtProbe;
    private long writtenSinceProbe;
    private long probeNanos;

    public DiskSpool(Path dir, long maxBytes, long segmentBytes) throws IOException {
        this(dir, maxBytes, segmentBytes, DEFAULT_MIN_FREE_BYTES, null);
    }

    /**
     * @param dir spool folder (created when missing)
     * @param maxBytes configured bound
     * @param segmentBytes largest segment; smaller segments are used when the bound is small, so
     *     space comes back while a spool drains
     * @param minFreeBytes what the spool leaves free on its filesystem
     * @param disk the filesystem's free space ({@code null}: the real one that holds {@code dir})
     */
    public DiskSpool(Path dir, long maxBytes, long segmentBytes, long minFreeBytes, SpoolDisk disk) throws IOException {
        this.dir = Files.createDirectories(dir);
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("spool max bytes must be at least 1024");
        }
        this.maxBytes = maxBytes;
        this.maxSegmentBytes = Math.max(1024, segmentBytes);
        this.minFreeBytes = Math.max(0, minFreeBytes);
        this.disk = disk == null ? SpoolDisk.of(this.dir) : disk;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "spool-*.seg")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                segments.put(Long.parseLong(n.substring(6, n.length() - 4)), p);
            }
        }
        long[] c = readCursor();
        if (c != null) {
            readSeq = c[0];
            readPos = c[1];
            cursorGeneration = c[2];
        } else {
            readSeq = segments.isEmpty() ? 0 : segments.firstKey();
            readPos = 0;
        }
        while (!segments.isEmpty() && segments.firstKey() < readSeq) {
            deleteSegment(segments.firstKey());
        }
        // Never append to a segment from an earlier run: it may end in a torn record, and what is
        // written behind a torn record could not be read back.
        writerSeq = Math.max(readSeq, segments.isEmpty() ? 0 : segments.lastKey()) + 1;
        for (Path p : segments.values()) {
            bytes += Files.size(p);
        }
        long seq = readSeq;
        long pos = readPos;
        while (true) {
            Entry e = readAt(seq, pos);
            if (e == null) {
                Long next = segments.higherKey(seq);
                if (next == null) {
                    break;
                }
                seq = next;
                pos = 0;
                continue;
            }
            depth++;
            seq = e.segment();
            pos = e.nextPosition();
        }
        try {
            openCursor();
        } catch (IOException e) {
            cursorDirty = true;
            LOG.warn("cannot write spool cursor in {} yet ({}); retried at the next commit", dir, e.toString());
        }
    }

    public synchronized long depth() {
        return depth;
    }

    public synchronized boolean isEmpty() {
        return depth == 0;
    }

    /** Bytes the spool's files take on disk. */
    public synchronized long bytes() {
        return bytes;
    }

    /** The configured bound. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The bound in force now: the configured one, or less when the filesystem is nearly full. */
    public synchronized long limit() {
        return Math.min(maxBytes, bytes + available());
    }

    /** Free bytes on the spool's filesystem (as last asked, less what was written since). */
    public synchronized long usableSpace() {
        probe(false);
        return Math.max(0, usableAtProbe - writtenSinceProbe);
    }

    /** Whether a record of {@code need} bytes fits under the bound now. */
    public synchronized boolean fits(long need) {
        if (bytes + need > maxBytes && depth > 0) {
            return false;
        }
        return need <= available();
    }

    private long available() {
        probe(false);
        return Math.max(0, usableAtProbe - writtenSinceProbe - minFreeBytes);
    }

    private void probe(boolean force) {
        long now = System.nanoTime();
        if (!force && probeNanos != 0 && now - probeNanos < PROBE_NANOS && writtenSinceProbe < PROBE_BYTES) {
            return;
        }
        try {
            usableAtProbe = disk.usableSpace();
        } catch (IOException e) {
            usableAtProbe = 0; // cannot tell: assume full, the caller waits and asks again
        }
        writtenSinceProbe = 0;
        probeNanos = now;
    }

    /**
     * Appends a record unless the spool is at its bound. Not yet durable: call {@link #sync()}.
     *
     * @return false when the record does not fit now (nothing written)
     * @throws IOException when the write failed; nothing of the record stays in the segment
     */
    public synchronized boolean tryAppend(Record r) throws IOException {
        byte[] payload = encode(r);
        long need = payload.length + 8L;
        if (!fits(need)) {
            probe(true); // the cached answer may be stale: ask the filesystem before saying no
            if (!fits(need)) {
                return false;
            }
        }
        if (writer == null || writerSize + need > segmentLimit && writerSize > 0) {
            roll();
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(payload.length + 8);
        b.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        long start = writerSize;
        try {
            disk.checkWrite(need);
            long pos = start;
            while (b.hasRemaining()) {
                pos += writer.write(b, pos);
            }
        } catch (IOException e) {
            try {
                writer.truncate(start); // a partial record must not stay in front of later ones
            } catch (IOException ignored) {
                // the CRC makes a partial record unreadable; a restart opens a new segment behind it
            }
            probe(true);
            throw e;
        }
        writerSize += need;
        writtenSinceProbe += need;
        disk.written(need);
        bytes += need;
        depth++;
        return true;
    }

    /** Forces appended records to disk. */
    public synchronized void sync() throws IOException {
        if (writer != null) {
            writer.force(false);
        }
    }

    /** Up to {@code max} records from the read cursor, in order; empty when none. */
    public synchronized List<Entry> peek(int max) throws IOException {
        List<Entry> out = new ArrayList<>();
        long seq = readSeq;
        long pos = readPos;
        while (out.size() < max) {
            Entry e = readAt(seq, pos);
            if (e == null) {
                Long next = segments.higherKey(seq);
                if (next == null) {
                    break;
                }
                seq = next;
                pos = 0;
                continue;
            }
            out.add(e);
            seq = e.segment();
            pos = e.nextPosition();
        }
        return out;
    }

    /**
     * Marks everything up to and including {@code last} consumed: first reclaims the segments that
     * are wholly consumed, then records the position. Does not throw when only the cursor could not be
     * written (that write is retried at the next commit, and meanwhile the position in memory is
     * right, so nothing is sent twice while the process lives).
     */
    public synchronized void commit(Entry last, int count) throws IOException {
        readSeq = last.segment();
        readPos = last.nextPosition();
        depth = Math.max(0, depth - count);
        while (!segments.isEmpty() && segments.firstKey() < readSeq) {
            deleteSegment(segments.firstKey());
        }
        if (depth == 0) {
            // everything read: drop every segment (the active one too) and start the next one on demand
            closeWriter();
            while (!segments.isEmpty()) {
                deleteSegment(segments.firstKey());
            }
            readSeq = writerSeq;
            readPos = 0;
        }
        writeCursor();
    }

    private void deleteSegment(long seq) throws IOException {
        Path p = segments.get(seq);
        long size = Files.exists(p) ? Files.size(p) : 0;
        if (writer != null && seq == writerSeq) {
            closeWriter();
        }
        Files.deleteIfExists(p);
        segments.remove(seq);
        bytes -= size;
        writtenSinceProbe -= size;
        disk.written(-size);
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.force(false);
            writer.close();
            writer = null;
            writerSeq++;
            writerSize = 0;
        }
    }

    private void roll() throws IOException {
        if (writer != null) {
            writer.force(false); // what was appended but not yet synced must be durable before we move on
            writer.close();
            writer = null;
            writerSeq++;
        }
        Path p = dir.resolve(String.format("spool-%020d.seg", writerSeq));
        writer = FileChannel.open(
                p,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        writerSize = 0;
        segments.put(writerSeq, p);
        // Small segments when the bound is small, so draining gives space back long before the end.
        segmentLimit = Math.min(maxSegmentBytes, Math.max(MIN_SEGMENT, limit() / 8));
    }

    // --- cursor: two 32-byte slots [magic][generation][segment][position][crc], written alternately in place

    private long[] readCursor() throws IOException {
        Path p = dir.resolve(CURSOR);
        if (!Files.exists(p)) {
            return null;
        }
        byte[] a = Files.readAllBytes(p);
        if (a.length == 2 * SLOT) {
            long[] best = null;
            for (int s = 0; s < 2; s++) {
                ByteBuffer b = ByteBuffer.wrap(a, s * SLOT, SLOT);
                int magic = b.getInt();
                long gen = b.getLong();
                long seq = b.getLong();
                long pos = b.getLong();
                int crc = b.getInt();
                if (magic == CURSOR_MAGIC && crc == slotCrc(a, s * SLOT) && (best == null || gen > best[2])) {
                    best = new long[] {seq, pos, gen};
                }
            }
            return best;
        }
        // the text cursor of earlier releases: "<segment> <position>\n"
        String[] c = new String(a, StandardCharsets.US_ASCII).trim().split(" ");
        if (c.length == 2) {
            try {
                return new long[] {Long.parseLong(c[0]), Long.parseLong(c[1]), 0};
            } catch (NumberFormatException ignored) {
                // unreadable: start at the first segment (at-least-once)
            }
        }
        LOG.warn("spool cursor {} is unreadable; replaying the spool from its first segment", p);
        return null;
    }

    private static int slotCrc(byte[] a, int off) {
        CRC32 c = new CRC32();
        c.update(a, off, SLOT - 4);
        return (int) c.getValue();
    }

    private void openCursor() throws IOException {
        Path p = dir.resolve(CURSOR);
        if (Files.exists(p) && Files.size(p) == 2 * SLOT) {
            cursor = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return;
        }
        // new, or the text form of an earlier release: write both slots to a new file, then rename
        Path tmp = dir.resolve(CURSOR + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(2 * SLOT);
            b.put(slot(cursorGeneration, readSeq, readPos))
                    .put(slot(cursorGeneration, readSeq, readPos))
                    .flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
        }
        cursor = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static byte[] slot(long gen, long seq, long pos) {
        byte[] a = new byte[SLOT];
        ByteBuffer.wrap(a).putInt(CURSOR_MAGIC).putLong(gen).putLong(seq).putLong(pos);
        ByteBuffer.wrap(a, SLOT - 4, 4).putInt(slotCrc(a, 0));
        return a;
    }

    private void writeCursor() {
        try {
            if (cursor == null) {
                openCursor();
            }
            long gen = cursorGeneration + 1;
            ByteBuffer b = ByteBuffer.wrap(slot(gen, readSeq, readPos));
            long at = (gen % 2) * SLOT;
            while (b.hasRemaining()) {
                at += cursor.write(b, at);
            }
            cursor.force(false);
            cursorGeneration = gen;
            if (cursorDirty) {
                LOG.info("spool cursor in {} written again", dir);
                cursorDirty = false;
            }
        } catch (IOException e) {
            if (!cursorDirty) {
                LOG.warn(
                        "cannot write spool cursor in {} ({}); position kept in memory, retried at the next commit",
                        dir,
                        e.toString());
            }
            cursorDirty = true;
        }
    }

    private Entry readAt(long seq, long pos) throws IOException {
        Path p = segments.get(seq);
        if (p == null || !Files.exists(p)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (pos + 8 > size) {
                return null;
            }
            ByteBuffer h = ByteBuffer.allocate(8);
            ch.read(h, pos);
            h.flip();
            int len = h.getInt();
            int crc = h.getInt();
            if (len < 0 || pos + 8 + len > size) {
                return null;
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            while (body.hasRemaining()) {
                if (ch.read(body, pos + 8 + body.position()) < 0) {
                    return null;
                }
            }
            CRC32 c = new CRC32();
            c.update(body.array());
            if ((int) c.getValue() != crc) {
                return null;
            }
            return new Entry(decode(body.array()), seq, pos + 8 + len);
        }
    }

    static byte[] encode(Record r) {
        byte[] k = r.key() == null ? new byte[0] : r.key().getBytes(StandardCharsets.UTF_8);
        byte[] t = r.traceparent() == null ? new byte[0] : r.traceparent().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + k.length + 4 + r.value().length + 4 + t.length);
        b.putInt(k.length)
                .put(k)
                .putInt(r.value().length)
                .put(r.value())
                .putInt(t.length)
                .put(t);
        return b.array();
    }

    static Record decode(byte[] a) {
        ByteBuffer b = ByteBuffer.wrap(a);
        byte[] k = new byte[b.getInt()];
        b.get(k);
        byte[] v = new byte[b.getInt()];
        b.get(v);
        byte[] t = new byte[b.getInt()];
        b.get(t);
        return new Record(
                k.length == 0 ? null : new String(k, StandardCharsets.UTF_8),
                v,
                t.length == 0 ? null : new String(t, StandardCharsets.US_ASCII));
    }

    @Override
    public synchronized void close() throws IOException {
        if (writer != null) {
            writer.force(false);
            writer.close();
            writer = null;
        }
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }
}
