package dev.meshlens.collector.tail;

import dev.meshlens.collector.format.Bytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the files matching a set of globs: new files as they appear, rotation by rename (the open
 * file is drained to its end, the new file is picked up) and by copytruncate (a size below the read
 * position starts a new generation from offset 0), partial last lines (held until their newline).
 * Offsets are checkpointed durably once the sink reports lines durable, so a restart resumes without
 * loss; a replayed line gets the same source identity and offset, hence the same event id.
 *
 * <p>Over-long lines are cut at {@code maxLineBytes} (the rest skipped up to the newline); invalid
 * UTF-8 is decoded lossily and binary lines flagged; both are delivered with a status for counting. A plain
 * ASCII line is delivered as the bytes of the read buffer, not decoded (see {@link TailedLine}).
 */
public final class FileTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);

    /**
     * @param globs file globs (e.g. {@code /var/log/containers/*istio-proxy*.log})
     * @param checkpointFile where offsets are kept
     * @param maxLineBytes lines longer than this are cut
     * @param pollInterval how often files are looked at
     * @param checkpointInterval how often offsets are written
     * @param closeInactiveAfter how long a file that left the globs (rotated away, deleted) is kept open at EOF
     */
    public record Options(
            List<String> globs,
            Path checkpointFile,
            int maxLineBytes,
            Duration pollInterval,
            Duration checkpointInterval,
            Duration closeInactiveAfter) {
        public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

        public Options {
            Objects.requireNonNull(globs, "globs");
            Objects.requireNonNull(checkpointFile, "checkpointFile");
            if (globs.isEmpty()) {
                throw new IllegalArgumentException("globs must not be empty");
            }
            if (maxLineBytes < 16) {
                throw new IllegalArgumentException("maxLineBytes must be at least 16");
            }
            pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
            checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(1) : checkpointInterval;
            closeInactiveAfter = closeInactiveAfter == null ? Duration.ofSeconds(30) : closeInactiveAfter;
        }
    }

    /** Lines up to {@code endOffset} are durable once {@code stage} completes; extended in place (see {@link #pend}). */
    private static final class Pending {
        long endOffset;
        final CompletionStage<?> stage;

        Pending(long endOffset, CompletionStage<?> stage) {
            this.endOffset = endOffset;
            this.stage = stage;
        }

        long endOffset() {
            return endOffset;
        }

        CompletionStage<?> stage() {
            return stage;
        }
    }

    private final class FileState {
        final String fileKey;
        long generation;
        TailSource source;
        /** The sink's consumer for {@link #source}; null until the first line and after the source starts over. */
        SourceLines lines;

        LineSink linesFrom;
        FileChannel ch;
        long readOffset;
        /** Written by the tailing thread, read by metrics at any moment. */
        volatile long committed;

        boolean skipping;
        boolean seen;
        long lastProgressNanos = System.nanoTime();
        final ArrayDeque<Pending> pending = new ArrayDeque<>();

        FileState(String fileKey, String path, long offset, long generation) {
            this.fileKey = fileKey;
            this.generation = generation;
            this.readOffset = offset;
            this.committed = offset;
            this.source = new TailSource(identity(fileKey, generation), path);
        }
    }

    private final Options options;
    private final Checkpoints checkpoints;
    private final Map<String, FileState> states = new LinkedHashMap<>();
    private Map<String, Checkpoints.Entry> loaded;
    private final ByteBuffer buf;
    private final LineDecoder decoder = new LineDecoder();
    /** The followed files, for readers on other threads (metrics); the tailing thread owns {@link #states}. */
    private final CopyOnWriteArrayList<FileState> followed = new CopyOnWriteArrayList<>();

    private final AtomicLong rewinds = new AtomicLong();
    private long lastCheckpointNanos = System.nanoTime();
    private volatile boolean running;
    private Thread thread;

    public FileTailer(Options options) {
        this.options = options;
        this.checkpoints = new Checkpoints(options.checkpointFile());
        this.buf = ByteBuffer.allocate(Math.max(64 * 1024, options.maxLineBytes() + 1));
    }

    /**
     * Bytes in followed files not yet durable (checkpoint lag), as of now: read while a long poll round
     * is still working through a backlog, it counts what that round has not reached yet.
     */
    public long lagBytes() {
        long lag = 0;
        for (FileState s : followed) {
            try {
                lag += Math.max(0, s.ch.size() - s.committed);
            } catch (IOException e) {
                // closed meanwhile: it no longer lags
            }
        }
        return lag;
    }

    static String identity(String fileKey, long generation) {
        return "file:" + fileKey + "#" + generation;
    }

    /**
     * One round: discover files, read every complete line into {@code sink}, advance durable offsets
     * and write the checkpoint when due. Returns the number of lines delivered.
     */
    public int pollOnce(LineSink sink) throws IOException, InterruptedException {
        if (loaded == null) {
            loaded = checkpoints.load();
        }
        for (FileState s : states.values()) {
            s.seen = false;
        }
        for (Path p : expand()) {
            String key;
            try {
                key = fileKey(p);
            } catch (NoSuchFileException e) {
                continue;
            }
            FileState s = states.get(key);
            if (s == null) {
                Checkpoints.Entry cp = loaded.remove(key);
                s = new FileState(key, p.toString(), cp == null ? 0 : cp.offset(), cp == null ? 0 : cp.generation());
                try {
                    s.ch = FileChannel.open(p, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    continue;
                }
                states.put(key, s);
                followed.add(s);
                LOG.info("following {} from offset {} ({})", p, s.readOffset, s.source.identity());
            } else if (!s.source.path().equals(p.toString())) {
                s.source.path(p.toString());
            }
            s.seen = true;
        }
        int delivered = 0;
        for (Iterator<FileState> it = states.values().iterator(); it.hasNext(); ) {
            FileState s = it.next();
            delivered += read(s, sink);
            commit(s);
            long size = s.ch.size();
            if (!s.seen
                    && s.readOffset >= size
                    && s.pending.isEmpty()
                    && System.nanoTime() - s.lastProgressNanos
                            > options.closeInactiveAfter().toNanos()) {
                LOG.info("closing {}: no longer matched and fully read", s.source);
                s.ch.close();
                it.remove();
                followed.remove(s);
            }
        }
        if (System.nanoTime() - lastCheckpointNanos
                >= options.checkpointInterval().toNanos()) {
            checkpoint();
        }
        return delivered;
    }

    /** Writes the durable offsets now. */
    public synchronized void checkpoint() throws IOException {
        Map<String, Checkpoints.Entry> out = new HashMap<>(loaded == null ? Map.of() : loaded);
        for (FileState s : states.values()) {
            commit(s);
            out.put(s.fileKey, new Checkpoints.Entry(s.fileKey, s.source.path(), s.committed, s.generation));
        }
        checkpoints.save(out);
        lastCheckpointNanos = System.nanoTime();
    }

    /**
     * Advances the durable offset over the leading lines whose events are durable. A line whose event
     * could not be made durable (its stage failed) is never passed: the file is read again from the
     * last durable offset, so that line and those after it are delivered again with the same offsets,
     * hence the same event ids (duplicates downstream are absorbed by those ids; a loss would not be).
     */
    private void commit(FileState s) {
        while (!s.pending.isEmpty()) {
            Pending p = s.pending.peekFirst();
            if (p.stage() != null) {
                CompletableFuture<?> f = p.stage().toCompletableFuture();
                if (!f.isDone()) {
                    break;
                }
                if (f.isCompletedExceptionally()) {
                    rewind(s);
                    return;
                }
            }
            s.pending.removeFirst();
            s.committed = p.endOffset();
        }
    }

    private void rewind(FileState s) {
        LOG.warn(
                "{}: events after offset {} were not made durable; reading them again from there",
                s.source,
                s.committed);
        rewinds.incrementAndGet();
        s.pending.clear();
        s.readOffset = s.committed;
        s.skipping = false;
        // the consumer opens the source again: its per-source state (a half-joined container line) is dropped
        s.lines = null;
    }

    /** How many times a file was read again from its durable offset because events were not durable. */
    public long rewinds() {
        return rewinds.get();
    }

    private int read(FileState s, LineSink sink) throws IOException, InterruptedException {
        long size = s.ch.size();
        if (size < s.readOffset) {
            // copytruncate: the file was cut below what we read; a new generation starts at 0
            LOG.info("{} was truncated (size {} < offset {}): new generation", s.source, size, s.readOffset);
            s.pending.clear();
            s.generation++;
            s.readOffset = 0;
            s.committed = 0;
            s.skipping = false;
            String path = s.source.path();
            s.source = new TailSource(identity(s.fileKey, s.generation), path);
            s.lines = null;
        }
        int lines = 0;
        while (s.readOffset < size) {
            buf.clear();
            int n = s.ch.read(buf, s.readOffset);
            if (n <= 0) {
                break;
            }
            byte[] a = buf.array();
            int lineStart = 0;
            for (int i = Bytes.indexOf(a, (byte) '\n', 0, n); i >= 0; i = Bytes.indexOf(a, (byte) '\n', i + 1, n)) {
                long off = s.readOffset + lineStart;
                if (s.skipping) {
                    s.skipping = false;
                    pend(s, s.readOffset + i + 1, null);
                } else {
                    deliver(s, sink, a, lineStart, i, off, s.readOffset + i + 1, false);
                    lines++;
                }
                lineStart = i + 1;
            }
            if (lineStart == 0 && n == buf.capacity()) {
                // no newline in a full buffer: an over-long line
                if (!s.skipping) {
                    deliver(s, sink, a, 0, options.maxLineBytes(), s.readOffset, s.readOffset + n, true);
                    lines++;
                    s.skipping = true;
                } else {
                    pend(s, s.readOffset + n, null);
                }
                s.readOffset += n;
                continue;
            }
            s.readOffset += lineStart;
            if (lineStart < n && n < buf.capacity()) {
                break; // a partial last line at the end of the file: wait for its newline
            }
        }
        if (lines > 0) {
            s.lastProgressNanos = System.nanoTime();
        }
        return lines;
    }

    private void deliver(FileState s, LineSink sink, byte[] a, int from, int to, long off, long end, boolean tooLong)
            throws InterruptedException {
        int e = to;
        if (e > from && a[e - 1] == '\r') {
            e--;
        }
        if (!tooLong && e - from > options.maxLineBytes()) {
            e = from + options.maxLineBytes();
            tooLong = true;
        }
        TailedLine line;
        if (!tooLong && Bytes.plainAscii(a, from, e)) {
            line = TailedLine.ascii(s.source, off, end, a, from, e); // no String: the parser reads the bytes
        } else {
            LineDecoder.Decoded d = decoder.decode(a, from, e, tooLong);
            line = new TailedLine(s.source, off, end, d.text(), d.status());
        }
        if (s.lines == null || s.linesFrom != sink) {
            s.lines = sink.open(s.source);
            s.linesFrom = sink;
        }
        CompletionStage<?> stage = s.lines.accept(line);
        pend(s, end, stage);
    }

    /**
     * Records that the file is delivered up to {@code end} once {@code stage} completes. A line without an
     * event, or one whose event is the same as the line before's (a roll-up that counts both), extends the
     * last entry instead of adding one: a rolled-up second of traffic is one entry, not thousands.
     */
    private static void pend(FileState s, long end, CompletionStage<?> stage) {
        Pending last = s.pending.peekLast();
        if (last != null && (stage == null || stage == last.stage())) {
            last.endOffset = end;
        } else {
            s.pending.addLast(new Pending(end, stage));
        }
    }

    private List<Path> expand() throws IOException {
        List<Path> out = new ArrayList<>();
        Set<Path> dedup = new HashSet<>();
        for (String glob : options.globs()) {
            Path pattern = Path.of(glob).toAbsolutePath();
            Path base = pattern.getRoot();
            int depth = 0;
            boolean wild = false;
            for (Path part : pattern) {
                String s = part.toString();
                if (!wild && (s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{"))) {
                    wild = true;
                }
                if (wild) {
                    depth++;
                } else {
                    base = base.resolve(s);
                }
            }
            if (!wild) {
                if (Files.isRegularFile(pattern) && dedup.add(pattern)) {
                    out.add(pattern);
                }
                continue;
            }
            if (!Files.isDirectory(base)) {
                continue;
            }
            boolean deep = glob.contains("**");
            PathMatcher m = FileSystems.getDefault()
                    .getPathMatcher("glob:" + pattern.toString().replace("\\", "\\\\"));
            try (Stream<Path> walk = Files.walk(base, deep ? Integer.MAX_VALUE : depth)) {
                walk.filter(p -> m.matches(p) && Files.isRegularFile(p))
                        .sorted()
                        .forEach(p -> {
                            if (dedup.add(p)) {
                                out.add(p);
                            }
                        });
            } catch (UncheckedIOException e) {
                LOG.debug("listing {} failed: {}", base, e.getMessage());
            }
        }
        return out;
    }

    static String fileKey(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        Object k = a.fileKey();
        if (k == null) {
            return "path:" + p.toAbsolutePath();
        }
        return k.toString().replace("(", "").replace(")", "").replace(",", "/");
    }

    /** Runs {@link #pollOnce} on its own thread until {@link #close()}. */
    public synchronized void start(LineSink sink) {
        if (running) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = Thread.ofPlatform().name("meshlens-tail").daemon(true).start(() -> {
            while (running) {
                try {
                    int n = pollOnce(sink);
                    if (n == 0) {
                        Thread.sleep(options.pollInterval().toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("tail round failed: {}", e.toString());
                    try {
                        Thread.sleep(options.pollInterval().toMillis());
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (loaded != null) {
                checkpoint();
            }
            for (FileState s : states.values()) {
                s.ch.close();
            }
            states.clear();
            followed.clear();
        }
    }
}
