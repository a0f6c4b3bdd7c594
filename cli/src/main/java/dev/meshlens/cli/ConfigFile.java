package dev.meshlens.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code -c, --config FILE}: the one option every service takes, spelled the same everywhere (a picocli mixin:
 * {@code @Mixin ConfigFile config;}).
 */
public final class ConfigFile {
    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            required = true,
            description = "the service's YAML configuration (every key: ./meshlens config-schema ${COMMAND-NAME})")
    private Path file;

    public Path path() {
        return file;
    }
}
