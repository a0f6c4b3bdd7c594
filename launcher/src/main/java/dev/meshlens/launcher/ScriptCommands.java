package dev.meshlens.launcher;

import dev.meshlens.cli.MeshlensVersion;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The commands only the {@code ./meshlens} script runs (they drive Maven, which runs this launcher, not the other
 * way round). They are listed here so that help and shell completion show every command in one place.
 */
final class ScriptCommands {
    static final List<String> NAMES = List.of("build", "test");

    private ScriptCommands() {}

    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            versionProvider = MeshlensVersion.class,
            description = "compile and package every module, no tests (./meshlens only)")
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return refuse(spec);
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            versionProvider = MeshlensVersion.class,
            description = "build and run the whole test suite (./meshlens only)")
    static final class Test implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return refuse(spec);
        }
    }

    private static int refuse(CommandSpec spec) {
        spec.commandLine()
                .getErr()
                .println("meshlens " + spec.name() + ": run it as ./meshlens " + spec.name()
                        + " (it drives Maven, which runs this launcher)");
        return 2;
    }
}
