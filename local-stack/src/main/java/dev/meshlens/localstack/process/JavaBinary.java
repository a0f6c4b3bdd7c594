package dev.meshlens.localstack.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the {@code java} binary child JVMs run with: the one running this process. */
public final class JavaBinary {
    private JavaBinary() {}

    /**
     * The current process's own executable when it is a {@code java} launcher (it always is for
     * Maven, Surefire and {@code ./meshlens}), else {@code $java.home/bin/java}. Either way the
     * child runs on the same JDK as the parent, which the build already requires to be 21+.
     */
    public static Path current() {
        Optional<String> command = ProcessHandle.current().info().command();
        if (command.isPresent()) {
            Path p = Path.of(command.get());
            String name = p.getFileName().toString();
            if ((name.equals("java") || name.equals("java.exe")) && Files.isExecutable(p)) {
                return p;
            }
        }
        Path fallback = Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java");
        if (!Files.isExecutable(fallback)) {
            throw new IllegalStateException("cannot find the java binary of this JVM (looked at "
                    + command.orElse("<no command>") + " and " + fallback + ")");
        }
        return fallback;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    }
}
