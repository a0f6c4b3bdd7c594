package dev.meshlens.localstack.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.Comparator;

/**
 * Shared by the child-process node mains (Elasticsearch and Kafka): ties the child's life to its
 * parent and hands results back through files written atomically.
 */
public final class NodeSupport {
    /** System property with the parent's pid; the child exits when that process is gone. */
    public static final String PARENT_PID = "meshlens.parent.pid";
    /**
     * System property: "true" when the instance folder is temporary, so a child that loses its
     * parent (which can no longer clean up) deletes it itself after closing the node.
     */
    public static final String INSTANCE_TEMPORARY = "meshlens.instance.temporary";

    private static volatile Runnable onParentGone = () -> {};
    private static volatile boolean parentGone;

    private NodeSupport() {}

    /**
     * Exits this JVM (running shutdown hooks, so the node closes cleanly) when standard input
     * reaches end of file — the parent holds the other end of the pipe, and the kernel closes it
     * when the parent dies for any reason, SIGKILL included — or when the parent pid given in
     * {@link #PARENT_PID} is no longer alive. A second thread halts the JVM if the orderly exit
     * takes longer than {@code haltAfterSeconds}.
     */
    public static void exitWithParent(String what, int haltAfterSeconds) {
        Thread stdin = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buf = new byte[256];
                while (in.read(buf) >= 0) {
                    // the parent never writes; anything it sends is ignored
                }
            } catch (IOException e) {
                // closed pipe counts as end of file
            }
            exit(what + ": standard input closed (parent gone or stopping us)", haltAfterSeconds);
        }, "meshlens-parent-stdin-watch");
        stdin.setDaemon(true);
        stdin.start();

        String pid = System.getProperty(PARENT_PID);
        if (pid != null && !pid.isBlank()) {
            long parentPid = Long.parseLong(pid.trim());
            Thread poll = new Thread(() -> {
                while (true) {
                    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
                    if (parent.isEmpty() || !parent.get().isAlive()) {
                        exit(what + ": parent process " + parentPid + " is gone", haltAfterSeconds);
                        return;
                    }
                    try {
                        TimeUnit.SECONDS.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "meshlens-parent-pid-watch");
            poll.setDaemon(true);
            poll.start();
        }
    }

    /**
     * What to do, before exiting, when the parent is gone: close the node, then (see
     * {@link #INSTANCE_TEMPORARY}) delete the instance folder.
     */
    public static void onParentGone(Runnable closeNode, Path instanceDir) {
        onParentGone = () -> {
            closeNode.run();
            if (Boolean.getBoolean(INSTANCE_TEMPORARY)) {
                deleteTree(instanceDir);
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** True once this child is exiting because its parent is gone (it then calls System.exit itself). */
    public static boolean parentGone() {
        return parentGone;
    }

    private static synchronized void exit(String reason, int haltAfterSeconds) {
        parentGone = true;
        System.err.println(reason + "; exiting");
        Thread halt = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(haltAfterSeconds);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("orderly exit took longer than " + haltAfterSeconds + " s; halting");
            Runtime.getRuntime().halt(3);
        }, "meshlens-halt");
        halt.setDaemon(true);
        halt.start();
        try {
            onParentGone.run();
        } catch (Throwable t) {
            System.err.println("cleanup after losing the parent failed: " + t);
        }
        System.exit(0);
    }

    /** Writes {@code content} to {@code target} so that a reader sees all of it or nothing. */
    public static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
