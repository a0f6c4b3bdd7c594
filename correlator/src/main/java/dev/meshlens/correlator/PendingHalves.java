package dev.meshlens.correlator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.correlator.PairingRules.Pending;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The correlator's window store: what waits for its other half, keyed {@code <join key>\0<role>\0<id>} at the
 * observation's event time. Roles: {@code c} client halves, {@code s} server halves (log lines and counter
 * deltas), {@code f} failure footprints ({@link Loop.Footprint}), {@code k} a client Envoy's own cluster
 * counters. Footprints and own counters are only looked up; the store's retention (twice the pairing horizon)
 * drops them.
 */
final class PendingHalves {
    static final char CLIENT = 'c';
    static final char SERVER = 's';
    private static final char FOOTPRINT = 'f';
    /** A client Envoy's own cluster counters. */
    private static final char OWN_COUNTERS = 'k';

    private static final char SEP = '\u0000';

    /** A half that left the store because its window closed, with its join key. */
    record Expired(String key, Half half) {}

    private final WindowStore<String, byte[]> store;
    private final ObjectMapper json;

    PendingHalves(WindowStore<String, byte[]> store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** Keeps a half waiting for its other half. */
    void put(String key, Half h) {
        store.put(
                key
                        + SEP
                        + (h.client() ? CLIENT : SERVER)
                        + SEP
                        + h.eventId()
                        + (h.attempt() > 0 ? "#" + h.attempt() : ""),
                write(h),
                h.timeMs());
    }

    /** Keeps a client Envoy's own counter delta for client halves of its interval. */
    void putOwnCounters(String key, Half own) {
        store.put(key + SEP + OWN_COUNTERS + SEP + own.eventId(), write(own), own.timeMs());
    }

    /** Keeps a footprint for counter deltas of its server mesh. */
    void putFootprint(String key, Loop.Footprint fp) {
        String id = fp.key()
                + '|'
                + (fp.client() ? 'c' : 's')
                + '|'
                + fp.category()
                + '|'
                + fp.rejectedBy()
                + '|'
                + fp.timeMs();
        store.put(key + SEP + FOOTPRINT + SEP + id, write(fp), fp.timeMs());
    }

    /** Removes a half that paired. */
    void remove(Pending p) {
        store.put(p.storeKey(), null, p.storeTime());
    }

    /** Replaces a stats half by what is left of it (removed when nothing is). */
    void replace(Pending p, Half left) {
        store.put(p.storeKey(), left.remaining() > 0 ? write(left) : null, p.storeTime());
    }

    /** Halves of {@code role} ({@link #CLIENT} or {@link #SERVER}) under {@code key} stored in [from, to]. */
    List<Pending> halves(String key, char role, long from, long to) {
        List<Pending> out = new ArrayList<>();
        for (KeyValue<Windowed<String>, byte[]> kv : fetch(key, role, from, to)) {
            out.add(new Pending(kv.key.key(), kv.key.window().start(), read(kv.value, Half.class)));
        }
        return out;
    }

    /** Footprints under {@code key} in [from, to]. */
    List<Loop.Footprint> footprints(String key, long from, long to) {
        List<Loop.Footprint> out = new ArrayList<>();
        for (KeyValue<Windowed<String>, byte[]> kv : fetch(key, FOOTPRINT, from, to)) {
            out.add(read(kv.value, Loop.Footprint.class));
        }
        return out;
    }

    /** Own counter deltas of client Envoys under {@code key} in [from, to]. */
    List<Half> ownCounters(String key, long from, long to) {
        List<Half> out = new ArrayList<>();
        for (KeyValue<Windowed<String>, byte[]> kv : fetch(key, OWN_COUNTERS, from, to)) {
            out.add(read(kv.value, Half.class));
        }
        return out;
    }

    /**
     * Removes and returns the client and server halves stored in (after, to]: their windows closed. Access-log
     * halves come first, so that a counter delta of the same sweep finds the findings they made.
     */
    List<Expired> expire(long after, long to) {
        List<KeyValue<Windowed<String>, byte[]>> expired = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, byte[]> it =
                store.fetchAll(Instant.ofEpochMilli(Math.max(0, after + 1)), Instant.ofEpochMilli(Math.max(0, to)))) {
            while (it.hasNext()) {
                expired.add(it.next());
            }
        }
        List<Expired> halves = new ArrayList<>();
        for (KeyValue<Windowed<String>, byte[]> kv : expired) {
            if (kv.value == null) {
                continue;
            }
            String k = kv.key.key();
            char role = k.charAt(k.indexOf(SEP) + 1);
            if (role == FOOTPRINT || role == OWN_COUNTERS) {
                // looked up by halves that expire up to a poll interval later; the store's retention drops them
                continue;
            }
            store.put(k, null, kv.key.window().start());
            halves.add(new Expired(k.substring(0, k.indexOf(SEP)), read(kv.value, Half.class)));
        }
        halves.sort(Comparator.comparing((Expired e) -> e.half().stats()));
        return halves;
    }

    private List<KeyValue<Windowed<String>, byte[]>> fetch(String key, char role, long from, long to) {
        List<KeyValue<Windowed<String>, byte[]>> out = new ArrayList<>();
        String prefix = key + SEP + role + SEP;
        try (KeyValueIterator<Windowed<String>, byte[]> it = store.fetch(
                prefix,
                prefix + '\uffff',
                Instant.ofEpochMilli(Math.max(0, from)),
                Instant.ofEpochMilli(Math.max(0, to)))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, byte[]> kv = it.next();
                if (kv.value != null && kv.key.key().startsWith(prefix)) {
                    out.add(kv);
                }
            }
        }
        return out;
    }

    private byte[] write(Object o) {
        try {
            return json.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(byte[] b, Class<T> type) {
        try {
            return json.readValue(b, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
