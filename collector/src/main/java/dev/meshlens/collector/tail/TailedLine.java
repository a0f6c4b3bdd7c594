package dev.meshlens.collector.tail;

import java.util.Locale;

/**
 * One line read from a file.
 *
 * @param source the file it came from
 * @param offset byte offset of the line's first byte (stable position for event ids)
 * @param endOffset byte offset just after the line's newline
 * @param text the decoded line without its newline (capped for over-long lines; lossy for bad UTF-8)
 * @param status whether the bytes were a clean line
 */
public record TailedLine(TailSource source, long offset, long endOffset, String text, Status status) {
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
}
