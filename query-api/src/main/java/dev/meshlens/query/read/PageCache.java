package dev.meshlens.query.read;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A small, bounded, time-limited cache of answers (futures) by key. Under load the on-call page asks
 * the same first page of findings many times a second; one Elasticsearch search per key and TTL
 * answers them all. The future itself is cached, so concurrent callers of a key being loaded wait
 * on the same search instead of each starting one; a failed load is dropped at once so the next
 * caller retries. Keys must carry everything the answer depends on, the caller's scope included:
 * an entry is never shared between keys.
 */
public final class PageCache<K, V> {
    private record Slot<V>(Instant expires, CompletableFuture<V> value) {}

    private final Duration ttl;
    private final Clock clock;
    private final Map<K, Slot<V>> entries;

    /**
     * @param ttl how long an answer is served from the cache (zero disables caching)
     * @param maxEntries at most this many keys; the least recently used is evicted first
     */
    public PageCache(Duration ttl, int maxEntries, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be >= 0, got " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
        }
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached answer of {@code key} while fresh, else the result of {@code load} (then cached). */
    public CompletableFuture<V> get(K key, Supplier<CompletableFuture<V>> load) {
        if (ttl.isZero()) {
            return load.get();
        }
        Instant now = clock.instant();
        Slot<V> e;
        synchronized (entries) {
            e = entries.get(key);
            if (e != null && now.isBefore(e.expires())) {
                return e.value();
            }
            // Reserve the slot before loading so concurrent callers of the same key share one search.
            e = new Slot<>(now.plus(ttl), new CompletableFuture<>());
            entries.put(key, e);
        }
        Slot<V> mine = e;
        CompletableFuture<V> loaded;
        try {
            loaded = load.get();
        } catch (RuntimeException ex) {
            drop(key, mine);
            mine.value().completeExceptionally(ex);
            throw ex;
        }
        loaded.whenComplete((v, err) -> {
            if (err != null) {
                drop(key, mine);
                mine.value().completeExceptionally(err);
            } else {
                mine.value().complete(v);
            }
        });
        return mine.value();
    }

    private void drop(K key, Slot<V> e) {
        synchronized (entries) {
            entries.remove(key, e);
        }
    }

    /** Number of keys held (fresh or not yet evicted); for tests. */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
