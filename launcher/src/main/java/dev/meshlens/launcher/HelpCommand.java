package dev.meshlens.launcher;

import dev.meshlens.cli.MeshlensVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens help [COMMAND]}: the list of commands, or one command's help. (picocli's own help command
 * takes any argument as a command name and answers an unknown one with the list and exit code 0; this one holds
 * to the conventions of every other command.)
 */
@Command(
        name = "help",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "the list of commands, or a command's options (the same as COMMAND --help)")
final class HelpCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "COMMAND", description = "the command to show the options of")
    private String command;

    @Override
    public Integer call() {
        CommandLine top = spec.parent().commandLine();
        CommandLine shown = command == null ? top : top.getSubcommands().get(command);
        if (shown == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "unknown command '" + command + "'. Commands: "
                            + String.join(", ", top.getSubcommands().keySet()));
        }
        shown.usage(spec.commandLine().getOut());
        return 0;
    }
}
