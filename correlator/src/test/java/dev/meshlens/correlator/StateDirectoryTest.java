package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory that cannot be used stops the start with the key and the fix, before any streams thread runs. */
class StateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreated() {
        Path dir = tmp.resolve("a/b/correlation");
        StateDirectory.requireWritable(dir);
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aDirectoryThatCannotBeCreatedNamesTheKeyAndTheFix() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> StateDirectory.requireWritable(file.resolve("state")));
        assertTrue(e.getMessage().contains("correlation.state_dir"), e.getMessage());
        assertTrue(e.getMessage().contains("mount a writable volume"), e.getMessage());
    }
}
