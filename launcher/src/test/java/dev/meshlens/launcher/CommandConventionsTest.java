package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command of {@code ./meshlens}, taken from the launcher's one table, follows the same conventions: {@code
 * --help} exits 0 and names every option; a missing option value or an unknown option is exit code 2 with a message
 * naming it; {@code --version} prints the pom's version; the completion script knows every command.
 */
class CommandConventionsTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.commandLine(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, CommandLine> commands() {
        return Main.commandLine(System.out, System.err).getSubcommands();
    }

    @TestFactory
    Stream<DynamicTest> helpExitsZeroAndNamesEveryOption() {
        return commands().entrySet().stream()
                .map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
                    Run r = run(c.getKey(), "--help");
                    assertEquals(0, r.code(), r.err());
                    assertTrue(r.out().contains("Usage: meshlens " + c.getKey()), r.out());
                    for (OptionSpec o : c.getValue().getCommandSpec().options()) {
                        for (String name : o.names()) {
                            assertTrue(
                                    r.out().contains(name), name + " in the help of " + c.getKey() + ":\n" + r.out());
                        }
                    }
                    for (PositionalParamSpec p : c.getValue().getCommandSpec().positionalParameters()) {
                        assertTrue(r.out().contains(p.paramLabel()), p.paramLabel() + " in " + r.out());
                    }
                    assertFalse(r.out().contains("\u001b["), "no terminal escape codes");
                }));
    }

    @TestFactory
    Stream<DynamicTest> aMissingValueIsExitTwoNamingTheOption() {
        List<DynamicTest> tests = new ArrayList<>();
        commands().forEach((name, cl) -> {
            for (OptionSpec o : cl.getCommandSpec().options()) {
                if (o.arity().min() > 0) {
                    tests.add(DynamicTest.dynamicTest(name + " " + o.longestName(), () -> {
                        Run r = run(name, o.longestName());
                        assertEquals(2, r.code(), r.err());
                        assertTrue(
                                r.err()
                                        .startsWith("meshlens " + name + ": Missing required parameter for option '"
                                                + o.longestName() + "'"),
                                r.err());
                        assertTrue(r.err().contains("Try 'meshlens " + name + " --help'"), r.err());
                    }));
                }
            }
        });
        assertTrue(tests.size() >= 20, "the commands' options that take a value: " + tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> anUnknownOptionIsExitTwoNamingIt() {
        return commands().keySet().stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    Run r = run(name, "--no-such-option");
                    assertEquals(2, r.code(), r.err());
                    assertTrue(
                            r.err().startsWith("meshlens " + name + ": Unknown option: '--no-such-option'"), r.err());
                }));
    }

    @TestFactory
    Stream<DynamicTest> versionIsThePomsVersion() throws Exception {
        String expected = "meshlens " + pomVersion();
        List<String> runs = new ArrayList<>(List.of("--version", "version"));
        commands().keySet().stream().filter(n -> !n.equals("help")).forEach(n -> runs.add(n + " --version"));
        return runs.stream()
                .map(args -> DynamicTest.dynamicTest(args, () -> {
                    Run r = run(args.split(" "));
                    assertEquals(0, r.code(), r.err());
                    assertEquals(expected, r.out().strip());
                }));
    }

    @Test
    void theCompletionScriptKnowsEveryCommandAndBashCompletesThem(@TempDir Path dir) throws Exception {
        Run r = run("completion", "bash");
        assertEquals(0, r.code(), r.err());
        String commandsLine = r.out()
                .lines()
                .filter(l -> l.contains("local commands=\""))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no command list in the script:\n" + r.out()));
        for (String name : commands().keySet()) {
            assertTrue(commandsLine.matches(".*[\" ]" + name + "[\" ].*"), name + " in " + commandsLine);
        }
        Path script = dir.resolve("meshlens.bash");
        assertEquals(0, run("completion", "bash", "--output", script.toString()).code());
        assertEquals(r.out(), Files.readString(script));
        // the script as bash runs it: `meshlens ex<TAB>`, `meshlens explain --fo<TAB>`, `meshlens explain --format
        // <TAB>`
        assertEquals("explain", complete(script, "meshlens", "ex"));
        assertEquals("--format", complete(script, "meshlens", "explain", "--fo"));
        assertTrue(complete(script, "meshlens", "explain", "--format", "").contains("istio"), "preset names");
        assertEquals("query-api", complete(script, "meshlens", "query"));
        // bash finds the completion of ./meshlens under its last path part, so registering `meshlens` covers it
        assertTrue(
                r.out().matches("(?s).*\ncomplete -F _complete_meshlens [^\n]* meshlens( [^\n]*)?\n.*"), "registered");
    }

    @Test
    void completionWantsAShellItKnows() {
        Run r = run("completion", "fish");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected one of [bash]"), r.err());
    }

    /** What bash offers after {@code words} with the script loaded (the last word is the one being completed). */
    static String complete(Path script, String... words) throws Exception {
        String array = String.join(" ", Stream.of(words).map(w -> "'" + w + "'").toList());
        String program = "source '" + script + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_meshlens; echo \"${COMPREPLY[*]}\"";
        // stderr: outside an interactive completion bash says "compopt: not currently executing completion function"
        Process p = new ProcessBuilder("bash", "-c", program)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The version in the parent pom (every module inherits it), read from the file, not repeated here. */
    static String pomVersion() throws Exception {
        Element project = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("..", "pom.xml").toFile())
                .getDocumentElement();
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals("version")) {
                return n.getTextContent().trim();
            }
        }
        throw new AssertionError("no <version> in ../pom.xml");
    }
}
