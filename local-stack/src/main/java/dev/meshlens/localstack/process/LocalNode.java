package dev.meshlens.localstack.process;

import dev.meshlens.localstack.layout.NodeLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    /** The child-JVM options every local node takes; each has a default. */
    public abstract static class Builder<B extends Builder<B>> {
        private Path home;
        private String heap;
        private Duration startTimeout;
        private boolean c1Only = true;
        private final List<String> extraJvmArgs = new ArrayList<>();

        protected Builder(String defaultHeap, Duration defaultStartTimeout) {
            this.heap = defaultHeap;
            this.startTimeout = defaultStartTimeout;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Use this laid-out home instead of looking it up with {@link NodeLayout#home}. */
        public B home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return self();
        }

        /** Heap for -Xms and -Xmx, e.g. 512m. */
        public B heap(String heap) {
            this.heap = Objects.requireNonNull(heap, "heap");
            return self();
        }

        /**
         * Run the child with the C1 JIT only ({@code -XX:TieredStopAtLevel=1}, the default): measured
         * here at 40-55% less CPU to get the node ready, which is what counts on 2 shared cores; set
         * false for long, heavy runs where C2's peak throughput matters more.
         */
        public B c1Only(boolean c1Only) {
            this.c1Only = c1Only;
            return self();
        }

        /** An extra JVM option for the child (e.g. {@code -XX:+HeapDumpOnOutOfMemoryError}). */
        public B jvmArg(String arg) {
            extraJvmArgs.add(Objects.requireNonNull(arg, "arg"));
            return self();
        }

        public B startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return self();
        }

        protected Path home(NodeLayout.Kind kind) {
            return home != null ? home.toAbsolutePath() : NodeLayout.home(kind);
        }

        /** A child JVM with the heap and the serial collector (one small node: no GC threads to spare). */
        protected ChildJvm.Builder childJvm(String name) {
            return ChildJvm.builder(name)
                    .jvmArg("-Xms" + heap)
                    .jvmArg("-Xmx" + heap)
                    .jvmArg("-XX:+UseSerialGC");
        }

        /** The JIT choice and the caller's extra options, last so that they win over the node's own. */
        protected ChildJvm.Builder withCallerOptions(ChildJvm.Builder cb) {
            if (c1Only) {
                cb.jvmArg("-XX:TieredStopAtLevel=1");
            }
            extraJvmArgs.forEach(cb::jvmArg);
            return cb;
        }

        /** Fails the start once {@code startTimeout} has passed since {@code t0}, with the child's log tail. */
        protected void checkStartTimeout(long t0, ChildJvm child, String what) throws IOException {
            if (System.nanoTime() - t0 > startTimeout.toNanos()) {
                throw new IOException(what + " not ready within " + startTimeout + "; log " + child.logFile() + ":\n"
                        + child.logTail(40));
            }
        }
    }
}
