package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MainTest {

    /** The commands ./meshlens passes on (its case list) and the order help shows them in. */
    @Test
    void theLauncherOffersTheScriptsCommandsInHelpOrder() throws Exception {
        // The ./meshlens script hands these commands to the launcher in one case pattern; the two lists must agree
        // (a command missing from the script is unreachable, one missing here is "unknown command").
        String script = Files.readString(Path.of("..", "meshlens"));
        Matcher m = Pattern.compile("(?m)^\\s*(demo\\|[a-z|-]+)\\)\\s*$").matcher(script);
        assertTrue(m.find(), "the script's case pattern for launcher commands");
        List<String> handedOver = new ArrayList<>(List.of(m.group(1).split("\\|")));
        assertTrue(handedOver.remove("version"));
        assertEquals(handedOver, new ArrayList<>(Main.COMMANDS.keySet()));
    }

    @Test
    void aCommandGetsTheArgumentsAfterItsNameAndItsExitCodeIsReturned() {
        List<String[]> seen = new ArrayList<>();
        Map<String, Main.Command> table = Map.of(
                "probe",
                new Main.Command(
                        a -> {
                            seen.add(a);
                            return 7;
                        },
                        "test"));
        assertEquals(7, Main.dispatch(table, new String[] {"probe", "--config", "f.yaml"}));
        assertArrayEquals(new String[] {"--config", "f.yaml"}, seen.get(0));
    }

    @Test
    void anExceptionEscapingACommandIsExitCodeOneWithTheCommandNamed() {
        Map<String, Main.Command> table = Map.of(
                "boom",
                new Main.Command(
                        a -> {
                            throw new IllegalStateException("broken");
                        },
                        "test"));
        String err = stderrOf(() -> assertEquals(1, Main.dispatch(table, new String[] {"boom"})));
        assertTrue(err.contains("meshlens boom: java.lang.IllegalStateException: broken"), err);
    }

    @Test
    void unknownCommandIsAUsageError() {
        String err = stderrOf(() -> assertEquals(2, Main.run(new String[] {"frobnicate"})));
        assertTrue(err.contains("unknown command 'frobnicate'"), err);
    }

    @Test
    void noCommandPrintsHelpAndIsAUsageErrorWhileHelpItselfSucceeds() {
        assertEquals(2, Main.run(new String[0]));
        assertEquals(0, Main.run(new String[] {"help"}));
    }

    /** A real command runs through the table: explain's own help is exit code 0. */
    @Test
    void dispatchesToTheRealCommand() {
        assertEquals(0, Main.run(new String[] {"explain", "--help"}));
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
