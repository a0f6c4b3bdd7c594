package dev.meshlens.correlator;

import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The correlation topology:
 *
 * <pre>
 * meshlens.events.* (pattern, event time = observed_time)
 *   ├─ trust bundles, /certs inventories ──▶ &lt;app&gt;-inventory ──▶ global store (every task sees every mesh)
 *   └─ failures, ssl.* deltas, successes, plain client connections (header: their lane, see {@link LaneClocks})
 *        ──selectKey(CorrelationKeys.joinKey)──▶ repartition "by-destination" ──┐
 *   &lt;app&gt;-loop (join key → footprint / shared counter delta; as many partitions) ──┤
 *        ──▶ CorrelationProcessor (window store of unpaired halves, findings store, directory; all changelog-backed)
 *        ├──▶ meshlens.findings (key = finding id)
 *        └──▶ &lt;app&gt;-loop (see {@link Loop})
 * </pre>
 *
 * <p>The loop topic is read by the correlation step itself, beside the repartition topic and partitioned like it (the
 * default partitioner on the same String keys, {@link CorrelatorTopics} keeps the counts equal), not merged into the
 * routing step: a routing task that owned the loop partition before any mesh topic existed had no node for the mesh
 * topics' pattern, and the first mesh topic then killed its stream thread ("Topic ... is unknown to the topology",
 * healed by a thread replacement). With the pattern alone in its sub-topology, routing tasks exist only once a mesh
 * topic does. Node, store and sub-topology numbers of the correlation step are unchanged (its state carries over);
 * docs/query-api.md, "Upgrading", says how to roll it out.
 */
public final class CorrelationTopology {
    /**
     * Partitions of the "by-destination" repartition topic (and so of the correlation tasks and their changelogs) on a
     * first start, unless {@code correlation.partitions} says otherwise. Fixed, not derived from the input: Kafka
     * Streams sizes an unsized repartition topic after its source topics, so a correlator started before any mesh topic
     * existed sized it after the one-partition loop topic and then failed every rebalance once a mesh topic with more
     * partitions appeared ("Existing internal topic ...-by-destination-repartition has invalid partitions"). An
     * existing topic keeps its count ({@link CorrelatorTopics#plan}).
     */
    public static final int DEFAULT_PARTITIONS = CorrelatorKeys.PARTITIONS.defaultValue();

    /** Header of a routed record: the routing task (input partition number) it came through, 4 bytes big-endian. */
    static final String LANE_HEADER = "meshlens-lane";

    private static final String BY_DESTINATION = "by-destination";

    private CorrelationTopology() {}

    /** The repartition topic Kafka Streams creates for the "by-destination" step. */
    static String repartitionTopic(CorrelationConfig cfg) {
        return cfg.applicationId() + "-" + BY_DESTINATION + "-repartition";
    }

    /** The topology with RocksDB state stores (production). */
    public static Topology build(CorrelationConfig cfg, CorrelatorMetrics metrics, CorrelationStats stats) {
        return build(cfg, metrics, stats, false);
    }

    /**
     * One partition per topic, as a TopologyTestDriver has.
     *
     * @param inMemoryStores in-memory instead of RocksDB stores (still changelog-backed); same semantics, used by
     *     tests that push thousands of records through a TopologyTestDriver, which commits after every record
     */
    public static Topology build(
            CorrelationConfig cfg, CorrelatorMetrics metrics, CorrelationStats stats, boolean inMemoryStores) {
        return build(cfg, metrics, stats, inMemoryStores, 1);
    }

    /** @param partitions partitions of the repartition and loop topics ({@link CorrelatorTopics#plan}) */
    static Topology build(
            CorrelationConfig cfg,
            CorrelatorMetrics metrics,
            CorrelationStats stats,
            boolean inMemoryStores,
            int partitions) {
        Objects.requireNonNull(metrics, "metrics (CorrelatorMetrics.none() records nothing)");
        StreamsBuilder b = new StreamsBuilder();
        // twice the horizon: a footprint (see Loop) must outlive its own horizon by a poll interval and a window,
        // for the counter deltas that cover its time
        long retention = Math.max(
                2 * cfg.pairingHorizon().toMillis(), Duration.ofMinutes(2).toMillis());
        StoreBuilder<WindowStore<String, byte[]>> pending = Stores.windowStoreBuilder(
                inMemoryStores
                        ? Stores.inMemoryWindowStore(
                                CorrelationProcessor.PENDING, Duration.ofMillis(retention), Duration.ofMillis(1), false)
                        : Stores.persistentWindowStore(
                                CorrelationProcessor.PENDING,
                                Duration.ofMillis(retention),
                                Duration.ofMillis(1),
                                false),
                Serdes.String(),
                Serdes.ByteArray());
        StoreBuilder<KeyValueStore<String, byte[]>> findings = Stores.keyValueStoreBuilder(
                inMemoryStores
                        ? Stores.inMemoryKeyValueStore(CorrelationProcessor.FINDINGS)
                        : Stores.persistentKeyValueStore(CorrelationProcessor.FINDINGS),
                Serdes.String(),
                Serdes.ByteArray());
        StoreBuilder<KeyValueStore<String, byte[]>> directory = Stores.keyValueStoreBuilder(
                inMemoryStores
                        ? Stores.inMemoryKeyValueStore(CorrelationProcessor.DIRECTORY)
                        : Stores.persistentKeyValueStore(CorrelationProcessor.DIRECTORY),
                Serdes.String(),
                Serdes.ByteArray());
        b.addStateStore(pending);
        b.addStateStore(findings);
        b.addStateStore(directory);
        b.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                inMemoryStores
                                        ? Stores.inMemoryKeyValueStore(Inventory.STORE)
                                        : Stores.persistentKeyValueStore(Inventory.STORE),
                                Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                cfg.inventoryTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("inventory-source"),
                InventoryWriter::new);

        KStream<byte[], byte[]> events = b.stream(
                Pattern.compile(cfg.inputPattern()),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                        .withTimestampExtractor(new EventTime())
                        .withName("mesh-events"));
        // the correlator's own messages to other keys (footprints, shared counter deltas), keyed by join key already
        // and
        // partitioned like the repartition topic: read by the task that owns their key
        KStream<String, byte[]> loop = b.stream(
                cfg.loopTopic(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("loop-source"));
        KStream<String, byte[]> routed = events.process(() -> new Route(stats), Named.as("route"));
        routed.split(Named.as("kind-"))
                .branch(
                        (k, v) -> k.startsWith("I|"),
                        Branched.withConsumer(s -> s.selectKey((k, v) -> k.substring(2), Named.as("inventory-key"))
                                .to(
                                        cfg.inventoryTopic(),
                                        Produced.with(Serdes.String(), Serdes.ByteArray())
                                                .withName("inventory-sink"))))
                .defaultBranch(Branched.withConsumer(s -> s.selectKey((k, v) -> k.substring(2), Named.as("join-key"))
                        .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray())
                                .withName(BY_DESTINATION)
                                .withNumberOfPartitions(partitions))
                        .merge(loop, Named.as("with-loop"))
                        .process(
                                () -> new CorrelationProcessor(cfg, metrics, stats, partitions),
                                Named.as("correlator"),
                                CorrelationProcessor.PENDING,
                                CorrelationProcessor.FINDINGS,
                                CorrelationProcessor.DIRECTORY)
                        .split(Named.as("out-"))
                        .branch(
                                (k, v) -> k.startsWith(CorrelationProcessor.LOOP),
                                Branched.withConsumer(l -> l.selectKey(
                                                (k, v) -> k.substring(CorrelationProcessor.LOOP.length()),
                                                Named.as("loop-key"))
                                        .to(
                                                cfg.loopTopic(),
                                                Produced.with(Serdes.String(), Serdes.ByteArray())
                                                        .withName("loop-sink"))))
                        .defaultBranch(Branched.withConsumer(f -> f.to(
                                cfg.findingsTopic(),
                                Produced.with(Serdes.String(), Serdes.ByteArray())
                                        .withName("findings-sink"))))));
        return b.build();
    }

    /** Decodes once to route: inventory to the global store, correlatable events by join key, the rest dropped. */
    static List<KeyValue<String, byte[]>> route(byte[] value, CorrelationStats stats) {
        MeshEvent e;
        try {
            e = EventCodec.get().decodeEvent(value);
        } catch (RuntimeException ex) {
            stats.undecodable.incrementAndGet();
            return List.of();
        }
        if (Observations.isInventory(e)) {
            return List.of(KeyValue.pair("I|" + Inventory.keyOf(e), value));
        }
        boolean notAHandshake = e.tls() != null && Observations.notAHandshake(e);
        if (notAHandshake) {
            stats.notHandshakes.incrementAndGet();
        }
        boolean relevant = (e.tls() != null && !notAHandshake)
                || (Observations.isStats(e)
                        && e.stats().deltas().keySet().stream().anyMatch(n -> n.startsWith("ssl.")))
                || Observations.isSuccess(e)
                || Observations.isOrdinaryClientLine(e)
                // any line that shows which mesh serves the service (its sidecar, a peer's mesh gateway)
                || (!Observations.isStats(e) && Observations.servesDestination(e));
        if (!relevant || Observations.role(e) == null) {
            return List.of();
        }
        return List.of(KeyValue.pair("O|" + CorrelationKeys.joinKey(e), value));
    }

    /** {@link #route} as a processor: each routed record carries the lane (input partition) it came through. */
    static final class Route implements Processor<byte[], byte[], String, byte[]> {
        private final CorrelationStats stats;
        private ProcessorContext<String, byte[]> ctx;

        Route(CorrelationStats stats) {
            this.stats = stats;
        }

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.ctx = context;
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            List<KeyValue<String, byte[]>> out = route(record.value(), stats);
            if (out.isEmpty()) {
                return;
            }
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.remove(LANE_HEADER);
            headers.add(
                    LANE_HEADER,
                    ByteBuffer.allocate(4).putInt(ctx.taskId().partition()).array());
            for (KeyValue<String, byte[]> kv : out) {
                ctx.forward(new Record<>(kv.key, kv.value, record.timestamp(), headers));
            }
        }
    }

    /** The lane a routed record came through, or -1 (a loop message, or no valid header). */
    static int laneOf(Headers headers) {
        Header h = headers.lastHeader(LANE_HEADER);
        return h == null || h.value() == null || h.value().length != 4
                ? -1
                : ByteBuffer.wrap(h.value()).getInt();
    }

    /** Keeps the inventory global store up to date. */
    static final class InventoryWriter implements Processor<String, byte[], Void, Void> {
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(Inventory.STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                store.delete(Inventory.firstSeenKey(record.key()));
                return;
            }
            store.put(record.key(), record.value());
            if (record.key().startsWith("certs|") && store.get(Inventory.firstSeenKey(record.key())) == null) {
                MeshEvent e;
                try {
                    e = EventCodec.get().decodeEvent(record.value());
                } catch (RuntimeException ex) {
                    return;
                }
                long first = e.observedTime().toEpochMilli();
                store.put(
                        Inventory.firstSeenKey(record.key()),
                        Long.toString(first).getBytes(StandardCharsets.UTF_8));
                // certificates of this workload that expired more than a day before this one was first seen leave
                String workload = record.key().substring(0, record.key().lastIndexOf('|') + 1);
                List<String> old = new ArrayList<>();
                try (var it = store.prefixScan(workload, new StringSerializer())) {
                    while (it.hasNext()) {
                        var kv = it.next();
                        try {
                            MeshEvent o = EventCodec.get().decodeEvent(kv.value);
                            for (var c : o.certificates()) {
                                if (!c.ca()
                                        && c.notAfter() != null
                                        && c.notAfter().toEpochMilli() < first - 86_400_000L) {
                                    old.add(kv.key);
                                }
                            }
                        } catch (RuntimeException ex) {
                            old.add(kv.key);
                        }
                    }
                }
                for (String k : old) {
                    store.delete(k);
                    store.delete(Inventory.firstSeenKey(k));
                }
            }
        }
    }

    /** Event time = the event's {@code observed_time} (found without a full decode); else the record time. */
    public static final class EventTime implements TimestampExtractor {
        private static final byte[] FIELD = "\"observed_time\":\"".getBytes(StandardCharsets.US_ASCII);

        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof byte[] v) {
                int i = indexOf(v, FIELD);
                if (i >= 0) {
                    int start = i + FIELD.length;
                    int end = start;
                    while (end < v.length && v[end] != '"' && end - start < 40) {
                        end++;
                    }
                    try {
                        return Instant.parse(new String(v, start, end - start, StandardCharsets.US_ASCII))
                                .toEpochMilli();
                    } catch (RuntimeException e) {
                        // fall through
                    }
                }
            }
            return record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);
        }

        private static int indexOf(byte[] a, byte[] p) {
            outer:
            for (int i = 0; i + p.length <= a.length; i++) {
                for (int j = 0; j < p.length; j++) {
                    if (a[i + j] != p[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
