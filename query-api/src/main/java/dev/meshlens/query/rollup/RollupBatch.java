package dev.meshlens.query.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.store.QueryDsl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The roll-up contributions of one batch of events, merged per document, and how a contribution merges into
 * the stored document ({@link #merge}: pure, so the rules below are unit-tested without Elasticsearch).
 *
 * <p>Idempotent under redelivery. Offsets are committed only after Elasticsearch acknowledged the batch, so a
 * batch (or part of one, with other boundaries) can be indexed twice. A pair document therefore keeps, per Kafka
 * partition, the highest offset it has counted, and only offsets above it count: a replayed record adds nothing,
 * whichever instance replays it and whatever the batch boundaries. This relies on a partition's records reaching
 * a document in offset order, which the ingest loop gives (one batch at a time, the next only after this one is
 * written); a record replayed by another instance after a rebalance carries the same offset and is skipped the
 * same way. First/last seen are a minimum and a maximum, idempotent by nature; presence documents hold nothing
 * else. That the same event id published twice (two records) counts once is decided before: only the record
 * that wrote the event's document contributes ({@code EventConverter}).
 */
public final class RollupBatch {
    /** One document's contribution: offsets per partition ({@code topic/partition}), first/last observed time. */
    public static final class Part {
        final Map<String, List<Long>> offsets = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        void add(long t) {
            first = Math.min(first, t);
            last = Math.max(last, t);
        }
    }

    private final Map<RollupKey, Part> parts = new LinkedHashMap<>();

    /** Adds an event read from {@code topic}/{@code partition} at {@code offset}. */
    public void add(MeshEvent e, String topic, int partition, long offset) {
        long t = e.observedTime().toEpochMilli();
        Part p = parts.computeIfAbsent(RollupKey.pair(e), k -> new Part());
        p.offsets
                .computeIfAbsent(topic + "/" + partition, k -> new ArrayList<>())
                .add(offset);
        p.add(t);
        parts.computeIfAbsent(RollupKey.presence(e), k -> new Part()).add(t);
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The contributions by document, in the order first touched. */
    public Map<RollupKey, Part> parts() {
        return Collections.unmodifiableMap(parts);
    }

    /**
     * The document after adding {@code p} to {@code stored} (null: no document yet), or null when it adds
     * nothing (every offset already counted, first/last seen unchanged): nothing to write.
     */
    public static ObjectNode merge(RollupKey k, JsonNode stored, Part p) {
        ObjectNode doc = stored == null ? keyFields(k) : ((ObjectNode) stored).deepCopy();
        boolean changed = stored == null;
        if (k.kind() == RollupKey.Kind.PAIR) {
            ObjectNode hw = doc.has("offsets") ? (ObjectNode) doc.get("offsets") : doc.putObject("offsets");
            long added = 0;
            for (Map.Entry<String, List<Long>> e : p.offsets.entrySet()) {
                long mark = hw.path(e.getKey()).asLong(-1);
                long top = mark;
                for (long o : e.getValue()) {
                    if (o > mark) {
                        added++;
                        top = Math.max(top, o);
                    }
                }
                if (top != mark) {
                    hw.put(e.getKey(), top);
                }
            }
            if (added == 0) {
                return null; // a redelivery: its events are counted, and so are their times
            }
            doc.put("count", doc.path("count").asLong(0) + added);
            changed = true;
        }
        if (!doc.has("first_seen") || p.first < doc.path("first_seen").asLong()) {
            doc.put("first_seen", p.first);
            changed = true;
        }
        if (!doc.has("last_seen") || p.last > doc.path("last_seen").asLong()) {
            doc.put("last_seen", p.last);
            changed = true;
        }
        return changed ? doc : null;
    }

    /** The document's key fields (absent when unknown, as in the event document). */
    static ObjectNode keyFields(RollupKey k) {
        ObjectNode d = QueryDsl.obj();
        d.put("kind", k.kind().wireName());
        d.put("bucket", k.bucket().toEpochMilli());
        put(d, "mesh_id", k.meshId());
        put(d, "observer_role", k.observerRole());
        put(d, "client_service", k.clientService());
        put(d, "server_service", k.serverService());
        put(d, "service", k.service());
        put(d, "trust_domain", k.trustDomain());
        if (k.failure() != null) {
            d.put("failure", k.failure());
        }
        put(d, "category", k.category());
        return d;
    }

    private static void put(ObjectNode d, String f, String v) {
        if (v != null) {
            d.put(f, v);
        }
    }
}
