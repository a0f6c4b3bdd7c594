package dev.meshlens.launcher.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one check again and again on its own thread, {@code period} apart from start to start (a slow answer is
 * followed at once by the next request), until closed. A check that throws is counted and tried again.
 */
final class Poller implements AutoCloseable {
    /** One check; may block on I/O. */
    interface Check {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;
    private volatile String lastError = "";

    Poller(String name, Duration period, Check check) {
        long periodNanos = period.toNanos();
        thread = new Thread(
                () -> {
                    while (running) {
                        long start = System.nanoTime();
                        try {
                            check.run();
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            lastError = e.toString();
                        }
                        runs.incrementAndGet();
                        long left = periodNanos - (System.nanoTime() - start);
                        if (left > 0) {
                            try {
                                Thread.sleep(Duration.ofNanos(left));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    long runs() {
        return runs.get();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
