package dev.meshlens.collector.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the spool asks of the filesystem it lives on besides plain file I/O: how much it can still
 * take. The spool's bound is the smaller of its configured size and this (minus headroom), so a
 * small volume applies back-pressure instead of failing writes with "No space left on device".
 *
 * <p>An interface so a test on a machine where it cannot mount a small filesystem can stand in a
 * budgeted one ({@link #checkWrite} throwing the same {@code IOException} a full disk throws).
 */
public interface SpoolDisk {
    /** Bytes the spool's filesystem can still take (what {@code statvfs} calls available to us). */
    long usableSpace() throws IOException;

    /** Called before {@code bytes} are written; a real disk does nothing and lets the write fail. */
    default void checkWrite(long bytes) throws IOException {}

    /** Called after a write of {@code bytes}, and with a negative count when a file is truncated or deleted. */
    default void written(long bytes) {}

    /** The filesystem that holds {@code dir}. */
    static SpoolDisk of(Path dir) throws IOException {
        var store = Files.getFileStore(dir);
        return store::getUsableSpace;
    }
}
