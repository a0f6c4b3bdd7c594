package dev.meshlens.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where {@code NAME_env} and {@code NAME_file} secrets come from, as Kubernetes hands them over: environment
 * variables and mounted files. Tests pass their own.
 */
public interface Environment {
    String getenv(String name);

    String readFile(String path) throws IOException;

    static Environment system() {
        return of(System::getenv);
    }

    /** Variables from a map, files from the file system (tests). */
    static Environment of(Map<String, String> variables) {
        return of(variables::get);
    }

    /** Variables from a lookup, files from the file system. */
    static Environment of(Function<String, String> variables) {
        return new Environment() {
            @Override
            public String getenv(String name) {
                return variables.apply(name);
            }

            @Override
            public String readFile(String path) throws IOException {
                return Files.readString(Path.of(path));
            }
        };
    }
}
