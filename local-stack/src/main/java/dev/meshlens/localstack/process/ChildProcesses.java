package dev.meshlens.localstack.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every child JVM started by this process, and one JVM shutdown hook that stops those still
 * running when the parent exits (normal exit, Ctrl-C, SIGTERM, a failing test run). A parent
 * killed with SIGKILL cannot run hooks; the children notice on their own (standard input closes,
 * parent pid disappears) and exit.
 */
public final class ChildProcesses {
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private ChildProcesses() {}

    static void register(ChildJvm child) {
        installHook();
        RUNNING.add(child);
    }

    static void unregister(ChildJvm child) {
        RUNNING.remove(child);
    }

    /** Child JVMs started by this process that have not been stopped yet. */
    public static List<ChildJvm> running() {
        return List.copyOf(RUNNING);
    }

    /** Stops every registered child (in parallel) and waits for them. */
    public static void stopAll() {
        List<Thread> stoppers = new ArrayList<>();
        for (ChildJvm child : running()) {
            Thread t = new Thread(child::close, "meshlens-stop-" + child.name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void installHook() {
        if (hookInstalled) {
            return;
        }
        synchronized (ChildProcesses.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "meshlens-child-reaper"));
                hookInstalled = true;
            }
        }
    }
}
