package dev.meshlens.collector.publish;

import dev.meshlens.events.MeshEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The exporter stage: takes redacted events, returns when each is durable (acknowledged by Kafka or
 * written to the disk spool). May block the caller when its bounds are reached (back-pressure).
 */
public interface EventPublisher extends AutoCloseable {
    CompletableFuture<Void> publish(MeshEvent redactedEvent) throws InterruptedException;

    /**
     * Why this publisher cannot take events now (its spool is full and sources should pause), or null.
     * Push sources answer "retry later" at once instead of holding the sender's connection.
     */
    default String paused() {
        return null;
    }

    @Override
    default void close() {}

    /** Completes immediately, keeps nothing. */
    static EventPublisher noop() {
        return e -> CompletableFuture.completedFuture(null);
    }
}
