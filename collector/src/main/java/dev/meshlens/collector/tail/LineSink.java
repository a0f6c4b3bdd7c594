package dev.meshlens.collector.tail;

/**
 * Where a tailer delivers lines. The tailer opens a {@link SourceLines} for each source it follows, and opens
 * it again whenever it starts the source over (a new generation after copytruncate, a rewind to the durable
 * offset), so per-source state (a half-joined container line, the Envoy named by the path) lives in the
 * consumer and is dropped exactly when it no longer fits the bytes that follow.
 */
@FunctionalInterface
public interface LineSink {
    SourceLines open(TailSource source);
}
