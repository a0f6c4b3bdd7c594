package dev.meshlens.collector.publish;

import java.io.IOException;

/**
 * A filesystem of {@code capacity} bytes that fails writes the way a full disk does ("No space left
 * on device"), for tests that cannot mount a small filesystem, and for properties that fill and free
 * a disk many times a second.
 */
final class SmallDisk implements SpoolDisk {
    volatile long capacity;
    private long used;

    SmallDisk(long capacity) {
        this.capacity = capacity;
    }

    synchronized long used() {
        return used;
    }

    @Override
    public synchronized long usableSpace() {
        return Math.max(0, capacity - used);
    }

    @Override
    public synchronized void checkWrite(long bytes) throws IOException {
        if (used + bytes > capacity) {
            throw new IOException("No space left on device");
        }
    }

    @Override
    public synchronized void written(long bytes) {
        used += bytes;
    }
}
