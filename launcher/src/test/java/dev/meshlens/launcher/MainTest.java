package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class MainTest {

    /** The commands ./meshlens passes on (its case list) and the order help shows them in. */
    @Test
    void theLauncherOffersTheScriptsCommandsInHelpOrder() throws Exception {
        // The ./meshlens script hands these commands to the launcher in one case pattern; the two lists must agree
        // (a command missing from the script is unreachable, one missing here is "unknown command").
        String script = Files.readString(Path.of("..", "meshlens"));
        Matcher m = Pattern.compile("(?m)^\\s*(demo\\|[a-z|-]+)\\)\\s*$").matcher(script);
        assertTrue(m.find(), "the script's case pattern for launcher commands");
        assertEquals(List.of(m.group(1).split("\\|")), Main.launcherCommands());
        for (String scriptOnly : ScriptCommands.NAMES) {
            assertTrue(script.contains("\n  " + scriptOnly + ")"), "the script runs " + scriptOnly + " itself");
        }
    }

    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--config")
        String config;

        @Option(names = "--boom")
        boolean boom;

        @Override
        public Integer call() {
            if (boom) {
                throw new IllegalStateException("broken");
            }
            return config == null ? 0 : 7;
        }
    }

    /** Main's command line with one more command, configured as Main configures its own. */
    private static CommandLine withProbe(Probe probe, ByteArrayOutputStream err) {
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cl = Main.commandLine(System.out, e);
        cl.addSubcommand(probe);
        return Cli.configure(cl, System.out, e);
    }

    @Test
    void aCommandGetsTheArgumentsAfterItsNameAndItsExitCodeIsReturned() {
        Probe probe = new Probe();
        assertEquals(7, withProbe(probe, new ByteArrayOutputStream()).execute("probe", "--config", "f.yaml"));
        assertEquals("f.yaml", probe.config);
    }

    @Test
    void anExceptionEscapingACommandIsExitCodeOneWithTheCommandNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, withProbe(new Probe(), err).execute("probe", "--boom"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("meshlens probe: java.lang.IllegalStateException: broken"), e);
    }

    @Test
    void unknownCommandIsAUsageError() {
        String err = stderrOf(() -> assertEquals(2, Main.run("frobnicate")));
        assertTrue(err.contains("meshlens: unknown command 'frobnicate'. Commands: demo, config-schema,"), err);
    }

    @Test
    void noCommandPrintsHelpAndIsAUsageErrorWhileHelpItselfSucceeds() {
        String out = stdoutOf(() -> assertEquals(2, Main.run()));
        assertTrue(out.contains("Usage: meshlens [-hV] [COMMAND]"), out);
        for (String name : Main.launcherCommands()) {
            assertTrue(out.contains("\n  " + name + " "), name + " listed in " + out);
        }
        assertEquals(0, Main.run("help"));
        assertEquals(0, Main.run("--help"));
        String explain = stdoutOf(() -> assertEquals(0, Main.run("help", "explain")));
        assertTrue(explain.startsWith("Usage: meshlens explain"), explain);
        String err = stderrOf(() -> assertEquals(2, Main.run("help", "frobnicate")));
        assertTrue(err.contains("meshlens help: unknown command 'frobnicate'"), err);
    }

    /** A real command runs through the table: explain's own help is exit code 0. */
    @Test
    void dispatchesToTheRealCommand() {
        assertEquals(0, Main.run("explain", "--help"));
    }

    @Test
    void buildAndTestAreListedButBelongToTheScript() {
        String err = stderrOf(() -> assertEquals(2, Main.run("build")));
        assertTrue(err.contains("run it as ./meshlens build"), err);
    }

    static String stderrOf(Runnable r) {
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

    static String stdoutOf(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
