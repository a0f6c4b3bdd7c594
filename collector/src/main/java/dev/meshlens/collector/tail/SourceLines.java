package dev.meshlens.collector.tail;

import java.util.concurrent.CompletionStage;

/**
 * Receives the lines of one source in file order. May block (that is the back-pressure path). Returns a stage
 * that completes when the line's outcome is durable (published, spooled, or dropped as a counted misfit); the
 * tailer checkpoints an offset only once every line before it is durable. Null means "durable now".
 */
@FunctionalInterface
public interface SourceLines {
    CompletionStage<?> accept(TailedLine line) throws InterruptedException;
}
