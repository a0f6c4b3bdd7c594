package dev.meshlens.dist;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.cli.VersionCommand;
import dev.meshlens.collector.cli.CollectorCommand;
import dev.meshlens.collector.cli.ExplainCommand;
import dev.meshlens.correlator.CorrelatorCommand;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.fix.FixCommand;
import dev.meshlens.query.trust.WhatIfCommand;
import dev.meshlens.redactor.cli.RedactCommand;
import dev.meshlens.redactor.cli.RedactorStageCommand;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The container image's entry point ({@code deploy/images/entrypoint.sh}): the services the Helm chart runs and the
 * operator commands of their modules, dispatched by the first argument as {@code ./meshlens} does. No demo, no local
 * stack: the image carries only what its components run (this module's runtime classpath, ImageClasspathTest).
 */
@Command(
        name = "meshlens",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "The meshlens services and their operator commands (the image's entry point). Each command has"
                + " --help.")
public final class ServiceMain implements Callable<Integer> {
    /**
     * The commands the image answers, in help order: the one list, which {@code ./meshlens} also takes its service
     * commands from.
     */
    public static final List<Class<?>> COMMANDS = List.of(
            CollectorCommand.class,
            RedactorStageCommand.class,
            QueryApiCommand.class,
            CorrelatorCommand.class,
            ExplainCommand.class,
            RedactCommand.class,
            WhatIfCommand.class,
            FixCommand.class,
            VersionCommand.class);

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return commandLine(System.out, System.err).execute(args);
    }

    /** The image's commands, configured the one way, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new ServiceMain());
        COMMANDS.forEach(cl::addSubcommand);
        return LogSetup.applied(Cli.configure(cl, out, err));
    }

    /** No command: the list of commands, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }
}
