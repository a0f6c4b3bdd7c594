package dev.meshlens.correlator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.correlator.FindingLedger.Kind;
import dev.meshlens.correlator.PairingRules.Match;
import dev.meshlens.events.Attempts;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.Rollup;
import dev.meshlens.events.SpiffeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams processor of the correlation: it wires the stores to the pure parts. Per join key
 * (destination service) it keeps halves of failed handshakes in the window store ({@link PendingHalves}), pairs
 * them by {@link PairingRules}, decides each failure ({@link Decision}, {@link InventoryRefinement}), moves
 * findings on by the {@link FindingLedger}, and remembers servers, reporters and successes in the
 * {@link Directory}.
 *
 * <p>Input: mesh events repartitioned by {@link dev.meshlens.events.CorrelationKeys#joinKey}, and the
 * correlator's own {@link Loop} messages. A failure half looks for a complementary half of the other role
 * within ±window (its event time; stats deltas cover their poll interval). A half whose window has closed
 * (window + stats interval + grace, in the time of the slowest input lane, which goes on at wall-clock pace while the
 * lane is quiet: {@link LaneClocks}) leaves the store and becomes one-sided evidence, counted unless it repeats a failure
 * already counted ({@link RepeatLedger}). Findings live in a changelog-backed key-value store keyed
 * {@code <join key>\0<finding id>} and are forwarded on every change; loop messages are forwarded with the key
 * prefix {@link #LOOP}.
 */
final class CorrelationProcessor implements Processor<String, byte[], String, byte[]> {
    static final String PENDING = "meshlens-correlation-pending";
    static final String FINDINGS = "meshlens-correlation-findings";
    static final String DIRECTORY = "meshlens-correlation-directory";
    /** Output key prefix of loop messages (the topology sends them to the loop topic, without the prefix). */
    static final String LOOP = "\u0000loop\u0000";

    private static final Logger LOG = LoggerFactory.getLogger(CorrelationProcessor.class);
    private static final StringSerializer STRINGS = new StringSerializer();
    private static final char SEP = '\u0000';
    private static final String MESH_KEY = "mesh:";
    /** How often (in the data's time) findings are checked for quiet and retention: each check reads them all. */
    private static final long QUIET_SWEEP_MS = 10_000;

    private final CorrelationConfig cfg;
    private final CorrelatorMetrics metrics;
    private final CorrelationStats stats;
    private final ObjectMapper json = EventCodec.get().mapper();
    private final long windowMs;
    private final long horizonMs;
    private final long statsMs;
    private final long resolveAfterMs;
    private ProcessorContext<String, byte[]> ctx;
    private PendingHalves pending;
    private KeyValueStore<String, byte[]> findings;
    private Directory directory;
    private ServerDirectory servers;
    private Inventory inventory;
    private InventoryRefinement refinement;
    private long sweptTo = -1;
    private long lastQuietSweep = -1;
    private final LaneClocks clocks = new LaneClocks();
    /** Partitions of the correlation (repartition and loop topics): which task owns a key. */
    private final int partitions;

    CorrelationProcessor(CorrelationConfig cfg, CorrelatorMetrics metrics, CorrelationStats stats, int partitions) {
        this.partitions = partitions;
        this.cfg = cfg;
        this.metrics = metrics;
        this.stats = stats;
        this.windowMs = cfg.window().toMillis();
        this.horizonMs = cfg.pairingHorizon().toMillis();
        this.statsMs = cfg.statsInterval().toMillis();
        this.resolveAfterMs = cfg.resolveAfter().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.ctx = context;
        this.pending = new PendingHalves(context.getStateStore(PENDING), json);
        this.findings = context.getStateStore(FINDINGS);
        this.directory = new Directory(context.getStateStore(DIRECTORY));
        this.servers = directory.servers();
        KeyValueStore<String, byte[]> inv = context.getStateStore(Inventory.STORE);
        this.inventory = new Inventory(inv);
        this.refinement = new InventoryRefinement(inventory);
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::sweep);
        // a quiet partition's halves expire by wall-clock time too (see ExpiryClock)
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::wallTick);
        context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, this::wallSweep);
    }

    // ------------------------------------------------------------------ input

    @Override
    public void process(Record<String, byte[]> record) {
        long wallMs = ctx.currentSystemTimeMs();
        clocks.streamTime(ctx.currentStreamTimeMs(), wallMs);
        if (Loop.isLoop(record.value())) {
            if (!owned(record.key())) {
                stats.loopMisrouted.incrementAndGet();
                return;
            }
            Loop m;
            try {
                m = Loop.decode(record.value());
            } catch (RuntimeException ex) {
                stats.undecodable.incrementAndGet();
                return;
            }
            onLoop(record.key(), m);
            return;
        }
        int lane = CorrelationTopology.laneOf(record.headers());
        if (lane >= 0) {
            if (clocks.heard(lane, record.timestamp(), wallMs)) {
                // a lane heard from for the first time may be behind what the others let expire (it started late
                // while catching up a backlog): its halves are not late, sweeps go over their time again
                sweptTo = Math.min(sweptTo, clocks.now(wallMs) - horizonMs);
            }
            // what this record's lane moved on expires now, not at the next punctuation: that one follows the task's
            // stream time, which may have passed before the record (a TopologyTestDriver runs routing and correlation
            // in one task). Safe before handling it: nothing past the horizon pairs with it.
            long now = clocks.now(wallMs);
            if (now - horizonMs - sweptTo >= 1_000 || now - lastQuietSweep >= QUIET_SWEEP_MS) {
                onTime(now);
            }
        }
        MeshEvent e;
        try {
            e = EventCodec.get().decodeEvent(record.value());
        } catch (RuntimeException ex) {
            stats.undecodable.incrementAndGet();
            return;
        }
        String key = record.key();
        ObserverRole role = Observations.role(e);
        long t = e.observedTime().toEpochMilli();
        if (Observations.servesDestination(e)) {
            servers.reported(key, e, t);
        } else if (Observations.callsOwnMeshService(e)) {
            servers.inferred(key, e, t);
        }
        directory.seen(key, e.meshId(), t);
        if (Observations.isStats(e)) {
            Half h = Observations.statsHalf(e);
            if (h != null) {
                handle(key, h);
            }
            Half own = Observations.clientCounterHalf(e);
            if (own != null) {
                pending.putOwnCounters(key, own);
            }
        } else if (e.tls() != null && role != null && !Observations.notAHandshake(e)) {
            Half h = Observations.failureHalf(e);
            footprint(key, h);
            // a retried request's line: one half per failed handshake, each pairing and counting on its own
            int attempts = h.client() ? Attempts.of(e) : 1;
            for (int i = 0; i < attempts; i++) {
                handle(key, h.attempt(i));
            }
        } else if (role == ObserverRole.CLIENT && Observations.isSuccess(e)) {
            onSuccess(key, e, t);
        } else if (Observations.isOrdinaryClientLine(e)) {
            handle(key, Observations.ordinaryHalf(e));
        }
    }

    /**
     * True when this task owns {@code key}: its partition under the default partitioner (murmur2 of the key's bytes),
     * the one the loop and repartition sinks chose.
     */
    private boolean owned(String key) {
        if (partitions <= 1 || key == null) {
            return true;
        }
        int p = Utils.toPositive(Utils.murmur2(STRINGS.serialize(null, key))) % partitions;
        return ctx.recordMetadata().map(m -> m.partition() == p).orElse(true);
    }

    private void onLoop(String key, Loop m) {
        if (m.footprint() != null) {
            pending.putFootprint(key, m.footprint());
        } else if (m.counter() != null) {
            handle(key, m.counter());
        }
    }

    private void handle(String key, Half h) {
        long now = clocks.now(ctx.currentSystemTimeMs());
        // past the horizon, or behind what a wall-clock sweep already expired: it would never be swept
        boolean late = h.timeMs() < now - horizonMs || h.timeMs() <= sweptTo;
        if (h.stats()) {
            PairingRules.StatsPairing paired = PairingRules.pairStats(
                    h, pending.halves(key, PendingHalves.CLIENT, h.coverFromMs() - windowMs, h.timeMs() + windowMs));
            for (Match m : paired.matches()) {
                pending.remove(m.pending());
                pair(key, m.pending().half(), h, m.unit());
            }
            Half left = paired.left();
            if (left.remaining() > 0) {
                if (late) {
                    expire(key, left);
                } else {
                    store(key, left);
                }
            }
            return;
        }
        Match m = h.client()
                ? PairingRules.bestServerFor(
                        h,
                        pending.halves(
                                key, PendingHalves.SERVER, h.timeMs() - windowMs, h.timeMs() + windowMs + statsMs),
                        windowMs)
                : PairingRules.bestClientFor(
                        h, pending.halves(key, PendingHalves.CLIENT, h.timeMs() - windowMs, h.timeMs() + windowMs));
        if (m != null) {
            if (m.unit() == null) {
                pending.remove(m.pending());
            } else {
                pending.replace(m.pending(), PairingRules.consume(m.pending().half(), m.unit()));
            }
            if (h.client()) {
                pair(key, h, m.pending().half(), m.unit());
            } else {
                pair(key, m.pending().half(), h, null);
            }
        } else if (late) {
            expire(key, h);
        } else {
            store(key, h);
        }
    }

    /**
     * Leaves a {@link Loop.Footprint} of a failure half on its server mesh's key, where listener deltas that name
     * no Envoy wait. At most one per (key, side, category) every half window: enough to cover any poll interval.
     */
    private void footprint(String key, Half h) {
        if (key.startsWith(MESH_KEY) || h.stats() || h.ordinary()) {
            return;
        }
        String serverMesh = h.client() ? serverMeshOf(key) : h.meshId();
        if (serverMesh == null) {
            return;
        }
        long t = h.timeMs();
        if (!directory.footprintDue(
                key + SEP + serverMesh + SEP + (h.client() ? 'c' : 's') + h.category() + h.rejectedBy(),
                t,
                windowMs / 2)) {
            return;
        }
        Loop.Footprint fp = new Loop.Footprint(
                key, t, h.client(), h.category(), h.rejectedBy(), h.client() ? h.selfIdentity() : h.peerIdentity());
        ctx.forward(new Record<>(LOOP + MESH_KEY + serverMesh, new Loop(fp, null).encode(), t));
    }

    /** The mesh serving {@code key}: as a mesh reported it, else by the certificate inventory, else as inferred. */
    private String serverMeshOf(String key) {
        ServerDirectory.ServerInfo dir = servers.get(key);
        if (dir != null && !dir.inferred()) {
            return dir.meshId();
        }
        String inv = inventory.meshOfService(key);
        return inv != null ? inv : dir != null ? dir.meshId() : null;
    }

    private void store(String key, Half h) {
        pending.put(key, h);
        stats.halvesStored.incrementAndGet();
    }

    // ------------------------------------------------------------------ pairs and one-sided halves

    private void pair(String key, Half c, Half s, Half.Unit unit) {
        stats.halvesPaired.addAndGet(2);
        c = narrowedByOwnCounters(key, c);
        Decision d = Decision.of(c, s, unit);
        Map<String, String> details = new LinkedHashMap<>();
        if (d.refinedBy() != null) {
            details.put("refined_by", d.refinedBy());
        }
        if (s.reason() != null && unit == null) {
            details.put("server_reason", s.reason());
        }
        if (c.reason() != null) {
            details.put("client_reason", c.reason());
        }
        if (unit != null) {
            details.put("server_counters", counterText(s, List.of(unit), true));
        }
        upsert(key, c, s, unit, d, details, 1, Kind.PAIR);
    }

    /**
     * A client's bare verify failure (CERTIFICATE_VERIFY_FAILED, no validator detail) narrowed by its own
     * Envoy's cluster counters of the same interval ({@link Observations#clientCounterHalf}); else unchanged.
     */
    private Half narrowedByOwnCounters(String key, Half c) {
        if (!c.client()
                || c.stats()
                || c.ordinary()
                || c.category() != FailureCategory.CERT_REJECTED
                || c.rejectedBy() != RejectedBy.SELF
                || c.selfIdentity() == null) {
            return c;
        }
        Set<FailureCategory> named = new LinkedHashSet<>();
        String evidence = null;
        for (Half k : pending.ownCounters(key, c.timeMs() - windowMs, c.timeMs() + statsMs + windowMs)) {
            if (k.meshId().equals(c.meshId())
                    && c.selfIdentity().equals(k.selfIdentity())
                    && c.timeMs() >= k.coverFromMs() - windowMs
                    && c.timeMs() <= k.timeMs() + windowMs) {
                k.units().forEach(u -> named.add(u.category()));
                evidence = "its own " + counterText(k, k.units(), false);
            }
        }
        if (named.size() != 1) {
            return c;
        }
        FailureCategory cause = named.iterator().next();
        String detail = (c.detail() == null ? "" : c.detail() + "; ") + evidence;
        return new Half(
                c.eventId(),
                c.meshId(),
                c.meshKind(),
                true,
                c.timeMs(),
                c.coverFromMs(),
                cause,
                c.rejectedBy(),
                c.selfIdentity(),
                c.peerIdentity(),
                c.reason(),
                detail,
                c.raw(),
                c.noTls(),
                false,
                c.units(),
                false,
                c.place(),
                c.shared(),
                c.attempt());
    }

    /** A half whose window closed without its other half. */
    private void expire(String key, Half h) {
        if (h.client()) {
            if (h.ordinary()) {
                stats.ordinaryUnpaired.incrementAndGet(); // an ordinary connection after all
                return;
            }
            stats.halvesExpiredOneSided.incrementAndGet();
            Half c = narrowedByOwnCounters(key, h);
            upsert(key, c, null, null, Decision.of(c, null, null), new LinkedHashMap<>(), 1, Kind.CLIENT_ONLY);
            return;
        }
        if (!h.stats()) {
            if (corroborateLog(key, h)) {
                stats.halvesCorroborating.incrementAndGet();
                return;
            }
            stats.halvesExpiredOneSided.incrementAndGet();
            upsert(key, null, h, null, Decision.of(null, h, null), new LinkedHashMap<>(), 1, Kind.SERVER_ONLY);
            return;
        }
        List<Half.Unit> left = new ArrayList<>();
        for (Half.Unit u : h.units()) {
            if (u.remaining() > 0) {
                left.add(u);
            }
        }
        if (!h.shared() && key.startsWith(MESH_KEY)) {
            left = shareWithExplainedKeys(h, left, key);
        }
        for (Half.Unit u : left) {
            if (corroborateCounter(key, h, u)) {
                stats.halvesCorroborating.incrementAndGet();
            } else if (!h.shared()) {
                stats.halvesExpiredOneSided.incrementAndGet();
                Map<String, String> details = new LinkedHashMap<>();
                details.put("counter_only", "true");
                details.put("counter", counterText(h, List.of(u), false));
                if (h.place() != null) {
                    details.put("place", h.place());
                }
                if (h.selfIdentity() != null) {
                    details.put("envoy", h.selfIdentity());
                }
                details.put("missing", missingForCounterOnly(h));
                upsert(key, null, h, u, Decision.of(null, h, u), details, u.remaining(), Kind.COUNTER_ONLY);
            }
        }
    }

    /**
     * A listener delta on a mesh-wide key (its Envoy is unknown): the footprints of its interval name the keys
     * whose failures it repeats; a shared copy goes to each to pair and corroborate there. Returns the units no
     * footprint explains.
     */
    private List<Half.Unit> shareWithExplainedKeys(Half h, List<Half.Unit> units, String key) {
        List<Loop.Footprint> fps = pending.footprints(key, h.coverFromMs() - windowMs, h.timeMs() + windowMs);
        Map<String, List<Half.Unit>> byKey = new LinkedHashMap<>();
        List<Half.Unit> unexplained = new ArrayList<>();
        for (Half.Unit u : units) {
            Set<String> keys = new LinkedHashSet<>();
            for (Loop.Footprint fp : fps) {
                if (fp.explains(u)) {
                    keys.add(fp.key());
                }
            }
            if (keys.isEmpty()) {
                unexplained.add(u);
            }
            keys.forEach(k -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(u));
        }
        byKey.forEach((k, us) -> {
            stats.countersShared.incrementAndGet();
            ctx.forward(new Record<>(LOOP + k, new Loop(null, h.sharedWith(us)).encode(), h.timeMs()));
        });
        return unexplained;
    }

    private static String missingForCounterOnly(Half h) {
        StringBuilder sb = new StringBuilder("no access-log line of either mesh matches these failures, so the client"
                + " and the exact cause are unknown");
        if (h.selfIdentity() == null) {
            sb.append("; the admin source names no Envoy identity (local_uri_san), so neither is the service");
        }
        sb.append("; listener access logs on this Envoy would name the client and the TLS error, and the client"
                + " mesh's access logs would pair with them");
        return sb.toString();
    }

    /** The findings of {@code key} whose failures were seen around {@code [from, to]}, newest first. */
    private List<KeyValue<String, Tracked>> findingsAround(String key, long from, long to) {
        List<KeyValue<String, Tracked>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Tracked t = read(kv.value, Tracked.class);
                long last = t.finding().lastSeen().toEpochMilli();
                long first = t.finding().firstSeen().toEpochMilli();
                if (to + windowMs < first || from - horizonMs > last) {
                    continue;
                }
                out.add(KeyValue.pair(kv.key, t));
            }
        }
        out.sort(Comparator.comparing(
                        (KeyValue<String, Tracked> kv) -> kv.value.finding().lastSeen())
                .reversed());
        return out;
    }

    /**
     * A server log half that found no client half: it goes to a finding of its key that it fits, counted once
     * unless it is the late twin of a one-sided client half already counted there.
     */
    private boolean corroborateLog(String key, Half s) {
        List<KeyValue<String, Tracked>> fits = new ArrayList<>();
        for (KeyValue<String, Tracked> kv : findingsAround(key, s.timeMs(), s.timeMs())) {
            if (PairingRules.fits(kv.value.finding(), s.category(), s.rejectedBy(), s.peerIdentity())) {
                fits.add(kv);
            }
        }
        if (fits.isEmpty()) {
            return false;
        }
        // a finding holding the client twin of this half first, else the most recent
        KeyValue<String, Tracked> best = fits.get(0);
        RepeatLedger.Step step = best.value.ledger().serverOnly(s.timeMs(), windowMs);
        for (KeyValue<String, Tracked> kv : fits) {
            RepeatLedger.Step st = kv.value.ledger().serverOnly(s.timeMs(), windowMs);
            if (st.counted() == 0) {
                best = kv;
                step = st;
                break;
            }
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("server_corroboration", "listener log");
        addToFinding(best.key, best.value.withLedger(step.ledger()), s, s.timeMs(), step.counted(), details);
        return true;
    }

    /**
     * A counter unit that found no client half: it corroborates the findings of its key that it fits. What it
     * repeats (their server log lines and one-sided client halves of its interval) is not counted again; an
     * owned delta's failures beyond that are counted on the most recent of them. False when nothing fits.
     */
    private boolean corroborateCounter(String key, Half h, Half.Unit u) {
        List<KeyValue<String, Tracked>> fits = new ArrayList<>();
        for (KeyValue<String, Tracked> kv : findingsAround(key, h.coverFromMs(), h.timeMs())) {
            if (PairingRules.fits(kv.value.finding(), u.category(), u.rejectedBy(), null)) {
                fits.add(kv);
            }
        }
        if (fits.isEmpty()) {
            return false;
        }
        long left = u.remaining();
        for (int i = 0; i < fits.size(); i++) {
            KeyValue<String, Tracked> kv = fits.get(i);
            RepeatLedger.Step step = kv.value.ledger().counter(h.coverFromMs(), h.timeMs(), windowMs, left);
            left -= step.counted();
            Tracked t = kv.value.withLedger(step.ledger());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("server_counters", counterText(h, List.of(u), true));
            details.put("server_corroboration", u.counter());
            Finding f = t.finding();
            if (f.oneSided() && h.meshId().equals(f.blindSide())) {
                details.put(
                        "blind_side_status",
                        "mesh " + h.meshId() + " counted these failures in its ssl.* counters ("
                                + (h.place() != null ? h.place() : "an Envoy")
                                + ") but wrote no access-log line for them: turn on"
                                + " listener access logs there to see the client identity and the TLS error");
            }
            addToFinding(kv.key, t, h, h.timeMs(), 0, details);
        }
        if (left > 0 && !h.shared()) {
            // failures the counters saw that no access-log line shows: counted where the pair is failing now
            KeyValue<String, Tracked> best = fits.get(0);
            Tracked t = read(findings.get(best.key), Tracked.class);
            Map<String, String> details = new LinkedHashMap<>();
            details.put(
                    "counted_from_counters",
                    Long.toString(left + parseLong(t.finding().details().get("counted_from_counters"))));
            addToFinding(best.key, t, h, h.timeMs(), left, details);
        }
        return true;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** "ssl.fail_verify_error +2 on listener 0.0.0.0_20000 of mesh consul-dc1 (12:00:00Z–12:00:10Z)". */
    private static String counterText(Half h, List<Half.Unit> units, boolean withMesh) {
        StringBuilder sb = new StringBuilder();
        for (Half.Unit u : units) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(u.counter()).append(" +").append(u.remaining());
        }
        if (h != null && h.place() != null) {
            sb.append(" on ").append(h.place());
        }
        if (h != null && withMesh) {
            sb.append(" of mesh ").append(h.meshId());
        }
        if (h != null && h.coverFromMs() < h.timeMs()) {
            sb.append(" (")
                    .append(Instant.ofEpochMilli(h.coverFromMs()))
                    .append(" to ")
                    .append(Instant.ofEpochMilli(h.timeMs()))
                    .append(')');
        }
        return sb.toString();
    }

    /** Adds one observation to an existing finding ({@link FindingLedger#add}), saves and counts it. */
    private void addToFinding(
            String storeKey, Tracked t, Half h, long timeMs, long counted, Map<String, String> details) {
        Finding f = t.finding();
        Tracked next = FindingLedger.add(t, h, timeMs, counted, details, horizonMs, wall());
        if (counted > 0) {
            metrics.handshakeFailure(f.clientMesh(), f.serverMesh(), f.category(), counted);
        }
        save(storeKey, next);
    }

    /**
     * One observation of a failure: who it is about (halves, directory, inventory), its category (a generic one
     * folds into a specific open finding of the pair, else the inventory refines it), then the finding's next state
     * ({@link FindingLedger#record}), saved, published and counted.
     */
    private void upsert(
            String key, Half c, Half s, Half.Unit unit, Decision d, Map<String, String> details, long n, Kind kind) {
        FindingLedger.Parties p = parties(key, c, s, kind);
        long t = c != null ? c.timeMs() : s.timeMs();
        FailureCategory category = d.category();
        RejectedBy rb = d.rejectedBy();
        if (d.decidedBy() != null) {
            details.put("decided_by", d.decidedBy());
        }
        if (c != null && c.attempt() > 0) {
            details.put(
                    "retried_requests",
                    "a client line flagged URX stands for every attempt of the route's retry"
                            + " policy (Istio's default: 2 retries, so 3 handshakes); each attempt counts");
        }
        InventoryRefinement.Parties parties = new InventoryRefinement.Parties(
                p.clientMesh(), p.clientIdentity(), p.serverMesh(), key, p.serverIdentity());

        // generic category: fold into a specific open finding of the same pair and direction, else use the inventory
        if (Observations.generic(category)) {
            Tracked specific = findSpecific(key, p.clientMesh(), p.clientIdentity(), category, rb, c);
            if (specific != null) {
                details.put("refined_by", "finding of the same pair");
                details.put(
                        "decided_by",
                        "an open finding of the same pair ("
                                + specific.finding()
                                        .details()
                                        .getOrDefault(
                                                "decided_by",
                                                specific.finding().category().name())
                                + "); this half alone said: " + details.getOrDefault("decided_by", category.name()));
                category = specific.finding().category();
                if (rb == RejectedBy.UNKNOWN) {
                    rb = specific.finding().rejectedBy();
                }
            } else {
                category = refinement.refine(category, rb, parties, t, details);
            }
        } else {
            refinement.describe(category, rb, parties, t, details);
        }
        if (p.clientKind() != null) {
            details.put("client_mesh_kind", p.clientKind());
        }
        if (p.serverKind() != null) {
            details.put("server_mesh_kind", p.serverKind());
        }
        details.put("client_template", Narrator.template(p.clientKind()));
        details.put("server_template", Narrator.template(p.serverKind()));

        if (rb == RejectedBy.UNKNOWN) {
            rb = Decision.defaultRejectedBy(category, c);
        }
        String id =
                Finding.idFor(p.clientMesh() + "|" + p.clientIdentity(), p.serverMesh() + "|" + p.service(), category);
        String sk = key + SEP + id;
        byte[] prev = findings.get(sk);
        Tracked old = prev == null ? null : read(prev, Tracked.class);
        String blindMesh = c != null ? p.serverMesh() : p.clientMesh();
        String blindStatus = FindingLedger.blindStatus(key, blindMesh, directory.lastSeen(key, blindMesh), t);
        FindingLedger.Recorded r = FindingLedger.record(
                old,
                new FindingLedger.Observation(
                        c,
                        s,
                        unit,
                        kind,
                        n,
                        category,
                        rb,
                        p,
                        id,
                        details,
                        directory.lastSuccess(key, p.clientIdentity()),
                        blindStatus,
                        wall()),
                windowMs,
                horizonMs);
        save(sk, r.tracked());
        if (r.counted() > 0) {
            metrics.handshakeFailure(p.clientMesh(), p.serverMesh(), category, r.counted());
        }
    }

    /** Who an observation is about, from its halves, what the directory knows of the key, and the inventory. */
    private FindingLedger.Parties parties(String key, Half c, Half s, Kind kind) {
        ServerDirectory.ServerInfo dir = servers.get(key);
        String clientMesh = c != null ? c.meshId() : meshOfIdentity(s.peerIdentity());
        String clientIdentity =
                c != null ? c.selfIdentity() : s.peerIdentity() != null ? s.peerIdentity() : "unknown client";
        String serverMesh = s != null ? s.meshId() : serverMeshOf(key);
        if (serverMesh == null) {
            serverMesh = "unknown";
        }
        if (clientMesh == null) {
            clientMesh = "unknown";
        }
        // a counter delta of an Envoy nobody named is about its listener, not a service
        String service = kind == Kind.COUNTER_ONLY && key.startsWith(MESH_KEY) && s.place() != null ? s.place() : key;
        String serverIdentity = s != null
                        && s.selfIdentity() != null
                        && s.selfIdentity().startsWith("spiffe://")
                ? s.selfIdentity()
                : dir != null && !key.startsWith(MESH_KEY) && dir.meshId().equals(serverMesh) ? dir.identity() : null;
        String clientKind = c != null ? c.meshKind() : inventory.kindOf(clientMesh);
        String serverKind = s != null
                ? s.meshKind()
                : dir != null && dir.meshId().equals(serverMesh) ? dir.kind() : inventory.kindOf(serverMesh);
        return new FindingLedger.Parties(
                clientMesh, clientIdentity, clientKind, serverMesh, service, serverIdentity, serverKind);
    }

    /** An open finding of the pair with a specific cause that a generic half folds into ({@link PairingRules#foldsInto}). */
    private Tracked findSpecific(
            String key, String clientMesh, String clientIdentity, FailureCategory generic, RejectedBy rb, Half c) {
        try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
            while (it.hasNext()) {
                Tracked t = read(it.next().value, Tracked.class);
                if (PairingRules.foldsInto(t.finding(), clientMesh, clientIdentity, generic, rb, c, horizonMs)) {
                    return t;
                }
            }
        }
        return null;
    }

    private String meshOfIdentity(String identity) {
        SpiffeId id = SpiffeId.tryParse(identity);
        if (id == null) {
            return null;
        }
        return inventory.meshOfService(id.workloadName());
    }

    // ------------------------------------------------------------------ successes

    /**
     * A successful request between a pair. It never resolves a finding by itself: it starts (or continues) a
     * run of successes after the finding's last failure, and the finding resolves once that run has lasted
     * {@code resolveAfter} without a failure ({@link FindingLedger#success}). A failure inside the run breaks it.
     */
    private void onSuccess(String key, MeshEvent e, long t) {
        // A collector's roll-up stands for many successful requests from its first to its last time (t).
        long n = Rollup.countOf(e);
        long runStart = e.rollup() == null ? t : e.rollup().firstTime().toEpochMilli();
        stats.successes.addAndGet(n);
        String client = Observations.selfIdentity(e);
        directory.success(key, client, t);
        ServerDirectory.ServerInfo dir = servers.get(key);
        metrics.handshakeSuccess(e.meshId(), dir != null ? dir.meshId() : CorrelatorMetrics.UNKNOWN_MESH, n);
        List<KeyValue<String, Tracked>> open = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Tracked tr = read(kv.value, Tracked.class);
                Finding f = tr.finding();
                if (f.state() == FindingState.OPEN
                        && f.clientIdentity().equals(client)
                        && f.clientMesh().equals(e.meshId())
                        && t > f.lastSeen().toEpochMilli()) {
                    open.add(KeyValue.pair(kv.key, tr));
                }
            }
        }
        for (KeyValue<String, Tracked> kv : open) {
            FindingLedger.AfterSuccess after = FindingLedger.success(kv.value, runStart, t, resolveAfterMs, wall());
            if (after.publish()) {
                save(kv.key, after.tracked());
                stats.findingsResolved.incrementAndGet();
            } else if (after.tracked() != null) {
                // bookkeeping only: the published finding does not change
                findings.put(kv.key, write(after.tracked()));
            }
        }
    }

    private void save(String storeKey, Tracked t) {
        findings.put(storeKey, write(t));
        stats.findingsUpdated.incrementAndGet();
        ctx.forward(new Record<>(
                t.finding().id(),
                EventCodec.get().encodeFinding(t.finding()).getBytes(StandardCharsets.UTF_8),
                t.finding().lastSeen().toEpochMilli()));
    }

    // ------------------------------------------------------------------ punctuation

    /**
     * Stream-time sweep: halves whose window closed become one-sided; quiet findings resolve; old ones leave. All by
     * the time of the slowest lane ({@link LaneClocks}), not the stream time a faster lane drove ahead.
     */
    private void sweep(long streamTime) {
        clocks.streamTime(streamTime, ctx.currentSystemTimeMs());
        onTime(clocks.now(ctx.currentSystemTimeMs()));
    }

    /** The data's time moved to {@code now}: halves past the horizon expire, every 10 s quiet findings resolve. */
    private void onTime(long now) {
        if (now < 0) {
            return;
        }
        expireUpTo(now - horizonMs);
        if (lastQuietSweep < 0 || now - lastQuietSweep >= QUIET_SWEEP_MS) {
            lastQuietSweep = now;
            quietSweep(now, false);
        }
    }

    /** Wall-clock tick: on a quiet lane, halves still expire once their horizon has passed (see LaneClocks). */
    private void wallTick(long wallTime) {
        clocks.streamTime(ctx.currentStreamTimeMs(), wallTime);
        long now = clocks.now(wallTime);
        if (now >= 0) {
            expireUpTo(now - horizonMs);
        }
    }

    /** Halves (event time up to {@code to}) leave the window store and become one-sided evidence. */
    private void expireUpTo(long to) {
        if (to > sweptTo) {
            for (PendingHalves.Expired x : pending.expire(sweptTo, to)) {
                expire(x.key(), x.half());
            }
            sweptTo = to;
        }
    }

    private void wallSweep(long wallTime) {
        quietSweep(wallTime, true);
    }

    private void quietSweep(long now, boolean wallClock) {
        long quiet = cfg.quietTime().toMillis();
        long keep = cfg.resolvedRetention().toMillis();
        List<KeyValue<String, Tracked>> toResolve = new ArrayList<>();
        List<String> toDelete = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = findings.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                Tracked t = read(kv.value, Tracked.class);
                switch (FindingLedger.fate(t, now, wallClock, quiet, keep)) {
                    case RESOLVE -> toResolve.add(KeyValue.pair(kv.key, t));
                    case REMOVE -> toDelete.add(kv.key);
                    case KEEP -> {}
                }
            }
        }
        for (KeyValue<String, Tracked> kv : toResolve) {
            Instant at = wallClock
                    ? Instant.ofEpochMilli(now)
                    : kv.value.finding().lastSeen().plus(cfg.quietTime());
            save(kv.key, FindingLedger.resolved(kv.value, at, "quiet: no failure for " + cfg.quietTime(), wall()));
            stats.findingsResolved.incrementAndGet();
        }
        for (String k : toDelete) {
            findings.delete(k);
            stats.findingsRemoved.incrementAndGet();
        }
        if (!wallClock) {
            stats.directoryRemoved.addAndGet(directory.purge(now - keep));
        }
        if (!toDelete.isEmpty()) {
            LOG.debug("removed {} resolved findings past retention", toDelete.size());
        }
    }

    private long wall() {
        return System.currentTimeMillis();
    }

    // ------------------------------------------------------------------ json

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
