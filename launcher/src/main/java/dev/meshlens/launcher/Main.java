package dev.meshlens.launcher;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import dev.meshlens.dist.LogSetup;
import dev.meshlens.dist.ServiceMain;
import dev.meshlens.launcher.config.ConfigSchemaCommand;
import dev.meshlens.launcher.demo.DemoCommand;
import dev.meshlens.localstack.LocalStackCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The single entry point behind {@code ./meshlens}. Each subcommand lives in its own module as a picocli
 * {@code @Command}; the services and their operator commands are the image's list ({@link ServiceMain#COMMANDS}),
 * and with the {@code subcommands} below (what only a developer machine runs) they are the one table of commands (help lists them in this
 * order, shell completion is generated from it, and {@code ./meshlens}'s case list is checked against it), and a
 * missing one is a compile error, not a run-time surprise. The subcommands and their {@code --json} outputs stay
 * owned (and tested) by their modules.
 */
@Command(
        name = "meshlens",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "Shows both halves of failed mutual-TLS handshakes between service meshes. Each command has"
                + " --help.",
        subcommands = {
            DemoCommand.class,
            ConfigSchemaCommand.class,
            LocalStackCommand.class,
            CompletionCommand.class,
            HelpCommand.class,
            ScriptCommands.Build.class,
            ScriptCommands.Test.class
        })
public final class Main implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        exitWithParent();
        System.exit(run(args));
    }

    /**
     * When started as a child of {@code ./meshlens demo} (which passes {@code meshlens.parent.pid}),
     * exit when the parent is gone, so a killed demo never leaves collectors or the query API behind.
     */
    static void exitWithParent() {
        String parent = System.getProperty("meshlens.parent.pid");
        if (parent == null || parent.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent.trim()))
                .ifPresentOrElse(
                        handle -> handle.onExit().thenRun(() -> {
                            System.err.println("meshlens: parent process " + parent + " is gone; stopping");
                            System.exit(0);
                        }),
                        () -> System.exit(0));
    }

    /** Runs the command {@code args} name on the standard streams; its exit code (2 for a usage error). */
    static int run(String... args) {
        return commandLine(System.out, System.err).execute(args);
    }

    /** Every command, configured the one way (a fresh instance each time: commands hold their parsed options). */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main());
        ServiceMain.COMMANDS.forEach(cl::addSubcommand);
        return LogSetup.applied(Cli.configure(cl, out, err));
    }

    /** The commands {@code ./meshlens} hands to this class: all but those the script answers itself. */
    static List<String> launcherCommands() {
        List<String> names = new ArrayList<>(
                commandLine(System.out, System.err).getSubcommands().keySet());
        names.remove("help"); // ./meshlens help prints the script's own summary
        names.removeAll(ScriptCommands.NAMES);
        return names;
    }

    /** No command: the list of commands, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Cli.USAGE;
    }
}
