package dev.meshlens.localstack.process;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A service node running as a child JVM with a folder of its own: what a local Kafka broker and a local
 * Elasticsearch node have in common (the process, its start-up time, its log, and a folder deleted on close
 * only when the node made it).
 */
public abstract class LocalNode implements AutoCloseable {
    private final ChildJvm child;
    private final Path dir;
    private final boolean deleteDir;
    private final Duration startup;

    /**
     * @param dir the node's data or instance folder
     * @param deleteDir whether {@link #close()} removes {@code dir} (a temporary folder the node made, never one the
     *     user gave)
     */
    protected LocalNode(ChildJvm child, Path dir, boolean deleteDir, Duration startup) {
        this.child = child;
        this.dir = dir;
        this.deleteDir = deleteDir;
        this.startup = startup;
    }

    protected Path dir() {
        return dir;
    }

    public long pid() {
        return child.pid();
    }

    public ProcessHandle processHandle() {
        return child.handle();
    }

    public boolean isRunning() {
        return child.isAlive();
    }

    /** Time from launching the child JVM to a node that answers. */
    public Duration startupTime() {
        return startup;
    }

    public Path logFile() {
        return child.logFile();
    }

    /** The child JVM itself (for tests that need to see or simulate its end). */
    public ChildJvm process() {
        return child;
    }

    /** Stops the node (graceful, then forcibly) and removes its folder if the node made it. */
    @Override
    public void close() {
        child.close();
        if (deleteDir) {
            Dirs.deleteQuietly(dir);
        }
    }
}
