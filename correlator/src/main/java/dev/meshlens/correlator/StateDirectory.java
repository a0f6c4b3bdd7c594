package dev.meshlens.correlator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The correlator's RocksDB directory must be writable before the streams start: under a read-only root file system a
 * relative or unmounted path otherwise surfaces as a {@code ProcessorStateException} from a streams thread, which
 * names neither the key nor the fix.
 */
final class StateDirectory {
    private StateDirectory() {}

    /** Creates {@code dir} when missing; throws naming {@code correlation.state_dir} when that is not possible. */
    static void requireWritable(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException(message(dir, "cannot be created (" + e + ")"), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException(message(dir, "is not writable"));
        }
    }

    private static String message(Path dir, String what) {
        return "Invalid value " + dir + " for configuration " + CorrelatorKeys.STATE_DIR.name() + ": the directory "
                + what + "; mount a writable volume there (the Helm chart mounts one at /var/lib/meshlens/correlation)"
                + " or point " + CorrelatorKeys.STATE_DIR.name() + " at one";
    }
}
