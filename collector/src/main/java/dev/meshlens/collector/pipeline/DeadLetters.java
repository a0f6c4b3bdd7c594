package dev.meshlens.collector.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded sample of lines that did not fit (one JSON object per line: time, source, position,
 * reason, sample). Writing stops at {@code maxBytes}; every misfit is still counted in metrics. The
 * sample stays inside the organisation (it is local, never published).
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper M = new ObjectMapper();
    public static final int SAMPLE_CHARS = 2048;

    private final Path file;
    private final long maxBytes;
    private long written;
    private boolean full;

    public DeadLetters(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
        try {
            this.written = file != null && Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            this.written = 0;
        }
    }

    /** A dead-letter sink that keeps nothing. */
    public static DeadLetters none() {
        return new DeadLetters(null, 0);
    }

    public Path file() {
        return file;
    }

    public synchronized void sample(String source, long position, String reason, String text) {
        if (file == null || full) {
            return;
        }
        ObjectNode o = M.createObjectNode();
        o.put("time", Instant.now().toString());
        o.put("source", source);
        o.put("position", position);
        o.put("reason", reason);
        String s = text == null ? "" : text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        o.put("sample", s);
        try {
            byte[] b = (M.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
            if (written + b.length > maxBytes) {
                full = true;
                LOG.warn(
                        "dead-letter sample file {} reached {} bytes; further misfits are only counted",
                        file,
                        maxBytes);
                return;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            written += b.length;
        } catch (IOException e) {
            LOG.warn("cannot write dead-letter sample to {}: {}", file, e.toString());
        }
    }
}
