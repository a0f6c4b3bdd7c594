package dev.meshlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

class CliTest {
    @Command(
            name = "probe",
            mixinStandardHelpOptions = true,
            versionProvider = MeshlensVersion.class,
            description = "a command for the tests")
    static final class Probe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServiceOptions service;

        @Option(names = "--port", paramLabel = "N", converter = PortConverter.class)
        Integer port;

        @Option(names = "--fail", description = "throw from call()")
        boolean fail;

        @Option(names = "--reject", description = "find a usage error in call()")
        boolean reject;

        @Parameters(arity = "0..1", paramLabel = "FILE")
        String file;

        @Override
        public Integer call() {
            if (reject) {
                throw new ParameterException(spec.commandLine(), "--reject and a sunny day exclude each other");
            }
            if (fail) {
                throw new IllegalStateException("broken");
            }
            return service.check() ? 8 : 7;
        }
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(
                new Probe(),
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommandsExitCodeIsReturned() {
        assertEquals(7, run("--config", "f.yaml").code());
        assertEquals(7, run("-c", "f.yaml", "@not-an-arguments-file").code(), "'@' arguments are plain values");
        assertEquals(7, run("--config=f.yaml", "-").code(), "'-' (stdin) is a positional value");
        assertEquals(8, run("--check", "-c", "f.yaml").code());
    }

    @Test
    void helpExitsZeroNamesEveryOptionAndHasNoEscapeCodes() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String o : new String[] {"--config", "-c", "--check", "--port", "--fail", "--help", "--version"}) {
            assertTrue(r.out().contains(o), o + " in " + r.out());
        }
        assertTrue(r.out().contains("config-schema probe"), "the mixin names the command: " + r.out());
        assertFalse(r.out().contains("\u001b["), r.out());
    }

    @Test
    void aMissingValueIsAUsageErrorNamingTheOption() {
        Run r = run("--config");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("probe: Missing required parameter for option '--config' (FILE)"), r.err());
        assertTrue(r.err().contains("Usage: probe"), r.err());
        assertTrue(r.err().contains("Try 'probe --help'"), r.err());
        Run missing = run();
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--config=FILE'"), missing.err());
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        Run r = run("-c", "f", "--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
        Run alone = run("--frobnicate");
        assertEquals(2, alone.code());
        assertTrue(
                alone.err().startsWith("probe: Unknown option: '--frobnicate'"),
                "an unknown option is named before a missing required one: " + alone.err());
        Run extra = run("a", "b");
        assertEquals(2, extra.code());
        assertTrue(extra.err().contains("'b'"), extra.err());
        Run close = run("-c", "f", "--prot", "1");
        assertTrue(close.err().contains("--port"), "a near miss suggests the option: " + close.err());
    }

    @Test
    void aBadValueNamesTheOptionAndWhatItWants() {
        Run r = run("-c", "f", "--port", "70000");
        assertEquals(2, r.code());
        assertTrue(
                r.err().contains("Invalid value for option '--port': expected a port 0..65535, not '70000'"), r.err());
        assertEquals(2, run("-c", "f", "--port", "http").code());
    }

    @Test
    void usageErrorsFoundByTheCommandEndTheSameWay() {
        Run r = run("-c", "f", "--reject");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("probe: --reject and a sunny day exclude each other"), r.err());
    }

    @Test
    void anEscapingExceptionIsOneLineAndExitCodeOne() {
        Run r = run("-c", "f", "--fail");
        assertEquals(1, r.code());
        assertEquals("probe: java.lang.IllegalStateException: broken", r.err().strip());
    }

    @Test
    void versionIsThePomsVersion() throws Exception {
        String pom = pomVersion();
        assertFalse(pom.isBlank());
        assertEquals(pom, MeshlensVersion.get());
        Run r = run("--version");
        assertEquals(0, r.code());
        assertEquals("meshlens " + pom, r.out().strip());
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
