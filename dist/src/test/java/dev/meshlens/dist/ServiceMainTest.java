package dev.meshlens.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.cli.MeshlensVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * {@code docker run IMAGE} with no arguments runs the image's default command: both image definitions (Jib's
     * {@code <args>} in this module's pom, the Dockerfile's {@code CMD}) must name a command this entry point answers.
     */
    @Test
    void theImagesDefaultCommandIsAnswered() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        Matcher jib = Pattern.compile("<args>\\s*<arg>([^<]+)</arg>\\s*</args>")
                .matcher(Files.readString(root.resolve("dist/pom.xml")));
        Matcher docker = Pattern.compile("(?m)^CMD \\[\"([^\"]+)\"]")
                .matcher(Files.readString(root.resolve("deploy/images/Dockerfile")));
        assertTrue(jib.find(), "Jib's <args> in dist/pom.xml");
        assertTrue(docker.find(), "CMD in deploy/images/Dockerfile");
        for (String command : new String[] {jib.group(1), docker.group(1)}) {
            buf.reset();
            assertEquals(0, run(command), () -> command + ": " + buf);
            assertTrue(
                    buf.toString(StandardCharsets.UTF_8).contains(new MeshlensVersion().getVersion()[0]),
                    buf::toString);
        }
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
