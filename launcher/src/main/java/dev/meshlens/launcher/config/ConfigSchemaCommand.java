package dev.meshlens.launcher.config;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.config.JsonSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens config-schema SERVICE} prints the JSON Schema of a service's configuration;
 * {@code ./meshlens config-schema --write-docs} regenerates the key tables in docs/ and the schemas in
 * docs/schemas/ from the services' tables.
 */
@Command(
        name = "config-schema",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "print a service's configuration JSON Schema, or regenerate the configuration docs")
public final class ConfigSchemaCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "SERVICE",
            completionCandidates = ServiceNames.class,
            description = "one of ${COMPLETION-CANDIDATES}")
    private String service;

    @Option(
            names = "--write-docs",
            description = "regenerate the key tables in docs/ and the schemas in docs/schemas/ (under meshlens.home)")
    private boolean writeDocs;

    private final PrintStream out;
    private final PrintStream err;

    /** The launcher's: standard streams. */
    public ConfigSchemaCommand() {
        this(System.out, System.err);
    }

    private ConfigSchemaCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The services, for --help and shell completion. */
    static final class ServiceNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ConfigReference.names().iterator();
        }
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.run(new ConfigSchemaCommand(out, err), args, out, err);
    }

    @Override
    public Integer call() {
        if ((service == null) == !writeDocs) {
            throw new ParameterException(spec.commandLine(), "give either a SERVICE or --write-docs");
        }
        if (writeDocs) {
            Path root = Path.of(System.getProperty("meshlens.home", "."));
            try {
                List<String> changed = ConfigReference.regenerate(root, true);
                out.println(
                        changed.isEmpty()
                                ? "config-schema: the generated reference is up to date"
                                : "config-schema: rewrote " + String.join(", ", changed));
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                err.println("config-schema: " + e.getMessage());
                return 1;
            }
        }
        ConfigReference.Service s = ConfigReference.service(service);
        if (s == null) {
            throw new ParameterException(spec.commandLine(), "unknown service '" + service + "'");
        }
        out.print(JsonSchema.of(s.def()));
        return 0;
    }
}
