package dev.meshlens.localstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose life is tied to this process. Its standard input is a pipe this process
 * never writes to: the child's main (see {@code NodeSupport.exitWithParent} in local-stack/nodes)
 * exits when the pipe reaches end of file, which the kernel guarantees when the parent dies, and
 * it also polls the parent pid passed as {@code -Dmeshlens.parent.pid}. Output and errors go to
 * one log file.
 *
 * <p>{@link #close()} stops it: close the pipe and send SIGTERM (the child's shutdown hooks close
 * the node), wait up to the grace period, then kill it and every descendant forcibly.
 */
public final class ChildJvm implements AutoCloseable {
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final List<String> command;
    private volatile boolean stopped;

    private ChildJvm(String name, Process process, Path logFile, List<String> command) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.command = List.copyOf(command);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    public List<String> command() {
        return command;
    }

    /** The last {@code lines} lines of the child's log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log " + logFile + " unreadable: " + e + ")";
        }
    }

    /** Closes the child's standard input, which the child treats exactly like the parent dying. */
    public void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    /** Stops the child and its descendants; returns once none of them is alive. */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        closeStdin();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
        stopped = true;
        ChildProcesses.unregister(this);
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }

    /** Builds the command line: {@code java JVM_ARGS -Dmeshlens.parent.pid=PID -cp CP MAIN ARGS}. */
    public static final class Builder {
        private final String name;
        private Path java = null;
        private final List<String> jvmArgs = new ArrayList<>();
        private String classpath;
        private String mainClass;
        private final List<String> args = new ArrayList<>();
        private Path logFile;
        private Path workingDir;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder java(Path java) {
            this.java = Objects.requireNonNull(java, "java");
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(Objects.requireNonNull(arg, "arg"));
            return this;
        }

        public Builder systemProperty(String key, Object value) {
            return jvmArg("-D" + key + "=" + value);
        }

        /** A classpath string; {@code dir/*} entries are expanded by the java launcher itself. */
        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath, "classpath");
            return this;
        }

        public Builder mainClass(String mainClass) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            return this;
        }

        public Builder arg(Object arg) {
            args.add(String.valueOf(Objects.requireNonNull(arg, "arg")));
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = Objects.requireNonNull(logFile, "logFile");
            return this;
        }

        public Builder workingDir(Path workingDir) {
            this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
            return this;
        }

        public ChildJvm start() throws IOException {
            Objects.requireNonNull(classpath, "classpath must be set");
            Objects.requireNonNull(mainClass, "mainClass must be set");
            Objects.requireNonNull(logFile, "logFile must be set");
            List<String> cmd = new ArrayList<>();
            cmd.add((java != null ? java : JavaBinary.current()).toString());
            cmd.addAll(jvmArgs);
            cmd.add("-Dmeshlens.parent.pid=" + ProcessHandle.current().pid());
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(mainClass);
            cmd.addAll(args);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            Process process = pb.start();
            // process.getOutputStream() is the child's stdin: kept open, never written, closed on stop.
            ChildJvm child = new ChildJvm(name, process, logFile, cmd);
            ChildProcesses.register(child);
            return child;
        }
    }
}
