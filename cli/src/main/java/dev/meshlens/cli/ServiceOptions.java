package dev.meshlens.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -c, --config FILE [--check]}: the options every service takes, spelled the same everywhere (a picocli
 * mixin: {@code @Mixin ServiceOptions service;}). {@code --check} validates the file, prints the resolved
 * configuration (secrets as {@code [hidden]}) and starts nothing.
 */
public final class ServiceOptions {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            required = true,
            description = "the service's YAML configuration (every key: ./meshlens config-schema ${COMMAND-NAME})")
    private Path config;

    @Option(
            names = "--check",
            description =
                    "validate the configuration, print it resolved (secrets as [hidden]) and exit; starts nothing")
    private boolean check;

    public Path config() {
        return config;
    }

    public boolean check() {
        return check;
    }
}
