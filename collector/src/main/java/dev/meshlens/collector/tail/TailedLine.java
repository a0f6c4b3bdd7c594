package dev.meshlens.collector.tail;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One line read from a file. A plain ASCII line (almost every Envoy line) is handed over as the bytes of
 * the tailer's read buffer, {@link #bytes()}{@code [from, to)}, and becomes a {@code String} only if
 * {@link #text()} is asked for, so a parser that reads bytes makes none; other lines are decoded text.
 * The buffer is reused for the next read: consume a line inside {@link SourceLines#accept}, or keep
 * {@link #detached()}.
 */
public final class TailedLine {
    /** How clean the bytes of a line were. */
    public enum Status {
        OK,
        TOO_LONG,
        INVALID_UTF8,
        BINARY;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final TailSource source;
    private final long offset;
    private final long endOffset;
    private final Status status;
    private final byte[] bytes;
    private final int from;
    private final int to;
    private String text;

    /**
     * A decoded line.
     *
     * @param source the file it came from
     * @param offset byte offset of the line's first byte (stable position for event ids)
     * @param endOffset byte offset just after the line's newline
     * @param text the decoded line without its newline (capped for over-long lines; lossy for bad UTF-8)
     * @param status whether the bytes were a clean line
     */
    public TailedLine(TailSource source, long offset, long endOffset, String text, Status status) {
        this(source, offset, endOffset, status, null, 0, 0, text);
    }

    /** A clean plain ASCII line still in {@code a[from, to)} (see {@code Bytes.plainAscii}). */
    static TailedLine ascii(TailSource source, long offset, long endOffset, byte[] a, int from, int to) {
        return new TailedLine(source, offset, endOffset, Status.OK, a, from, to, null);
    }

    private TailedLine(
            TailSource source, long offset, long endOffset, Status status, byte[] a, int from, int to, String text) {
        this.source = source;
        this.offset = offset;
        this.endOffset = endOffset;
        this.status = status;
        this.bytes = a;
        this.from = from;
        this.to = to;
        this.text = text;
    }

    public TailSource source() {
        return source;
    }

    public long offset() {
        return offset;
    }

    public long endOffset() {
        return endOffset;
    }

    public Status status() {
        return status;
    }

    /** The line as text (made from the bytes on first request for a plain ASCII line). */
    public String text() {
        if (text == null) {
            text = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
        return text;
    }

    /** Whether the line is plain ASCII bytes in {@link #bytes()}{@code [from, to)} (then parse those). */
    public boolean ascii() {
        return bytes != null;
    }

    /** The read buffer holding a plain ASCII line, else null; valid only while the line is being accepted. */
    public byte[] bytes() {
        return bytes;
    }

    public int from() {
        return from;
    }

    public int to() {
        return to;
    }

    /** The same line with its text, independent of the read buffer (to keep it after {@code accept}). */
    public TailedLine detached() {
        return new TailedLine(source, offset, endOffset, text(), status);
    }

    @Override
    public String toString() {
        return source + "@" + offset + " " + status + ": " + text();
    }
}
