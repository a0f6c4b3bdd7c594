package dev.meshlens.correlator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the correlator remembers besides findings, in its changelog-backed directory store; every value ends
 * with the time it was written (Unix ms), which the purge reads:
 * <ul>
 *   <li>{@code server\0<key>}: which mesh serves a join key ({@link ServerDirectory});
 *   <li>{@code seen\0<key>\0<mesh>}: when a mesh last reported anything for a key (blind or not reporting?);
 *   <li>{@code ok\0<key>\0<client>}: the last success of a client towards a key (a run of successes);
 *   <li>{@code fp\0<key>\0<server mesh>\0<side, category, rejection>}: when the last footprint was sent.
 * </ul>
 */
final class Directory {
    private static final char SEP = '\u0000';

    private final KeyValueStore<String, byte[]> store;
    private final ServerDirectory servers;

    Directory(KeyValueStore<String, byte[]> store) {
        this.store = store;
        this.servers = new ServerDirectory(store);
    }

    ServerDirectory servers() {
        return servers;
    }

    /** A mesh reported something for {@code key} at {@code t}. */
    void seen(String key, String meshId, long t) {
        put("seen" + SEP + key + SEP + meshId, t);
    }

    /** When {@code meshId} last reported for {@code key}, or null. */
    Long lastSeen(String key, String meshId) {
        return get("seen" + SEP + key + SEP + meshId);
    }

    /** The last success from {@code clientIdentity} towards {@code key}, or null. */
    Long lastSuccess(String key, String clientIdentity) {
        return get("ok" + SEP + key + SEP + clientIdentity);
    }

    /** A success at {@code t}; the entry only moves forward. */
    void success(String key, String clientIdentity, long t) {
        Long prev = lastSuccess(key, clientIdentity);
        if (prev == null || t > prev) {
            put("ok" + SEP + key + SEP + clientIdentity, t);
        }
    }

    /**
     * True (and noted) when a footprint of {@code what} may be sent at {@code t}: none was sent within
     * {@code minGapMs} of it.
     */
    boolean footprintDue(String what, long t, long minGapMs) {
        String k = "fp" + SEP + what;
        Long last = get(k);
        if (last != null && Math.abs(t - last) < minGapMs) {
            return false;
        }
        put(k, t);
        return true;
    }

    /** Removes the entries written before {@code before} (and unreadable ones); returns how many. */
    int purge(long before) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                String v = new String(kv.value, StandardCharsets.UTF_8);
                int sep = v.lastIndexOf(SEP);
                try {
                    if (Long.parseLong(sep >= 0 ? v.substring(sep + 1) : v) < before) {
                        old.add(kv.key);
                    }
                } catch (NumberFormatException e) {
                    old.add(kv.key);
                }
            }
        }
        for (String k : old) {
            store.delete(k);
        }
        return old.size();
    }

    private Long get(String k) {
        byte[] b = store.get(k);
        return b == null ? null : Long.parseLong(new String(b, StandardCharsets.UTF_8));
    }

    private void put(String k, long t) {
        store.put(k, Long.toString(t).getBytes(StandardCharsets.UTF_8));
    }
}
