package dev.meshlens.collector.tail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durable per-file offsets: written to a temporary file, fsynced, atomically renamed over the old
 * one, and the directory fsynced, so a crash leaves either the old or the new checkpoint.
 */
public final class Checkpoints {
    /** One file's checkpoint: key is the device/inode key; generation counts truncations. */
    public record Entry(String fileKey, String path, long offset, long generation) {}

    private static final ObjectMapper M = new ObjectMapper();
    private final Path file;

    public Checkpoints(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> load() throws IOException {
        try {
            byte[] b = Files.readAllBytes(file);
            if (b.length == 0) {
                return new TreeMap<>();
            }
            return new TreeMap<>(M.readValue(b, new TypeReference<Map<String, Entry>>() {}));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
    }

    public void save(Map<String, Entry> entries) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        byte[] bytes = M.writerWithDefaultPrettyPrinter().writeValueAsBytes(new TreeMap<>(entries));
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems do not allow syncing a directory
        }
    }
}
