package dev.meshlens.launcher;

import dev.meshlens.cli.MeshlensVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./meshlens version}: what {@code --version} prints on every command. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "print the meshlens version (the same as --version on any command)")
final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().printVersionHelp(spec.commandLine().getOut());
        return 0;
    }
}
