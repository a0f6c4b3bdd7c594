package dev.meshlens.launcher;

import dev.meshlens.cli.MeshlensVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./meshlens completion bash}: a bash completion script for every command, option and known value,
 * generated from the same annotations the commands parse with (picocli's {@link AutoComplete}), so it cannot
 * fall behind them.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = {
            "print a shell completion script: source <(./meshlens completion bash)",
            "Prints a bash completion script for every command, option and known value (zsh uses it too after"
                    + " `autoload -U +X bashcompinit && bashcompinit`). Install it for every new shell with",
            "  ./meshlens completion bash --output ~/.local/share/bash-completion/completions/meshlens"
        })
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script is written for. */
    enum Shell {
        bash
    }

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    private Shell shell;

    @Option(names = "--output", paramLabel = "FILE", description = "write the script to FILE instead of printing it")
    private Path output;

    @Override
    public Integer call() throws IOException {
        String script = AutoComplete.bash("meshlens", spec.root().commandLine());
        if (output == null) {
            spec.commandLine().getOut().print(script);
            spec.commandLine().getOut().flush();
            return 0;
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(output, script, StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("completion: wrote " + output);
        return 0;
    }
}
