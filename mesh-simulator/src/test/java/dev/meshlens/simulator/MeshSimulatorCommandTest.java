package dev.meshlens.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argument handling only; the simulator itself is tested by LiveSimulator's tests. */
class MeshSimulatorCommandTest {
    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                new MeshSimulatorCommand(),
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void usageErrorsNameTheOptionInsteadOfAnIndexException() {
        String[] missing = run("--out");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("Missing required parameter for option '--out'"), missing[2]);
        String[] badFault = run("--out", "d", "--fault", "NOPE:a->b");
        assertEquals("2", badFault[0]);
        assertTrue(badFault[2].contains("Invalid value for option '--fault'"), badFault[2]);
        assertTrue(badFault[2].contains("unknown fault 'NOPE'"), badFault[2]);
        assertEquals("2", run("--out", "d", "--fault", "backend->info")[0]);
        assertEquals("2", run("--out", "d", "--seed", "x")[0]);
    }

    @Test
    void helpListsTheFaults() {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains(Fault.values()[0].name()), r[1]);
    }
}
