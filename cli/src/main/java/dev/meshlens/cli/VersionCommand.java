package dev.meshlens.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meshlens version} (./meshlens and the image): what {@code --version} prints on every command. */
@Command(
        name = "version",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "print the meshlens version (the same as --version on any command)")
public final class VersionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().printVersionHelp(spec.commandLine().getOut());
        return 0;
    }
}
