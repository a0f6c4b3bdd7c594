package dev.meshlens.collector.tail;

/**
 * A followed file as seen by the consumer of its lines. {@link #identity()} is stable across
 * restarts and renames (device and inode plus a truncation generation), so event ids derived from it
 * and a line's offset stay the same when a line is replayed.
 */
public final class TailSource {
    private final String identity;
    private volatile String path;

    TailSource(String identity, String path) {
        this.identity = identity;
        this.path = path;
    }

    public String identity() {
        return identity;
    }

    public String path() {
        return path;
    }

    void path(String p) {
        this.path = p;
    }

    @Override
    public String toString() {
        return path + " (" + identity + ")";
    }
}
