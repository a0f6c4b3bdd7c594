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

/**
 * A bounded, append-only, crash-safe FIFO of records on disk: numbered segment files of
 * {@code [length][crc32][payload]} records and a cursor file (atomically replaced) with the position
 * of the next unread record. A torn record at the tail (crash while writing) is detected by its
 * length/CRC and ignored. {@link #append} blocks while the spool is at its byte bound.
 */
public final class DiskSpool implements AutoCloseable {
  /** One spooled message. */
  public record Record(String key, byte[] value, String traceparent) {}

  /** A record read back, with the position just after it. */
  public record Entry(Record record, long segment, long nextPosition) {}

  private static final String CURSOR = "cursor";
  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel writer;
  private long writerSeq;
  private long readSeq;
  private long readPos;
  private long depth;
  private long bytes;

  public DiskSpool(Path dir, long maxBytes, long segmentBytes) throws IOException {
    this.dir = Files.createDirectories(dir);
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("spool max bytes must be at least 1024");
    }
    this.maxBytes = maxBytes;
    this.segmentBytes = Math.max(1024, segmentBytes);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "spool-*.seg")) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        segments.put(Long.parseLong(n.substring(6, n.length() - 4)), p);
      }
    }
    Path cursor = dir.resolve(CURSOR);
    if (Files.exists(cursor)) {
      String[] c = Files.readString(cursor).trim().split(" ");
      readSeq = Long.parseLong(c[0]);
      readPos = Long.parseLong(c[1]);
    } else {
      readSeq = segments.isEmpty() ? 0 : segments.firstKey();
      readPos = 0;
    }
    segments.headMap(readSeq).values().forEach(p -> {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // retried at the next commit
      }
    });
    segments.headMap(readSeq).clear();
    writerSeq = segments.isEmpty() ? Math.max(readSeq, 0) : segments.lastKey();
    for (Path p : segments.values()) {
      bytes += Files.size(p);
    }
    // count what is left to read (also validates the tail)
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
  }

  public synchronized long depth() {
    return depth;
  }

  public synchronized boolean isEmpty() {
    return depth == 0;
  }

  public synchronized long bytes() {
    return bytes;
  }

  /** Appends a record; blocks while the spool is full. Not yet fsynced: call {@link #sync()}. */
  public synchronized void append(Record r) throws IOException, InterruptedException {
    append(r, false);
  }

  /**
   * Appends a record; with {@code mayExceed} the byte bound is not waited for (used for the bounded
   * number of in-flight sends that fail, which must never block the Kafka I/O thread).
   */
  public synchronized void append(Record r, boolean mayExceed) throws IOException, InterruptedException {
    byte[] payload = encode(r);
    long need = payload.length + 8L;
    while (!mayExceed && bytes + need > maxBytes && depth > 0) {
      wait(200);
    }
    if (writer == null || writer.size() + need > segmentBytes && writer.size() > 0) {
      roll();
    }
    CRC32 crc = new CRC32();
    crc.update(payload);
    ByteBuffer b = ByteBuffer.allocate(payload.length + 8);
    b.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
    long pos = writer.size();
    while (b.hasRemaining()) {
      pos += writer.write(b, pos);
    }
    bytes += need;
    depth++;
  }

  /** Blocks while the spool is at its byte bound (back-pressure for new events while spooling). */
  public synchronized void awaitSpace() throws InterruptedException {
    while (bytes >= maxBytes && depth > 0) {
      wait(200);
    }
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

  /** Marks everything up to and including {@code last} consumed; durable (cursor fsynced). */
  public synchronized void commit(Entry last, int count) throws IOException {
    readSeq = last.segment();
    readPos = last.nextPosition();
    depth = Math.max(0, depth - count);
    Path tmp = dir.resolve(CURSOR + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((readSeq + " " + readPos + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(CURSOR), StandardCopyOption.REPLACE_EXISTING);
    }
    // delete segments fully consumed
    while (!segments.isEmpty() && segments.firstKey() < readSeq) {
      Path p = segments.pollFirstEntry().getValue();
      bytes -= Files.size(p);
      Files.deleteIfExists(p);
    }
    if (depth == 0 && writer != null && readSeq == writerSeq && readPos >= writer.size()) {
      // everything read: start a fresh segment so the old one can go
      roll();
      Path old = segments.remove(readSeq);
      if (old != null) {
        bytes -= Files.size(old);
        Files.deleteIfExists(old);
      }
      readSeq = writerSeq;
      readPos = 0;
    }
    notifyAll();
  }

  private void roll() throws IOException {
    if (writer != null) {
      writer.force(false);
      writer.close();
      writerSeq++;
    }
    Path p = dir.resolve(String.format("spool-%020d.seg", writerSeq));
    writer = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    segments.put(writerSeq, p);
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
    b.putInt(k.length).put(k).putInt(r.value().length).put(r.value()).putInt(t.length).put(t);
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
    return new Record(k.length == 0 ? null : new String(k, StandardCharsets.UTF_8), v,
        t.length == 0 ? null : new String(t, StandardCharsets.US_ASCII));
  }

  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.force(false);
      writer.close();
      writer = null;
    }
  }
}
