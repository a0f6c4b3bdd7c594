package dev.meshlens.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.cli.MeshlensVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServiceMainTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private int run(String... args) {
        return ServiceMain.commandLine(stream, stream).execute(args);
    }

    @Test
    void theVersionIsTheBuilds() throws Exception {
        assertEquals(0, run("--version"));
        String version = new MeshlensVersion().getVersion()[0];
        assertTrue(
                !version.endsWith(" dev")
                        && buf.toString(StandardCharsets.UTF_8).contains(version),
                buf::toString);
    }

    @Test
    void everyServiceIsAnswered() {
        for (String service : new String[] {"collector", "redactor", "query-api", "correlator", "fix", "what-if"}) {
            buf.reset();
            assertEquals(0, run(service, "--help"), service);
        }
    }

    @Test
    void theDemoIsNotInTheImage() {
        assertEquals(2, run("demo"));
        assertEquals(2, run("local-stack"));
    }
}
