package dev.meshlens.collector.pipeline;

import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.Rollup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls successful requests up: per source (the Envoy that wrote them), the pair as that Envoy saw it
 * (role, direction, own and peer identity, cluster, SNI, authority), whether TLS was used, the
 * outcome (response class) and the interval of Envoy time the requests fall in: one event per key with a
 * count and the first and last time. Failures
 * never come here (every one is evidence), nor do successes that may be evidence of something else
 * (nothing received and no response code: the client half of a plaintext connection looks like that).
 *
 * <p>Durability: a rolled-up line counts as delivered only when the roll-up event that stands for it
 * is durable, so the future {@link #add} returns completes when the bucket's event does; a file's
 * checkpoint therefore trails by at most one interval. A bucket is published when it is
 * {@code interval} old (wall clock), at the latest by {@link #flushAll} at close.
 */
public final class SuccessRollups {
    private static final Logger LOG = LoggerFactory.getLogger(SuccessRollups.class);

    /** What makes two successful requests the same for correlation, rates and ratios. */
    public record Key(
            String source,
            ObserverRole role,
            Direction direction,
            String local,
            String peer,
            String cluster,
            String sni,
            String authority,
            boolean tls,
            int outcome,
            long window) {}

    private static final class Bucket {
        final MeshEvent first;
        final long firstPosition;
        final long createdNanos = System.nanoTime();
        final CompletableFuture<Void> durable = new CompletableFuture<>();
        long count;
        Instant firstTime;
        Instant lastTime;

        Bucket(MeshEvent first, long position) {
            this.first = first;
            this.firstPosition = position;
            this.firstTime = first.observedTime();
            this.lastTime = first.observedTime();
        }

        void count(Instant time) {
            count++;
            if (time.isBefore(firstTime)) {
                firstTime = time;
            }
            if (time.isAfter(lastTime)) {
                lastTime = time;
            }
        }
    }

    private final EventPublisher publisher;
    private final long intervalNanos;
    private final long intervalMillis;
    private final int maxBuckets;
    private final Map<Key, Bucket> open = new HashMap<>();

    /**
     * @param publisher where roll-up events go (already redacted events are rolled up)
     * @param interval how long a bucket collects before it is published
     * @param maxBuckets open buckets at most; beyond it the oldest is published early (memory bound)
     */
    public SuccessRollups(EventPublisher publisher, Duration interval, int maxBuckets) {
        this.publisher = publisher;
        this.intervalNanos = interval.toNanos();
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.maxBuckets = Math.max(1, maxBuckets);
    }

    /** Whether a successful (not failed) event is plain healthy traffic that a roll-up may stand for. */
    public static boolean rollsUp(MeshEvent e) {
        if (e.isFailure() || e.stats() != null || !e.certificates().isEmpty() || e.trustBundle() != null) {
            return false;
        }
        return healthy(
                e.responseCode() == null ? -1 : e.responseCode(), e.bytesReceived() == null ? -1 : e.bytesReceived());
    }

    /**
     * A success that a roll-up may stand for: answered, or something received. The client half of a plaintext
     * connection (nothing received, no response code) may be evidence and stays an event of its own.
     */
    public static boolean healthy(long responseCode, long bytesReceived) {
        return responseCode > 0 || bytesReceived > 0;
    }

    /** The group of a successful event (already built): the same key {@link #key} gives for its line. */
    public CompletableFuture<Void> add(String source, long position, MeshEvent e) throws InterruptedException {
        Key k = key(
                source,
                e.observerRole(),
                e.direction(),
                e.localUriSan(),
                e.peerUriSan(),
                e.upstreamCluster(),
                e.requestedServerName(),
                e.authority(),
                e.tlsVersion() != null,
                e.responseCode(),
                e.observedTime());
        return add(k, e.observedTime(), position, () -> e);
    }

    /** What makes two successful requests of {@code source} the same for correlation, rates and ratios. */
    public Key key(
            String source,
            ObserverRole role,
            Direction direction,
            String local,
            String peer,
            String cluster,
            String sni,
            String authority,
            boolean tls,
            Integer responseCode,
            Instant time) {
        return new Key(
                source,
                role,
                direction,
                local,
                peer,
                cluster,
                sni,
                authority,
                tls,
                responseCode == null ? 0 : responseCode / 100,
                // Envoy time, so a backlog read at once still rolls up per interval of when requests happened
                Math.floorDiv(time.toEpochMilli(), intervalMillis));
    }

    /** A cache of recent keys for one thread (see {@link Keys}). */
    public Keys newKeys() {
        return new Keys();
    }

    /**
     * The keys one thread made recently (direct-mapped, 64 entries): a request whose parts are the very same
     * objects as a recent key's (a line's values are interned, see {@code ParsedLine.getInterned}) in the same
     * window gets that key back instead of a new one, so counting a healthy line allocates no key. Anything
     * else (another instance of an equal string included) makes a new key, equal to what {@link #key} makes.
     * One thread only.
     */
    public final class Keys {
        private final Key[] recent = new Key[64];

        private Keys() {}

        /** {@link SuccessRollups#key} of the same arguments, often without making one. */
        public Key key(
                String source,
                ObserverRole role,
                Direction direction,
                String local,
                String peer,
                String cluster,
                String sni,
                String authority,
                boolean tls,
                Integer responseCode,
                Instant time) {
            int outcome = responseCode == null ? 0 : responseCode / 100;
            long window = Math.floorDiv(time.toEpochMilli(), intervalMillis);
            int h = Objects.hashCode(source);
            h = 31 * h + Objects.hashCode(local);
            h = 31 * h + Objects.hashCode(peer);
            h = 31 * h + Objects.hashCode(cluster);
            h = 31 * h + Objects.hashCode(sni);
            h = 31 * h + Objects.hashCode(authority);
            h = 31 * h + Objects.hashCode(role) + Objects.hashCode(direction) + outcome + (int) window;
            int idx = (h ^ (h >>> 16)) & (recent.length - 1);
            Key k = recent[idx];
            if (k != null
                    && k.window() == window
                    && k.outcome() == outcome
                    && k.tls() == tls
                    && k.role() == role
                    && k.direction() == direction
                    && k.source() == source
                    && k.local() == local
                    && k.peer() == peer
                    && k.cluster() == cluster
                    && k.sni() == sni
                    && k.authority() == authority) {
                return k;
            }
            k = new Key(source, role, direction, local, peer, cluster, sni, authority, tls, outcome, window);
            recent[idx] = k;
            return k;
        }
    }

    /**
     * Counts one successful request at {@code time} into group {@code k} if that group is open, and returns the
     * future of its roll-up (as {@link #add} does); null when the group is not open, and then nothing was
     * counted: call {@link #add} with the request's event.
     */
    public CompletableFuture<Void> count(Key k, Instant time) {
        synchronized (open) {
            Bucket b = open.get(k);
            if (b == null) {
                return null;
            }
            b.count(time);
            return b.durable;
        }
    }

    /**
     * Counts one successful request at {@code time}, read at {@code position} of its source, into group
     * {@code k}; the future completes when the roll-up that counts it is durable. {@code firstEvent} is
     * asked only when the request opens a group: it builds (and redacts) the event the roll-up is made of,
     * so the other requests of a group are never mapped or redacted. Keys are taken before redaction:
     * two groups never merge because redaction made their fields alike (at worst they stay two roll-ups).
     */
    public CompletableFuture<Void> add(Key k, Instant time, long position, Supplier<MeshEvent> firstEvent)
            throws InterruptedException {
        Bucket full = null;
        CompletableFuture<Void> f;
        synchronized (open) {
            Bucket b = open.get(k);
            if (b == null) {
                if (open.size() >= maxBuckets) {
                    full = oldest();
                }
                b = new Bucket(firstEvent.get(), position);
                open.put(k, b);
            }
            b.count(time);
            f = b.durable;
        }
        if (full != null) {
            publish(full);
        }
        return f;
    }

    private Bucket oldest() {
        Map.Entry<Key, Bucket> min = null;
        for (Map.Entry<Key, Bucket> en : open.entrySet()) {
            if (min == null || en.getValue().createdNanos < min.getValue().createdNanos) {
                min = en;
            }
        }
        open.remove(min.getKey());
        return min.getValue();
    }

    /** Publishes every bucket that is an interval old; call about once a second. */
    public void flushDue() throws InterruptedException {
        long now = System.nanoTime();
        List<Bucket> due = new ArrayList<>();
        synchronized (open) {
            for (Iterator<Bucket> it = open.values().iterator(); it.hasNext(); ) {
                Bucket b = it.next();
                if (now - b.createdNanos >= intervalNanos) {
                    due.add(b);
                    it.remove();
                }
            }
        }
        for (Bucket b : due) {
            publish(b);
        }
    }

    /** Publishes every open bucket (at close, so no counted line is left behind). */
    public void flushAll() throws InterruptedException {
        List<Bucket> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        for (Bucket b : all) {
            publish(b);
        }
    }

    /** Buckets collecting now. */
    public int openBuckets() {
        synchronized (open) {
            return open.size();
        }
    }

    private void publish(Bucket b) throws InterruptedException {
        // The id follows the first line of the group, so the same lines read again give the same id.
        MeshEvent e = b.first.toBuilder()
                .eventId(EventIds.of(b.first.meshId(), "rollup:" + b.first.eventId(), b.firstPosition))
                .observedTime(b.lastTime)
                .rollup(new Rollup(b.count, b.firstTime, b.lastTime))
                .build();
        try {
            publisher.publish(e).whenComplete((ok, err) -> {
                if (err == null) {
                    b.durable.complete(null);
                } else {
                    b.durable.completeExceptionally(err);
                }
            });
        } catch (RuntimeException ex) {
            LOG.warn("publishing a roll-up of {} requests failed: {}", b.count, ex.toString());
            b.durable.completeExceptionally(ex);
        }
    }
}
