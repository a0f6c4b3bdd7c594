package dev.meshlens.correlator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.Attempts;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.Rollup;
import dev.meshlens.events.SchemaVersion;
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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The windowed join of both halves of failed handshakes, per join key (destination service).
 *
 * <p>Input: mesh events repartitioned by {@link dev.meshlens.events.CorrelationKeys#joinKey}, and the
 * correlator's own {@link Loop} messages. A failure half looks for a complementary half of the other role in
 * the window store within ±window (its event time; stats deltas cover their poll interval). Paired halves
 * update one finding; a half whose window has closed (window + stats interval + grace, in stream time, which
 * goes on at wall-clock pace while the partition is quiet: {@link ExpiryClock}) leaves the store and becomes
 * one-sided evidence, counted unless it repeats a failure already counted
 * ({@link Ledger}). Findings live in a changelog-backed key-value store keyed {@code <join key>\0<finding id>}
 * and are forwarded on every change; loop messages are forwarded with the key prefix {@link #LOOP}.
 */
final class Correlator implements Processor<String, byte[], String, byte[]> {
  static final String PENDING = "meshlens-correlation-pending";
  static final String FINDINGS = "meshlens-correlation-findings";
  static final String DIRECTORY = "meshlens-correlation-directory";
  /** Output key prefix of loop messages (the topology sends them to the loop topic, without the prefix). */
  static final String LOOP = "\u0000loop\u0000";
  static final int MAX_EVIDENCE = 20;
  private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);
  private static final StringSerializer STRINGS = new StringSerializer();
  private static final char SEP = '\u0000';
  private static final String MESH_KEY = "mesh:";
  /** Window-store role of a client Envoy's own cluster counters (next to 'c', 's' and footprints 'f'). */
  private static final char OWN_COUNTERS = 'k';

  private final CorrelationConfig cfg;
  private final CorrelatorMetrics metrics;
  private final CorrelationStats stats;
  private final ObjectMapper json = EventCodec.get().mapper();
  private final long windowMs;
  private final long horizonMs;
  private final long statsMs;
  private final long resolveAfterMs;
  private ProcessorContext<String, byte[]> ctx;
  private WindowStore<String, byte[]> pending;
  private KeyValueStore<String, byte[]> findings;
  private KeyValueStore<String, byte[]> directory;
  private ServerDirectory servers;
  private Inventory inventory;
  private InventoryRefinement refinement;
  private long sweptTo = -1;
  private long lastQuietSweep = -1;
  private final ExpiryClock clock = new ExpiryClock();

  Correlator(CorrelationConfig cfg, CorrelatorMetrics metrics, CorrelationStats stats) {
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
    this.pending = context.getStateStore(PENDING);
    this.findings = context.getStateStore(FINDINGS);
    this.directory = context.getStateStore(DIRECTORY);
    this.servers = new ServerDirectory(directory);
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
    clock.streamTime(ctx.currentStreamTimeMs(), ctx.currentSystemTimeMs());
    if (Loop.isLoop(record.value())) {
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
    noteSeen(key, e.meshId(), t);
    if (Observations.isStats(e)) {
      Half h = Observations.statsHalf(e);
      if (h != null) {
        handle(key, h);
      }
      Half own = Observations.clientCounterHalf(e);
      if (own != null) {
        pending.put(key + SEP + OWN_COUNTERS + SEP + own.eventId(), write(own), own.timeMs());
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

  private void onLoop(String key, Loop m) {
    if (m.footprint() != null) {
      Loop.Footprint fp = m.footprint();
      String id = fp.key() + '|' + (fp.client() ? 'c' : 's') + '|' + fp.category() + '|' + fp.rejectedBy() + '|'
          + fp.timeMs();
      pending.put(key + SEP + 'f' + SEP + id, write(fp), fp.timeMs());
    } else if (m.counter() != null) {
      handle(key, m.counter());
    }
  }

  private void handle(String key, Half h) {
    long now = ctx.currentStreamTimeMs();
    // past the horizon, or behind what a wall-clock sweep already expired: it would never be swept
    boolean late = h.timeMs() < now - horizonMs || h.timeMs() <= sweptTo;
    if (h.stats()) {
      h = pairStats(key, h);
      if (h.remaining() > 0) {
        if (late) {
          expire(key, h);
        } else {
          store(key, h);
        }
      }
      return;
    }
    Candidate c = h.client() ? bestServerFor(key, h) : bestClientFor(key, h);
    if (c != null) {
      consume(key, c);
      if (h.client()) {
        pair(key, h, c.half, c.unit);
      } else {
        pair(key, c.half, h, null);
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
    String throttle = "fp" + SEP + key + SEP + serverMesh + SEP + (h.client() ? 'c' : 's') + h.category()
        + h.rejectedBy();
    byte[] last = directory.get(throttle);
    long t = h.timeMs();
    if (last != null && Math.abs(t - Long.parseLong(new String(last, StandardCharsets.UTF_8))) < windowMs / 2) {
      return;
    }
    directory.put(throttle, Long.toString(t).getBytes(StandardCharsets.UTF_8));
    Loop.Footprint fp = new Loop.Footprint(key, t, h.client(), h.category(), h.rejectedBy(),
        h.client() ? h.selfIdentity() : h.peerIdentity());
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

  // ------------------------------------------------------------------ window store

  private static String storeKey(String key, Half h) {
    return key + SEP + (h.client() ? 'c' : 's') + SEP + h.eventId() + (h.attempt() > 0 ? "#" + h.attempt() : "");
  }

  private void store(String key, Half h) {
    pending.put(storeKey(key, h), write(h), h.timeMs());
    stats.halvesStored.incrementAndGet();
  }

  private record Candidate(String storeKey, long storeTime, Half half, Half.Unit unit, double score) {}

  private List<Candidate> fetch(String key, char role, long from, long to) {
    List<Candidate> out = new ArrayList<>();
    String prefix = key + SEP + role + SEP;
    try (KeyValueIterator<Windowed<String>, byte[]> it = pending.fetch(prefix, prefix + '\uffff',
        Instant.ofEpochMilli(Math.max(0, from)), Instant.ofEpochMilli(Math.max(0, to)))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, byte[]> kv = it.next();
        if (kv.value == null || !kv.key.key().startsWith(prefix)) {
          continue;
        }
        out.add(new Candidate(kv.key.key(), kv.key.window().start(), read(kv.value, Half.class), null, 0));
      }
    }
    return out;
  }

  private List<Loop.Footprint> footprints(String key, long from, long to) {
    List<Loop.Footprint> out = new ArrayList<>();
    String prefix = key + SEP + 'f' + SEP;
    try (KeyValueIterator<Windowed<String>, byte[]> it = pending.fetch(prefix, prefix + '\uffff',
        Instant.ofEpochMilli(Math.max(0, from)), Instant.ofEpochMilli(Math.max(0, to)))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, byte[]> kv = it.next();
        if (kv.value != null && kv.key.key().startsWith(prefix)) {
          out.add(read(kv.value, Loop.Footprint.class));
        }
      }
    }
    return out;
  }

  /** The best pending server half (access log or stats unit) for a client half. */
  private Candidate bestServerFor(String key, Half c) {
    Candidate best = null;
    for (Candidate s : fetch(key, 's', c.timeMs() - windowMs, c.timeMs() + windowMs + statsMs)) {
      Half sh = s.half;
      if (sh.stats()) {
        if (c.timeMs() < sh.coverFromMs() - windowMs || c.timeMs() > sh.timeMs() + windowMs) {
          continue;
        }
        for (Half.Unit u : sh.units()) {
          if (u.remaining() > 0 && compatible(c, u.category(), u.rejectedBy(), null)) {
            double score = (exact(c.category(), u.category()) ? 0 : 1) + 0.5 + dt(c, sh) / 1e7;
            if (best == null || score < best.score) {
              best = new Candidate(s.storeKey, s.storeTime, sh, u, score);
            }
          }
        }
      } else if (Math.abs(sh.timeMs() - c.timeMs()) <= windowMs
          && compatible(c, sh.category(), sh.rejectedBy(), sh.peerIdentity())) {
        double score = (exact(c.category(), sh.category()) ? 0 : 1) + Math.abs(sh.timeMs() - c.timeMs()) / 1e7;
        if (best == null || score < best.score) {
          best = new Candidate(s.storeKey, s.storeTime, sh, null, score);
        }
      }
    }
    return best;
  }

  private static double dt(Half c, Half stats) {
    long mid = (stats.coverFromMs() + stats.timeMs()) / 2;
    return Math.abs(c.timeMs() - mid);
  }

  /** The best pending client half for an access-log server half. */
  private Candidate bestClientFor(String key, Half s) {
    Candidate best = null;
    for (Candidate c : fetch(key, 'c', s.timeMs() - windowMs, s.timeMs() + windowMs)) {
      if (compatible(c.half, s.category(), s.rejectedBy(), s.peerIdentity())) {
        // an ordinary connection line is weaker evidence than a client that saw the failure itself
        double score = (exact(c.half.category(), s.category()) ? 0 : 1) + (c.half.ordinary() ? 0.5 : 0)
            + Math.abs(c.half.timeMs() - s.timeMs()) / 1e7;
        if (best == null || score < best.score) {
          best = new Candidate(c.storeKey, c.storeTime, c.half, null, score);
        }
      }
    }
    return best;
  }

  /** Pairs a stats half's units with pending client halves; returns it with what is left. */
  private Half pairStats(String key, Half s) {
    List<Half.Unit> units = new ArrayList<>(s.units());
    List<Candidate> clients = fetch(key, 'c', s.coverFromMs() - windowMs, s.timeMs() + windowMs);
    // exact category matches first, then compatible ones, oldest first
    for (int pass = 0; pass < 2; pass++) {
      for (int ci = 0; ci < clients.size(); ci++) {
        Candidate c = clients.get(ci);
        if (c.half == null) {
          continue;
        }
        for (int i = 0; i < units.size(); i++) {
          Half.Unit u = units.get(i);
          if (u.remaining() <= 0) {
            continue;
          }
          boolean ok = pass == 0 ? exact(c.half.category(), u.category()) && compatible(c.half, u.category(),
              u.rejectedBy(), null) : compatible(c.half, u.category(), u.rejectedBy(), null);
          if (ok) {
            pending.put(c.storeKey, null, c.storeTime);
            units.set(i, u.minusOne());
            pair(key, c.half, s, u);
            clients.set(ci, new Candidate(c.storeKey, c.storeTime, null, null, 0));
            break;
          }
        }
      }
    }
    return s.withUnits(units);
  }

  private void consume(String key, Candidate c) {
    if (c.unit == null) {
      pending.put(c.storeKey, null, c.storeTime);
      return;
    }
    List<Half.Unit> units = new ArrayList<>();
    boolean done = false;
    for (Half.Unit u : c.half.units()) {
      if (!done && u.equals(c.unit)) {
        units.add(u.minusOne());
        done = true;
      } else {
        units.add(u);
      }
    }
    Half left = c.half.withUnits(units);
    pending.put(c.storeKey, left.remaining() > 0 ? write(left) : null, c.storeTime);
  }

  // ------------------------------------------------------------------ matching rules

  private static boolean exact(FailureCategory a, FailureCategory b) {
    return a == b && !Observations.generic(a);
  }

  private static boolean opposite(RejectedBy a, RejectedBy b) {
    return a == RejectedBy.UNKNOWN || b == RejectedBy.UNKNOWN || a != b;
  }

  static boolean compatible(Half c, FailureCategory sc, RejectedBy srb, String serverSawPeer) {
    if (serverSawPeer != null && c.selfIdentity() != null && c.selfIdentity().startsWith("spiffe://")
        && !serverSawPeer.equals(c.selfIdentity())) {
      return false;
    }
    if (c.ordinary()) {
      // a connection line that shows nothing wrong only explains a server that refused plaintext
      return sc == FailureCategory.PLAINTEXT_MISMATCH && srb != RejectedBy.PEER;
    }
    if (!opposite(c.rejectedBy(), srb)) {
      return false;
    }
    FailureCategory cc = c.category();
    if (cc == sc) {
      return true;
    }
    if (srb == RejectedBy.SELF && Alerts.mayAlsoMean(c.reason(), sc)) {
      return true; // e.g. handshake_failure received, the server's own evidence: no client certificate
    }
    boolean cg = Observations.generic(cc);
    boolean sg = Observations.generic(sc);
    if (!cg && !sg) {
      return false;
    }
    if (c.noTls()) {
      // the client's connection ended without any TLS error: either it did not speak TLS (a gateway without a
      // route resets a TLS client, which then reports a TLS-level reset), or it spoke TLS 1.3, where the client
      // sends its certificate and Finished last and counts its handshake complete before the server has checked
      // them (RFC 8446 4.4; google/conscrypt#777: the server's error appears "in the first client read"): the
      // server's rejection of its certificate then reaches it only as a connection closed after connect
      // (Envoy's codec client: ConnectionTermination, UC, no transport failure reason)
      return sc == FailureCategory.PLAINTEXT_MISMATCH || sc == FailureCategory.UNKNOWN
          || (srb == RejectedBy.SELF && sc.isVerification());
    }
    if (cc == FailureCategory.CONNECTION_RESET || cc == FailureCategory.UPSTREAM_CONNECT_FAILURE) {
      // what makes a server drop a handshake: no route for the SNI, or no certificate of its own to present
      // (an Envoy whose SDS secret never arrived closes every connection: ssl_socket.cc NotReadySslSocket)
      return sc == FailureCategory.NO_ROUTE || sc == FailureCategory.UNKNOWN || sc == FailureCategory.CONNECTION_RESET
          || (sc == FailureCategory.TRUST_CONFIG_ERROR && srb != RejectedBy.PEER);
    }
    if (cc == FailureCategory.CERT_REJECTED) {
      return sc.isVerification() || sc == FailureCategory.UNKNOWN;
    }
    if (sc == FailureCategory.CERT_REJECTED) {
      return cc.isVerification() || cc == FailureCategory.UNKNOWN;
    }
    return cc == FailureCategory.UNKNOWN || sc == FailureCategory.UNKNOWN;
  }

  // ------------------------------------------------------------------ pairs and one-sided halves

  /** What an observation adds to a finding. */
  private enum Kind { PAIR, CLIENT_ONLY, SERVER_ONLY, COUNTER_ONLY }

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
    if (!c.client() || c.stats() || c.ordinary() || c.category() != FailureCategory.CERT_REJECTED
        || c.rejectedBy() != RejectedBy.SELF || c.selfIdentity() == null) {
      return c;
    }
    String prefix = key + SEP + OWN_COUNTERS + SEP;
    Set<FailureCategory> named = new LinkedHashSet<>();
    String evidence = null;
    try (KeyValueIterator<Windowed<String>, byte[]> it = pending.fetch(prefix, prefix + '\uffff',
        Instant.ofEpochMilli(Math.max(0, c.timeMs() - windowMs)),
        Instant.ofEpochMilli(Math.max(0, c.timeMs() + statsMs + windowMs)))) {
      while (it.hasNext()) {
        KeyValue<Windowed<String>, byte[]> kv = it.next();
        if (kv.value == null || !kv.key.key().startsWith(prefix)) {
          continue;
        }
        Half k = read(kv.value, Half.class);
        if (k.meshId().equals(c.meshId()) && c.selfIdentity().equals(k.selfIdentity())
            && c.timeMs() >= k.coverFromMs() - windowMs && c.timeMs() <= k.timeMs() + windowMs) {
          k.units().forEach(u -> named.add(u.category()));
          evidence = "its own " + counterText(k, k.units(), false);
        }
      }
    }
    if (named.size() != 1) {
      return c;
    }
    FailureCategory cause = named.iterator().next();
    String detail = (c.detail() == null ? "" : c.detail() + "; ") + evidence;
    return new Half(c.eventId(), c.meshId(), c.meshKind(), true, c.timeMs(), c.coverFromMs(), cause, c.rejectedBy(),
        c.selfIdentity(), c.peerIdentity(), c.reason(), detail, c.raw(), c.noTls(), false, c.units(), false, c.place(),
        c.shared(), c.attempt());
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
    List<Loop.Footprint> fps = footprints(key, h.coverFromMs() - windowMs, h.timeMs() + windowMs);
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
    out.sort(Comparator.comparing((KeyValue<String, Tracked> kv) -> kv.value.finding().lastSeen()).reversed());
    return out;
  }

  private static Half probe(Finding f) {
    long last = f.lastSeen().toEpochMilli();
    return new Half("", f.clientMesh(), null, true, last, last, f.category(), f.rejectedBy(), f.clientIdentity(),
        null, null, null, null, false, false, List.of(), false, null, false);
  }

  /**
   * A server log half that found no client half: it goes to a finding of its key that it fits, counted once
   * unless it is the late twin of a one-sided client half already counted there.
   */
  private boolean corroborateLog(String key, Half s) {
    List<KeyValue<String, Tracked>> fits = new ArrayList<>();
    for (KeyValue<String, Tracked> kv : findingsAround(key, s.timeMs(), s.timeMs())) {
      Finding f = kv.value.finding();
      if (f.category() == s.category() || compatible(probe(f), s.category(), s.rejectedBy(), s.peerIdentity())) {
        fits.add(kv);
      }
    }
    if (fits.isEmpty()) {
      return false;
    }
    // a finding holding the client twin of this half first, else the most recent
    KeyValue<String, Tracked> best = fits.get(0);
    Ledger.Step step = best.value.ledger().serverOnly(s.timeMs(), windowMs);
    for (KeyValue<String, Tracked> kv : fits) {
      Ledger.Step st = kv.value.ledger().serverOnly(s.timeMs(), windowMs);
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
      Finding f = kv.value.finding();
      if (f.category() == u.category() || compatible(probe(f), u.category(), u.rejectedBy(), null)) {
        fits.add(kv);
      }
    }
    if (fits.isEmpty()) {
      return false;
    }
    long left = u.remaining();
    for (int i = 0; i < fits.size(); i++) {
      KeyValue<String, Tracked> kv = fits.get(i);
      Ledger.Step step = kv.value.ledger().counter(h.coverFromMs(), h.timeMs(), windowMs, left);
      left -= step.counted();
      Tracked t = kv.value.withLedger(step.ledger());
      Map<String, String> details = new LinkedHashMap<>();
      details.put("server_counters", counterText(h, List.of(u), true));
      details.put("server_corroboration", u.counter());
      Finding f = t.finding();
      if (f.oneSided() && h.meshId().equals(f.blindSide())) {
        details.put("blind_side_status", "mesh " + h.meshId() + " counted these failures in its ssl.* counters ("
            + (h.place() != null ? h.place() : "an Envoy") + ") but wrote no access-log line for them: turn on"
            + " listener access logs there to see the client identity and the TLS error");
      }
      addToFinding(kv.key, t, h, h.timeMs(), 0, details);
    }
    if (left > 0 && !h.shared()) {
      // failures the counters saw that no access-log line shows: counted where the pair is failing now
      KeyValue<String, Tracked> best = fits.get(0);
      Tracked t = read(findings.get(best.key), Tracked.class);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("counted_from_counters", Long.toString(left + parseLong(t.finding().details()
          .get("counted_from_counters"))));
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
      sb.append(" (").append(Instant.ofEpochMilli(h.coverFromMs())).append(" to ").append(Instant.ofEpochMilli(
          h.timeMs())).append(')');
    }
    return sb.toString();
  }

  /**
   * Adds one observation to an existing finding: evidence and details always; {@code counted} failures to its
   * count (moving last seen, reopening a resolved finding, breaking a run of successes).
   */
  private void addToFinding(String storeKey, Tracked t, Half h, long timeMs, long counted,
      Map<String, String> details) {
    Finding f = t.finding();
    List<String> ev = new ArrayList<>(f.evidenceIds());
    if (ev.size() < MAX_EVIDENCE && !ev.contains(h.eventId())) {
      ev.add(h.eventId());
    }
    Map<String, String> merged = new LinkedHashMap<>(f.details());
    merged.putAll(details);
    FindingState state = f.state();
    List<Finding.StateChange> history = new ArrayList<>(f.history());
    Instant first = f.firstSeen();
    Instant last = f.lastSeen();
    long count = f.count();
    Long okSince = t.okSinceMs();
    if (counted > 0) {
      Instant at = Instant.ofEpochMilli(timeMs);
      count += counted;
      first = at.isBefore(first) ? at : first;
      last = at.isAfter(last) ? at : last;
      if (state == FindingState.RESOLVED && at.isAfter(history.isEmpty() ? f.lastSeen()
          : history.get(history.size() - 1).at())) {
        state = FindingState.OPEN;
        history.add(new Finding.StateChange(at, FindingState.OPEN, "failures again after resolution"));
      }
      if (okSince != null && timeMs >= okSince) {
        okSince = null;
      }
      merged.put("one_sided_count", Long.toString(count - t.pairs()));
      metrics.handshakeFailure(f.clientMesh(), f.serverMesh(), f.category(), counted);
    }
    Finding nf = new Finding(f.schemaVersion(), f.id(), f.category(), f.clientMesh(), f.clientIdentity(),
        f.serverMesh(), f.serverService(), f.serverIdentity(), f.rejectedBy(), f.direction(), first, last, count,
        state, f.oneSided(), f.blindSide(), ev, f.remediation(), merged, history);
    Ledger ledger = t.ledger().prune(last.toEpochMilli(), 2 * horizonMs);
    save(storeKey, new Tracked(nf, t.lastClientSeenMs(), t.pairs(), t.clientKind(), t.serverKind(), wall(),
        state == FindingState.OPEN ? okSince : null, ledger));
  }

  private void upsert(String key, Half c, Half s, Half.Unit unit, Decision d, Map<String, String> details, long n,
      Kind kind) {
    ServerDirectory.ServerInfo dir = servers.get(key);
    String clientMesh = c != null ? c.meshId() : meshOfIdentity(s.peerIdentity());
    String clientIdentity = c != null ? c.selfIdentity() : s.peerIdentity() != null ? s.peerIdentity()
        : "unknown client";
    String serverMesh = s != null ? s.meshId() : serverMeshOf(key);
    if (serverMesh == null) {
      serverMesh = "unknown";
    }
    if (clientMesh == null) {
      clientMesh = "unknown";
    }
    // a counter delta of an Envoy nobody named is about its listener, not a service
    String service = kind == Kind.COUNTER_ONLY && key.startsWith(MESH_KEY) && s.place() != null ? s.place() : key;
    String serverIdentity = s != null && s.selfIdentity() != null && s.selfIdentity().startsWith("spiffe://")
        ? s.selfIdentity() : dir != null && !key.startsWith(MESH_KEY) && dir.meshId().equals(serverMesh)
        ? dir.identity() : null;
    String clientKind = c != null ? c.meshKind() : inventory.kindOf(clientMesh);
    String serverKind = s != null ? s.meshKind() : dir != null && dir.meshId().equals(serverMesh) ? dir.kind()
        : inventory.kindOf(serverMesh);
    long t = c != null ? c.timeMs() : s.timeMs();
    FailureCategory category = d.category();
    RejectedBy rb = d.rejectedBy();
    if (d.decidedBy() != null) {
      details.put("decided_by", d.decidedBy());
    }
    if (c != null && c.attempt() > 0) {
      details.put("retried_requests", "a client line flagged URX stands for every attempt of the route's retry"
          + " policy (Istio's default: 2 retries, so 3 handshakes); each attempt counts");
    }
    InventoryRefinement.Parties parties = new InventoryRefinement.Parties(clientMesh, clientIdentity, serverMesh,
        key, serverIdentity);

    // generic category: fold into a specific open finding of the same pair and direction, else use the inventory
    if (Observations.generic(category)) {
      Tracked specific = findSpecific(key, clientMesh, clientIdentity, category, rb, c);
      if (specific != null) {
        details.put("refined_by", "finding of the same pair");
        details.put("decided_by", "an open finding of the same pair ("
            + specific.finding().details().getOrDefault("decided_by", specific.finding().category().name())
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
    if (clientKind != null) {
      details.put("client_mesh_kind", clientKind);
    }
    if (serverKind != null) {
      details.put("server_mesh_kind", serverKind);
    }
    details.put("client_template", Narrator.template(clientKind));
    details.put("server_template", Narrator.template(serverKind));

    if (rb == RejectedBy.UNKNOWN) {
      rb = Decision.defaultRejectedBy(category, c);
    }
    String id = Finding.idFor(clientMesh + "|" + clientIdentity, serverMesh + "|" + service, category);
    String sk = key + SEP + id;
    byte[] prev = findings.get(sk);
    Tracked old = prev == null ? null : read(prev, Tracked.class);
    if (rb == RejectedBy.UNKNOWN && old != null) {
      rb = old.finding().rejectedBy();
    }

    // how many failures this adds: a one-sided half may be the twin of one already counted
    Ledger ledger = old == null ? Ledger.empty() : old.ledger();
    long counted = n;
    switch (kind) {
      case PAIR -> {
        if (unit == null && s != null) {
          ledger = ledger.pairedServerLog(s.timeMs());
        }
      }
      case CLIENT_ONLY -> {
        Ledger.Step step = ledger.clientOnly(c.timeMs(), windowMs);
        ledger = step.ledger();
        counted = step.counted();
        if (counted == 0) {
          details.put("client_corroboration", "a late client half of a failure the server already reported");
        }
      }
      case SERVER_ONLY -> {
        Ledger.Step step = ledger.serverOnly(s.timeMs(), windowMs);
        ledger = step.ledger();
        counted = step.counted();
      }
      case COUNTER_ONLY -> { }
    }

    Instant at = Instant.ofEpochMilli(t);
    Finding f = old == null ? null : old.finding();
    List<Finding.StateChange> history = f == null ? new ArrayList<>() : new ArrayList<>(f.history());
    FindingState state = f == null ? FindingState.OPEN : f.state();
    if (f == null) {
      history.add(new Finding.StateChange(at, FindingState.OPEN, kind == Kind.PAIR ? "failure seen by both sides"
          : kind == Kind.COUNTER_ONLY ? "failures seen only in ssl.* counters" : "failure seen by one side only"));
    } else if (f.state() == FindingState.RESOLVED && counted > 0) {
      Instant resolvedAt = history.isEmpty() ? f.lastSeen() : history.get(history.size() - 1).at();
      if (at.isAfter(resolvedAt)) {
        state = FindingState.OPEN;
        history.add(new Finding.StateChange(at, FindingState.OPEN, "failures again after resolution"));
      }
      // else: a late record from before the resolution; it counts, the finding stays resolved
    }
    long pairs = (old == null ? 0 : old.pairs()) + (kind == Kind.PAIR ? n : 0);
    long count = (f == null ? 0 : f.count()) + counted;
    Instant first = f == null || (counted > 0 && at.isBefore(f.firstSeen())) ? at : f.firstSeen();
    Instant last = f == null || (counted > 0 && at.isAfter(f.lastSeen())) ? at : f.lastSeen();
    long lastClient = Math.max(old == null ? Long.MIN_VALUE : old.lastClientSeenMs(), c != null ? c.timeMs()
        : Long.MIN_VALUE);
    List<String> evidence = f == null ? new ArrayList<>() : new ArrayList<>(f.evidenceIds());
    for (Half h : new Half[] {c, s}) {
      if (h != null && evidence.size() < MAX_EVIDENCE && !evidence.contains(h.eventId())) {
        evidence.add(h.eventId());
      }
    }
    Map<String, String> merged = f == null ? new LinkedHashMap<>() : new LinkedHashMap<>(f.details());
    merged.putAll(details);
    merged.values().removeIf(java.util.Objects::isNull);
    merged.put("paired_count", Long.toString(pairs));
    merged.put("one_sided_count", Long.toString(count - pairs));
    boolean oneSided = pairs == 0;
    String blind = null;
    if (oneSided) {
      blind = c != null ? serverMesh : clientMesh;
      if (kind == Kind.COUNTER_ONLY) {
        merged.put("blind_side_status", "the client is unknown: no access-log line of any mesh matches these"
            + " failures");
      } else if (!merged.getOrDefault("blind_side_status", "").contains("ssl.* counters")) {
        merged.put("blind_side_status", blindStatus(key, blind, t));
      }
    } else {
      merged.remove("blind_side_status");
    }

    // a run of successes between the pair: a failure after its start breaks it; one before it leaves it be
    Long okSince = old == null ? null : old.okSinceMs();
    if (counted > 0 && okSince != null && t >= okSince) {
      okSince = null;
    }
    Long ok = lastSuccess(key, clientIdentity);
    if (state == FindingState.OPEN && okSince == null && ok != null && ok > last.toEpochMilli()) {
      okSince = ok; // a success that arrived before this (older) failure: the run started no later than that
    }
    Narrator.Facts facts = new Narrator.Facts(category, rb, clientMesh, clientKind, clientIdentity, serverMesh,
        serverKind, service, serverIdentity, merged);
    Finding nf = new Finding(SchemaVersion.CURRENT, id, category, clientMesh, clientIdentity, serverMesh, service,
        serverIdentity, rb, Narrator.direction(facts), first, last, count, state, oneSided, blind, evidence,
        Narrator.remediation(facts), merged, history);
    save(sk, new Tracked(nf, lastClient, pairs, clientKind, serverKind, wall(),
        state == FindingState.OPEN ? okSince : null, ledger.prune(last.toEpochMilli(), 2 * horizonMs)));
    if (counted > 0) {
      metrics.handshakeFailure(clientMesh, serverMesh, category, counted);
    }
  }

  private Tracked findSpecific(String key, String clientMesh, String clientIdentity, FailureCategory generic,
      RejectedBy rb, Half c) {
    try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
      while (it.hasNext()) {
        Tracked t = read(it.next().value, Tracked.class);
        Finding f = t.finding();
        boolean recent = f.state() == FindingState.OPEN || (c != null
            && c.timeMs() <= f.lastSeen().toEpochMilli() + horizonMs);
        if (!recent || Observations.generic(f.category())
            || !f.clientIdentity().equals(clientIdentity) || !f.clientMesh().equals(clientMesh)) {
          continue;
        }
        Half probe = c != null ? c : new Half("", clientMesh, null, true, 0, 0, generic, Decision.flip(rb),
            clientIdentity, null, null, null, null, false, false, List.of(), false, null, false);
        RejectedBy serverView = Decision.flip(f.rejectedBy());
        if ((rb == RejectedBy.UNKNOWN || f.rejectedBy() == rb || f.rejectedBy() == RejectedBy.UNKNOWN)
            && compatible(probe, f.category(), serverView, null)) {
          return t;
        }
      }
    }
    return null;
  }

  private String blindStatus(String key, String blindMesh, long t) {
    byte[] b = directory.get("seen" + SEP + key + SEP + blindMesh);
    if (b != null) {
      long seen = Long.parseLong(new String(b, StandardCharsets.UTF_8));
      if (seen > t - Duration.ofMinutes(10).toMillis()) {
        return "mesh " + blindMesh + " reports for " + key + " but showed no handshake failure: blind (listener access"
            + " logs and ssl.* stats off or not scraped), not healthy";
      }
    }
    if ("unknown".equals(blindMesh)) {
      return "the client's mesh is unknown: no client-side line of any reporting mesh matches";
    }
    return "mesh " + blindMesh + " is not reporting for " + key + " (no collector, or nothing published)";
  }

  private String meshOfIdentity(String identity) {
    SpiffeId id = SpiffeId.tryParse(identity);
    if (id == null) {
      return null;
    }
    return inventory.meshOfService(id.workloadName());
  }

  // ------------------------------------------------------------------ directory, successes

  private void noteSeen(String key, String meshId, long t) {
    directory.put("seen" + SEP + key + SEP + meshId, Long.toString(t).getBytes(StandardCharsets.UTF_8));
  }

  private Long lastSuccess(String key, String clientIdentity) {
    byte[] b = directory.get("ok" + SEP + key + SEP + clientIdentity);
    return b == null ? null : Long.parseLong(new String(b, StandardCharsets.UTF_8));
  }

  /**
   * A successful request between a pair. It never resolves a finding by itself: it starts (or continues) a
   * run of successes after the finding's last failure, and the finding resolves once that run has lasted
   * {@code resolveAfter} without a failure. A failure inside the run breaks it (see {@link #upsert}).
   */
  private void onSuccess(String key, MeshEvent e, long t) {
    // A collector's roll-up stands for many successful requests from its first to its last time (t).
    long n = Rollup.countOf(e);
    long runStart = e.rollup() == null ? t : e.rollup().firstTime().toEpochMilli();
    stats.successes.addAndGet(n);
    String client = Observations.selfIdentity(e);
    Long prev = lastSuccess(key, client);
    if (prev == null || t > prev) {
      directory.put("ok" + SEP + key + SEP + client, Long.toString(t).getBytes(StandardCharsets.UTF_8));
    }
    ServerDirectory.ServerInfo dir = servers.get(key);
    metrics.handshakeSuccess(e.meshId(), dir != null ? dir.meshId() : CorrelatorMetrics.UNKNOWN_MESH, n);
    List<KeyValue<String, Tracked>> open = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        Tracked tr = read(kv.value, Tracked.class);
        Finding f = tr.finding();
        if (f.state() == FindingState.OPEN && f.clientIdentity().equals(client) && f.clientMesh().equals(e.meshId())
            && t > f.lastSeen().toEpochMilli()) {
          open.add(KeyValue.pair(kv.key, tr));
        }
      }
    }
    for (KeyValue<String, Tracked> kv : open) {
      Tracked tr = kv.value;
      // successes after the finding's last failure start (or continue) the run
      long start = Math.max(runStart, tr.finding().lastSeen().toEpochMilli() + 1);
      long since = tr.okSinceMs() == null || tr.okSinceMs() > start ? start : tr.okSinceMs();
      if (t - since >= resolveAfterMs) {
        resolve(kv.key, tr, Instant.ofEpochMilli(t), "successful mTLS between the pair for "
            + Duration.ofMillis(t - since) + " without failures (since " + Instant.ofEpochMilli(since) + ")");
      } else if (tr.okSinceMs() == null || since != tr.okSinceMs()) {
        // bookkeeping only: the published finding does not change
        findings.put(kv.key, write(tr.withOkSince(since)));
      }
    }
  }

  private void resolve(String storeKey, Tracked tr, Instant at, String reason) {
    Finding f = tr.finding();
    List<Finding.StateChange> history = new ArrayList<>(f.history());
    history.add(new Finding.StateChange(at, FindingState.RESOLVED, reason));
    Finding nf = new Finding(f.schemaVersion(), f.id(), f.category(), f.clientMesh(), f.clientIdentity(),
        f.serverMesh(), f.serverService(), f.serverIdentity(), f.rejectedBy(), f.direction(), f.firstSeen(),
        f.lastSeen(), f.count(), FindingState.RESOLVED, f.oneSided(), f.blindSide(), f.evidenceIds(),
        f.remediation(), f.details(), history);
    save(storeKey, tr.with(nf).withOkSince(null));
    stats.findingsResolved.incrementAndGet();
  }

  private void save(String storeKey, Tracked t) {
    findings.put(storeKey, write(t));
    stats.findingsUpdated.incrementAndGet();
    ctx.forward(new Record<>(t.finding().id(), EventCodec.get().encodeFinding(t.finding())
        .getBytes(StandardCharsets.UTF_8), t.finding().lastSeen().toEpochMilli()));
  }

  // ------------------------------------------------------------------ punctuation

  /** Stream-time sweep: halves whose window closed become one-sided; quiet findings resolve; old ones leave. */
  private void sweep(long streamTime) {
    clock.streamTime(streamTime, ctx.currentSystemTimeMs());
    expireUpTo(streamTime - horizonMs);
    if (lastQuietSweep < 0 || streamTime - lastQuietSweep >= 10_000) {
      lastQuietSweep = streamTime;
      quietSweep(streamTime, false);
    }
  }

  /** Wall-clock tick: on a quiet partition, halves still expire once their horizon has passed (see ExpiryClock). */
  private void wallTick(long wallTime) {
    clock.streamTime(ctx.currentStreamTimeMs(), wallTime);
    long now = clock.now(wallTime);
    if (now >= 0) {
      expireUpTo(now - horizonMs);
    }
  }

  /** Halves (event time up to {@code to}) leave the window store and become one-sided evidence. */
  private void expireUpTo(long to) {
    if (to > sweptTo) {
      List<KeyValue<Windowed<String>, byte[]>> expired = new ArrayList<>();
      try (KeyValueIterator<Windowed<String>, byte[]> it = pending.fetchAll(Instant.ofEpochMilli(Math.max(0,
          sweptTo + 1)), Instant.ofEpochMilli(Math.max(0, to)))) {
        while (it.hasNext()) {
          expired.add(it.next());
        }
      }
      // access-log halves first: a counter delta of the same sweep then finds the findings they made
      List<KeyValue<String, Half>> halves = new ArrayList<>();
      for (KeyValue<Windowed<String>, byte[]> kv : expired) {
        if (kv.value == null) {
          continue;
        }
        String k = kv.key.key();
        char role = k.charAt(k.indexOf(SEP) + 1);
        if (role == 'f' || role == OWN_COUNTERS) {
          // a footprint, or a client's own counters: looked up by halves that expire up to a poll interval
          // later; the window store's retention (twice the horizon) drops them
          continue;
        }
        pending.put(k, null, kv.key.window().start());
        halves.add(KeyValue.pair(k.substring(0, k.indexOf(SEP)), read(kv.value, Half.class)));
      }
      halves.sort(Comparator.comparing((KeyValue<String, Half> kv) -> kv.value.stats()));
      for (KeyValue<String, Half> kv : halves) {
        expire(kv.key, kv.value);
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
        long ref = wallClock ? t.wallMs() : t.finding().lastSeen().toEpochMilli();
        if (t.finding().state() == FindingState.OPEN && now - ref > quiet) {
          toResolve.add(KeyValue.pair(kv.key, t));
        } else if (t.finding().state() == FindingState.RESOLVED && now - ref > keep) {
          toDelete.add(kv.key);
        }
      }
    }
    for (KeyValue<String, Tracked> kv : toResolve) {
      resolve(kv.key, kv.value, wallClock ? Instant.ofEpochMilli(now) : kv.value.finding().lastSeen().plus(
          cfg.quietTime()), "quiet: no failure for " + cfg.quietTime());
    }
    for (String k : toDelete) {
      findings.delete(k);
      stats.findingsRemoved.incrementAndGet();
    }
    if (!wallClock) {
      purgeDirectory(now - keep);
    }
    if (!toDelete.isEmpty()) {
      LOG.debug("removed {} resolved findings past retention", toDelete.size());
    }
  }

  /** Directory entries (server of a key, last seen per mesh, last success per client) leave after the retention. */
  private void purgeDirectory(long before) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = directory.all()) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
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
      directory.delete(k);
    }
    stats.directoryRemoved.addAndGet(old.size());
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
