package dev.meshlens.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option handling only; starting the real stack is covered by testkit's integration tests. */
class LocalStackCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LocalStackCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsUsage() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--kafka-port"));
    }

    @Test
    void badPortIsRejectedWithTheOptionName() {
        assertEquals(2, run("--es-port", "70000"));
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .contains("Invalid value for option '--es-port': expected a port 0..65535, not '70000'"),
                err.toString());
    }

    @Test
    void unknownOptionAndNothingToStartAreErrors() {
        assertEquals(2, run("--frobnicate"));
        assertEquals(2, run("--no-kafka", "--no-es"));
        assertEquals(2, run("--data-dir"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--no-kafka and --no-es together"), err.toString());
        assertTrue(
                err.toString(StandardCharsets.UTF_8).contains("Missing required parameter for option '--data-dir'"),
                err.toString());
    }

    @Test
    void defaultsAreTheUsualPorts() {
        LocalStackCommand c = new LocalStackCommand();
        new CommandLine(c).parseArgs();
        LocalStackCommand.Options o = c.o;
        assertEquals(9092, o.kafkaPort);
        assertEquals(9200, o.esPort);
        assertTrue(o.kafka() && o.es() && !o.es8 && !o.once);
    }
}
