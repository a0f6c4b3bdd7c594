package dev.meshlens.query.correlation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SchemaVersion;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.query.metrics.MeshlensMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Input: mesh events repartitioned by {@link dev.meshlens.events.CorrelationKeys#joinKey}. A
 * failure half looks for a complementary half of the other role in the window store within ±window
 * (its event time; stats deltas cover their poll interval). Paired halves update one finding;
 * a half whose window has closed in stream time (window + stats interval + grace) leaves the store
 * and becomes one-sided evidence. Findings live in a changelog-backed key-value store keyed
 * {@code <join key>\0<finding id>} and are forwarded on every change.
 */
final class Correlator implements Processor<String, byte[], String, byte[]> {
  static final String PENDING = "meshlens-correlation-pending";
  static final String FINDINGS = "meshlens-correlation-findings";
  static final String DIRECTORY = "meshlens-correlation-directory";
  static final int MAX_EVIDENCE = 20;
  private static final Logger LOG = LoggerFactory.getLogger(Correlator.class);
  private static final StringSerializer STRINGS = new StringSerializer();
  private static final char SEP = '\u0000';

  private final CorrelationConfig cfg;
  private final MeshlensMetrics metrics;
  private final CorrelationStats stats;
  private final ObjectMapper json = EventCodec.get().mapper();
  private final long windowMs;
  private final long horizonMs;
  private final long statsMs;
  private ProcessorContext<String, byte[]> ctx;
  private WindowStore<String, byte[]> pending;
  private KeyValueStore<String, byte[]> findings;
  private KeyValueStore<String, byte[]> directory;
  private Inventory inventory;
  private long sweptTo = -1;
  private long lastQuietSweep = -1;

  Correlator(CorrelationConfig cfg, MeshlensMetrics metrics, CorrelationStats stats) {
    this.cfg = cfg;
    this.metrics = metrics;
    this.stats = stats;
    this.windowMs = cfg.window().toMillis();
    this.horizonMs = cfg.pairingHorizon().toMillis();
    this.statsMs = cfg.statsInterval().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.ctx = context;
    this.pending = context.getStateStore(PENDING);
    this.findings = context.getStateStore(FINDINGS);
    this.directory = context.getStateStore(DIRECTORY);
    KeyValueStore<String, byte[]> inv = context.getStateStore(Inventory.STORE);
    this.inventory = new Inventory(inv);
    context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::sweep);
    context.schedule(Duration.ofSeconds(30), PunctuationType.WALL_CLOCK_TIME, this::wallSweep);
  }

  // ------------------------------------------------------------------ input

  @Override
  public void process(Record<String, byte[]> record) {
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
    if (role == ObserverRole.SERVER) {
      noteServer(key, e, t);
    }
    noteSeen(key, e.meshId(), t);
    if (Observations.isStats(e)) {
      Half h = Observations.statsHalf(e);
      if (h != null) {
        handle(key, h);
      }
    } else if (e.tls() != null && role != null && !Observations.notAHandshake(e)) {
      handle(key, Observations.failureHalf(e));
    } else if (role == ObserverRole.CLIENT && Observations.isSuccess(e)) {
      onSuccess(key, e, t);
    }
  }

  private void handle(String key, Half h) {
    long now = ctx.currentStreamTimeMs();
    boolean late = h.timeMs() < now - horizonMs;
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

  // ------------------------------------------------------------------ window store

  private static String storeKey(String key, Half h) {
    return key + SEP + (h.client() ? 'c' : 's') + SEP + h.eventId();
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
        double score = (exact(c.half.category(), s.category()) ? 0 : 1) + Math.abs(c.half.timeMs() - s.timeMs()) / 1e7;
        if (best == null || score < best.score) {
          best = c;
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
      for (Candidate c : clients) {
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
            units.set(i, new Half.Unit(u.category(), u.rejectedBy(), u.counter(), u.remaining() - 1));
            pair(key, c.half, s, u);
            clients.set(clients.indexOf(c), new Candidate(c.storeKey, c.storeTime, null, null, 0));
            break;
          }
        }
      }
    }
    return new Half(s.eventId(), s.meshId(), s.meshKind(), false, s.timeMs(), s.coverFromMs(), s.category(),
        s.rejectedBy(), s.selfIdentity(), s.peerIdentity(), s.reason(), s.detail(), s.raw(), false, true, units);
  }

  private void consume(String key, Candidate c) {
    if (c.unit == null) {
      pending.put(c.storeKey, null, c.storeTime);
      return;
    }
    List<Half.Unit> units = new ArrayList<>();
    for (Half.Unit u : c.half.units()) {
      units.add(u == c.unit || u.equals(c.unit) ? new Half.Unit(u.category(), u.rejectedBy(), u.counter(),
          u.remaining() - 1) : u);
    }
    Half left = new Half(c.half.eventId(), c.half.meshId(), c.half.meshKind(), false, c.half.timeMs(),
        c.half.coverFromMs(), c.half.category(), c.half.rejectedBy(), c.half.selfIdentity(), c.half.peerIdentity(),
        c.half.reason(), c.half.detail(), c.half.raw(), false, true, units);
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
    if (!opposite(c.rejectedBy(), srb)) {
      return false;
    }
    FailureCategory cc = c.category();
    if (cc == sc) {
      return true;
    }
    boolean cg = Observations.generic(cc);
    boolean sg = Observations.generic(sc);
    if (!cg && !sg) {
      return false;
    }
    if (c.noTls()) {
      // the client saw no TLS error at all: it did not speak TLS (a gateway without a route resets a TLS
      // client, which then reports a TLS-level reset)
      return sc == FailureCategory.PLAINTEXT_MISMATCH || sc == FailureCategory.UNKNOWN;
    }
    if (cc == FailureCategory.CONNECTION_RESET || cc == FailureCategory.UPSTREAM_CONNECT_FAILURE) {
      return sc == FailureCategory.NO_ROUTE || sc == FailureCategory.UNKNOWN || sc == FailureCategory.CONNECTION_RESET;
    }
    if (cc == FailureCategory.CERT_REJECTED) {
      return sc.isVerification() || sc == FailureCategory.UNKNOWN;
    }
    if (sc == FailureCategory.CERT_REJECTED) {
      return cc.isVerification() || cc == FailureCategory.UNKNOWN;
    }
    return cc == FailureCategory.UNKNOWN || sc == FailureCategory.UNKNOWN;
  }

  private static RejectedBy flip(RejectedBy r) {
    return r == RejectedBy.SELF ? RejectedBy.PEER : r == RejectedBy.PEER ? RejectedBy.SELF : RejectedBy.UNKNOWN;
  }

  /** Category and direction (client's point of view) of two halves, before inventory refinement. */
  static Object[] merge(Half c, FailureCategory sc, RejectedBy srb) {
    FailureCategory cc = c == null ? null : c.category();
    FailureCategory cat;
    String refinedBy = null;
    if (c == null) {
      cat = sc;
    } else if (cc == sc) {
      cat = cc;
    } else if (!Observations.generic(cc)) {
      cat = cc;
    } else if (sc != null && !Observations.generic(sc)) {
      cat = sc;
      refinedBy = "other half";
    } else if (c.noTls() && sc == FailureCategory.UNKNOWN) {
      // the server's TLS handshake failed while the client saw no TLS error: the client spoke plaintext
      cat = FailureCategory.PLAINTEXT_MISMATCH;
      refinedBy = "other half";
    } else if (cc == FailureCategory.CERT_REJECTED || sc == FailureCategory.CERT_REJECTED) {
      cat = FailureCategory.CERT_REJECTED;
    } else {
      cat = cc;
    }
    RejectedBy rb;
    if (c != null && c.rejectedBy() != RejectedBy.UNKNOWN) {
      rb = c.rejectedBy();
    } else if (srb != null && srb != RejectedBy.UNKNOWN) {
      rb = flip(srb);
    } else {
      rb = defaultRejectedBy(cat, c);
    }
    return new Object[] {cat, rb, refinedBy};
  }

  /** Direction implied by the category alone, when neither half says who rejected. */
  static RejectedBy defaultRejectedBy(FailureCategory cat, Half c) {
    if (cat == FailureCategory.NO_ROUTE || cat == FailureCategory.CLIENT_CERT_MISSING) {
      return RejectedBy.PEER; // the server side refused the client
    }
    if (cat == FailureCategory.PLAINTEXT_MISMATCH) {
      // TLS client, plaintext server: the client detects it (WRONG_VERSION_NUMBER); else the TLS server refused
      return c != null && "WRONG_VERSION_NUMBER".equals(c.reason()) ? RejectedBy.SELF : RejectedBy.PEER;
    }
    return RejectedBy.UNKNOWN;
  }

  // ------------------------------------------------------------------ findings

  private void pair(String key, Half c, Half s, Half.Unit unit) {
    stats.halvesPaired.addAndGet(2);
    FailureCategory sc = unit != null ? unit.category() : s.category();
    RejectedBy srb = unit != null ? unit.rejectedBy() : s.rejectedBy();
    Object[] m = merge(c, sc, srb);
    Map<String, String> details = new LinkedHashMap<>();
    if (m[2] != null) {
      details.put("refined_by", unit != null ? "server ssl." + unit.counter().substring(4) + " delta" : (String) m[2]);
    }
    if (s.reason() != null) {
      details.put("server_reason", s.reason());
    }
    if (c.reason() != null) {
      details.put("client_reason", c.reason());
    }
    upsert(key, c, s, (FailureCategory) m[0], (RejectedBy) m[1], details, 1, true);
  }

  /** A half whose window closed without its other half. */
  private void expire(String key, Half h) {
    if (h.client()) {
      stats.halvesExpiredOneSided.incrementAndGet();
      Object[] m = merge(h, null, null);
      upsert(key, h, null, (FailureCategory) m[0], (RejectedBy) m[1], new LinkedHashMap<>(), 1, false);
      return;
    }
    // server side alone: first see whether it duplicates evidence of a finding already counted
    for (Half.Unit u : h.stats() ? h.units() : List.of(new Half.Unit(h.category(), h.rejectedBy(), null, 1))) {
      if (u.remaining() <= 0) {
        continue;
      }
      if (corroborate(key, h, u)) {
        stats.halvesCorroborating.incrementAndGet();
        continue;
      }
      stats.halvesExpiredOneSided.incrementAndGet();
      Object[] m = merge(null, u.category(), u.rejectedBy());
      Map<String, String> details = new LinkedHashMap<>();
      if (u.counter() != null) {
        details.put("server_counter", u.counter());
      }
      upsert(key, null, h, (FailureCategory) m[0], (RejectedBy) m[1], details, u.remaining(), false);
    }
  }

  private boolean corroborate(String key, Half s, Half.Unit u) {
    try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        Tracked t = read(kv.value, Tracked.class);
        Finding f = t.finding();
        long last = f.lastSeen().toEpochMilli();
        long first = f.firstSeen().toEpochMilli();
        if (s.timeMs() + windowMs < first || s.coverFromMs() - horizonMs > last) {
          continue;
        }
        Half probe = new Half("", f.clientMesh(), null, true, last, last, f.category(),
            f.rejectedBy(), f.clientIdentity(), null, null, null, null, false, false, List.of());
        if (f.category() == u.category() || compatible(probe, u.category(), u.rejectedBy(), s.peerIdentity())) {
          List<String> ev = new ArrayList<>(f.evidenceIds());
          if (ev.size() < MAX_EVIDENCE && !ev.contains(s.eventId())) {
            ev.add(s.eventId());
          }
          Map<String, String> details = new LinkedHashMap<>(f.details());
          details.put("server_corroboration", u.counter() != null ? u.counter() : "listener log");
          Finding nf = copy(f, f.state(), f.count(), f.firstSeen(), f.lastSeen(), f.oneSided(), f.blindSide(), ev,
              details, f.history(), f.direction(), f.remediation());
          save(kv.key, new Tracked(nf, t.lastClientSeenMs(), t.pairs(), t.clientKind(), t.serverKind(), wall()));
          return true;
        }
      }
    }
    return false;
  }

  private void upsert(String key, Half c, Half s, FailureCategory category, RejectedBy rb, Map<String, String> details,
      long n, boolean paired) {
    ServerInfo dir = serverInfo(key);
    String clientMesh = c != null ? c.meshId() : meshOfIdentity(s.peerIdentity());
    String clientIdentity = c != null ? c.selfIdentity() : s.peerIdentity() != null ? s.peerIdentity()
        : "unknown client";
    String serverMesh = s != null ? s.meshId() : dir != null ? dir.meshId : inventory.meshOfService(key);
    if (serverMesh == null) {
      serverMesh = "unknown";
    }
    if (clientMesh == null) {
      clientMesh = "unknown";
    }
    String serverIdentity = s != null && s.selfIdentity() != null && s.selfIdentity().startsWith("spiffe://")
        ? s.selfIdentity() : dir != null ? dir.identity : null;
    String clientKind = c != null ? c.meshKind() : inventory.kindOf(clientMesh);
    String serverKind = s != null ? s.meshKind() : dir != null ? dir.kind : inventory.kindOf(serverMesh);
    long t = c != null ? c.timeMs() : s.timeMs();

    // generic category: fold into a specific open finding of the same pair and direction, else use the inventory
    if (Observations.generic(category)) {
      Tracked specific = findSpecific(key, clientMesh, clientIdentity, category, rb, c);
      if (specific != null) {
        details.put("refined_by", "finding of the same pair");
        category = specific.finding().category();
        if (rb == RejectedBy.UNKNOWN) {
          rb = specific.finding().rejectedBy();
        }
      } else {
        category = refine(category, rb, clientMesh, clientIdentity, serverMesh, key, serverIdentity, t, details);
      }
    } else {
      describeCerts(category, rb, clientMesh, clientIdentity, serverMesh, key, serverIdentity, t, details);
    }
    details.put("client_mesh_kind", String.valueOf(clientKind));
    details.put("server_mesh_kind", String.valueOf(serverKind));
    details.put("client_template", Narrator.template(clientKind));
    details.put("server_template", Narrator.template(serverKind));

    if (rb == RejectedBy.UNKNOWN) {
      rb = defaultRejectedBy(category, c);
    }
    String id = Finding.idFor(clientMesh + "|" + clientIdentity, serverMesh + "|" + key, category);
    String sk = key + SEP + id;
    byte[] prev = findings.get(sk);
    Tracked old = prev == null ? null : read(prev, Tracked.class);
    if (rb == RejectedBy.UNKNOWN && old != null) {
      rb = old.finding().rejectedBy();
    }
    Instant at = Instant.ofEpochMilli(t);
    Finding f = old == null ? null : old.finding();
    List<Finding.StateChange> history = f == null ? new ArrayList<>() : new ArrayList<>(f.history());
    FindingState state = FindingState.OPEN;
    if (f == null) {
      history.add(new Finding.StateChange(at, FindingState.OPEN, paired ? "failure seen by both sides"
          : "failure seen by one side only"));
    } else if (f.state() == FindingState.RESOLVED) {
      Instant resolvedAt = history.isEmpty() ? f.lastSeen() : history.get(history.size() - 1).at();
      if (at.isAfter(resolvedAt)) {
        history.add(new Finding.StateChange(at, FindingState.OPEN, "failures again after resolution"));
      } else {
        state = FindingState.RESOLVED; // a late record from before the resolution
      }
    }
    long pairs = (old == null ? 0 : old.pairs()) + (paired ? n : 0);
    long count = (f == null ? 0 : f.count()) + n;
    Instant first = f == null || at.isBefore(f.firstSeen()) ? at : f.firstSeen();
    Instant last = f == null || at.isAfter(f.lastSeen()) ? at : f.lastSeen();
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
      merged.put("blind_side_status", blindStatus(key, blind, t));
    } else {
      merged.remove("blind_side_status");
    }
    // a success between the pair after the last failure resolves it at once (records arrive out of order)
    Long ok = lastSuccess(key, clientIdentity);
    if (state == FindingState.OPEN && ok != null && lastClient != Long.MIN_VALUE && ok > lastClient) {
      state = FindingState.RESOLVED;
      history.add(new Finding.StateChange(Instant.ofEpochMilli(ok), FindingState.RESOLVED,
          "successful mTLS between the pair seen again"));
      stats.findingsResolved.incrementAndGet();
    }
    Narrator.Facts facts = new Narrator.Facts(category, rb, clientMesh, clientKind, clientIdentity, serverMesh,
        serverKind, key, serverIdentity, merged);
    Finding nf = new Finding(SchemaVersion.CURRENT, id, category, clientMesh, clientIdentity, serverMesh, key,
        serverIdentity, rb, Narrator.direction(facts), first, last, count, state, oneSided, blind, evidence,
        Narrator.remediation(facts), merged, history);
    save(sk, new Tracked(nf, lastClient, pairs, clientKind, serverKind, wall()));
    if (metrics != null) {
      metrics.handshakeFailure(clientMesh, serverMesh, category, n);
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
        Half probe = c != null ? c : new Half("", clientMesh, null, true, 0, 0, generic, flip(rb), clientIdentity,
            null, null, null, null, false, false, List.of());
        RejectedBy serverView = flip(f.rejectedBy());
        if ((rb == RejectedBy.UNKNOWN || f.rejectedBy() == rb || f.rejectedBy() == RejectedBy.UNKNOWN)
            && compatible(probe, f.category(), serverView, null)) {
          return t;
        }
      }
    }
    return null;
  }

  /** Inventory refinement of CERT_REJECTED: which bundle lacks the issuer, which cert is out of date, else SAN. */
  private FailureCategory refine(FailureCategory category, RejectedBy rb, String clientMesh, String clientIdentity,
      String serverMesh, String service, String serverIdentity, long t, Map<String, String> details) {
    if (category != FailureCategory.CERT_REJECTED || rb == RejectedBy.UNKNOWN) {
      return category;
    }
    boolean self = rb == RejectedBy.SELF;
    String verifierMesh = self ? clientMesh : serverMesh;
    TrustBundle bundle = inventory.bundle(verifierMesh);
    CertificateInfo presented = self ? inventory.leaf(serverMesh, serverIdentity != null ? serverIdentity : service, t)
        : inventory.leaf(clientMesh, clientIdentity, t);
    if (bundle == null || presented == null) {
      details.put("refinement", "not possible: " + (bundle == null ? "no trust bundle of mesh " + verifierMesh : "")
          + (presented == null ? " no certificate inventory of the presenting side" : ""));
      return category;
    }
    if (Inventory.issuerIn(bundle, presented) == null) {
      details.put("refined_by", "certificate and trust bundle inventory");
      describeCerts(FailureCategory.UNTRUSTED_ROOT, rb, clientMesh, clientIdentity, serverMesh, service,
          serverIdentity, t, details);
      return FailureCategory.UNTRUSTED_ROOT;
    }
    if (presented.isExpiredAt(Instant.ofEpochMilli(t))) {
      details.put("refined_by", "certificate inventory (validity)");
      describeCerts(FailureCategory.CERT_EXPIRED, rb, clientMesh, clientIdentity, serverMesh, service,
          serverIdentity, t, details);
      return FailureCategory.CERT_EXPIRED;
    }
    details.put("refined_by", "inventory: the certificate chains to a trusted root and is valid, so the SAN matcher"
        + " rejected it");
    describeCerts(FailureCategory.SAN_MISMATCH, rb, clientMesh, clientIdentity, serverMesh, service, serverIdentity,
        t, details);
    return FailureCategory.SAN_MISMATCH;
  }

  /** Adds the certificates and bundles involved, per category. */
  private void describeCerts(FailureCategory category, RejectedBy rb, String clientMesh, String clientIdentity,
      String serverMesh, String service, String serverIdentity, long t, Map<String, String> details) {
    boolean self = rb != RejectedBy.PEER;
    String presenterMesh = self ? serverMesh : clientMesh;
    String verifierMesh = self ? clientMesh : serverMesh;
    CertificateInfo presented = self ? inventory.leaf(serverMesh, serverIdentity != null ? serverIdentity : service, t)
        : inventory.leaf(clientMesh, clientIdentity, t);
    switch (category) {
      case UNTRUSTED_ROOT -> {
        details.put("verifier_mesh", verifierMesh);
        TrustBundle vb = inventory.bundle(verifierMesh);
        if (vb != null) {
          List<String> subjects = new ArrayList<>();
          vb.roots().forEach(r -> subjects.add(r.subject()));
          details.put("verifier_bundle_roots", String.join("; ", subjects));
        }
        if (presented != null) {
          details.put("presented_certificate", presented.uriSans().isEmpty() ? presented.subject()
              : presented.uriSans().get(0));
          details.put("presented_issuer", String.valueOf(presented.issuer()));
          TrustBundle.Root root = inventory.findRoot(presented, presenterMesh);
          details.put("missing_root_subject", root != null ? root.subject() : String.valueOf(presented.issuer()));
          if (root != null) {
            details.put("missing_root_sha256", root.sha256Fingerprint());
          }
        }
      }
      case SAN_MISMATCH -> {
        if (self) {
          String presentedId = presented != null && !presented.uriSans().isEmpty() ? presented.uriSans().get(0)
              : serverIdentity;
          if (presentedId != null) {
            details.put("presented_spiffe_id", presentedId);
            SpiffeId p = SpiffeId.tryParse(presentedId);
            if (p != null) {
              details.put("presented_template", p.template().name().toLowerCase(java.util.Locale.ROOT));
            }
          }
          String ck = inventory.kindOf(clientMesh);
          SpiffeId p = SpiffeId.tryParse(presentedId);
          if (p != null && ck != null && p.workloadName() != null) {
            // what a client of that mesh kind configured with its own naming template expects
            details.putIfAbsent("expected_spiffe_id", "istio".equals(ck)
                ? SpiffeId.istio(p.trustDomain(), p.namespace() == null ? "default" : p.namespace(), p.workloadName()).uri()
                    + " (the " + ck + " template; inferred)"
                : SpiffeId.consul(p.trustDomain(), null, p.namespace() == null ? "default" : p.namespace(), "dc1",
                    p.workloadName()).uri() + " (the " + ck + " template; inferred)");
          }
        } else {
          details.put("presented_spiffe_id", clientIdentity);
        }
      }
      case CERT_EXPIRED -> {
        if (presented != null) {
          details.put("certificate_subject", presented.subject());
          if (!presented.uriSans().isEmpty()) {
            details.put("certificate_spiffe_id", presented.uriSans().get(0));
          }
          details.put("not_before", String.valueOf(presented.notBefore()));
          details.put("not_after", String.valueOf(presented.notAfter()));
          details.put("observed_at", Instant.ofEpochMilli(t).toString());
          Instant at = Instant.ofEpochMilli(t);
          details.put("expired_at_observation", Boolean.toString(presented.isExpiredAt(at)));
        }
      }
      default -> { }
    }
  }

  private String blindStatus(String key, String blindMesh, long t) {
    byte[] b = directory.get("seen" + SEP + key + SEP + blindMesh);
    if (b != null) {
      long seen = Long.parseLong(new String(b, java.nio.charset.StandardCharsets.UTF_8));
      if (seen > t - Duration.ofMinutes(10).toMillis()) {
        return "mesh " + blindMesh + " reports for " + key + " but showed no handshake failure: blind (listener access"
            + " logs and ssl.* stats off or not scraped), not healthy";
      }
    }
    return "mesh " + blindMesh + " is not reporting for " + key + " (no collector, or nothing published)";
  }

  private String meshOfIdentity(String identity) {
    SpiffeId id = SpiffeId.tryParse(identity);
    if (id == null) {
      return null;
    }
    String m = inventory.meshOfService(id.workloadName());
    return m;
  }

  // ------------------------------------------------------------------ directory, successes

  private record ServerInfo(String meshId, String kind, String identity) {}

  private void noteServer(String key, MeshEvent e, long t) {
    String id = e.localUriSan();
    SpiffeId sid = SpiffeId.tryParse(id);
    if (sid != null && !key.equalsIgnoreCase(sid.workloadName())) {
      id = null; // a gateway in front of the service: keep the service's own identity when known
    }
    String v = e.meshId() + SEP + (e.meshKind() == null ? "" : e.meshKind().wireName()) + SEP + (id == null ? "" : id)
        + SEP + t;
    byte[] old = directory.get("server" + SEP + key);
    if (old != null) {
      String[] p = new String(old, java.nio.charset.StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
      if (id == null && p.length >= 3 && !p[2].isEmpty() && p[0].equals(e.meshId())) {
        v = p[0] + SEP + p[1] + SEP + p[2] + SEP + t;
      }
    }
    directory.put("server" + SEP + key, v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private ServerInfo serverInfo(String key) {
    byte[] b = directory.get("server" + SEP + key);
    if (b == null) {
      return null;
    }
    String[] p = new String(b, java.nio.charset.StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
    return new ServerInfo(p[0], p[1].isEmpty() ? null : p[1], p.length > 2 && !p[2].isEmpty() ? p[2] : null);
  }

  private void noteSeen(String key, String meshId, long t) {
    directory.put("seen" + SEP + key + SEP + meshId, Long.toString(t).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Long lastSuccess(String key, String clientIdentity) {
    byte[] b = directory.get("ok" + SEP + key + SEP + clientIdentity);
    return b == null ? null : Long.parseLong(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  private void onSuccess(String key, MeshEvent e, long t) {
    stats.successes.incrementAndGet();
    String client = Observations.selfIdentity(e);
    Long prev = lastSuccess(key, client);
    if (prev == null || t > prev) {
      directory.put("ok" + SEP + key + SEP + client, Long.toString(t).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    ServerInfo dir = serverInfo(key);
    if (metrics != null) {
      metrics.handshakeSuccess(e.meshId(), dir != null ? dir.meshId : MeshlensMetrics.UNKNOWN_MESH, 1);
    }
    try (KeyValueIterator<String, byte[]> it = findings.prefixScan(key + SEP, STRINGS)) {
      List<KeyValue<String, Tracked>> toResolve = new ArrayList<>();
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        Tracked tr = read(kv.value, Tracked.class);
        Finding f = tr.finding();
        if (f.state() == FindingState.OPEN && f.clientIdentity().equals(client) && f.clientMesh().equals(e.meshId())
            && tr.lastClientSeenMs() < t) {
          toResolve.add(KeyValue.pair(kv.key, tr));
        }
      }
      for (KeyValue<String, Tracked> kv : toResolve) {
        resolve(kv.key, kv.value, Instant.ofEpochMilli(t), "successful mTLS between the pair seen again");
      }
    }
  }

  private void resolve(String storeKey, Tracked tr, Instant at, String reason) {
    Finding f = tr.finding();
    List<Finding.StateChange> history = new ArrayList<>(f.history());
    history.add(new Finding.StateChange(at, FindingState.RESOLVED, reason));
    Finding nf = copy(f, FindingState.RESOLVED, f.count(), f.firstSeen(), f.lastSeen(), f.oneSided(), f.blindSide(),
        f.evidenceIds(), f.details(), history, f.direction(), f.remediation());
    save(storeKey, new Tracked(nf, tr.lastClientSeenMs(), tr.pairs(), tr.clientKind(), tr.serverKind(), wall()));
    stats.findingsResolved.incrementAndGet();
  }

  private static Finding copy(Finding f, FindingState state, long count, Instant first, Instant last, boolean oneSided,
      String blind, List<String> evidence, Map<String, String> details, List<Finding.StateChange> history,
      String direction, String remediation) {
    return new Finding(f.schemaVersion(), f.id(), f.category(), f.clientMesh(), f.clientIdentity(), f.serverMesh(),
        f.serverService(), f.serverIdentity(), f.rejectedBy(), direction, first, last, count, state, oneSided, blind,
        evidence, remediation, details, history);
  }

  private void save(String storeKey, Tracked t) {
    findings.put(storeKey, write(t));
    stats.findingsUpdated.incrementAndGet();
    ctx.forward(new Record<>(t.finding().id(), EventCodec.get().encodeFinding(t.finding())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), t.finding().lastSeen().toEpochMilli()));
  }

  // ------------------------------------------------------------------ punctuation

  /** Stream-time sweep: halves whose window closed become one-sided; quiet findings resolve; old ones leave. */
  private void sweep(long streamTime) {
    long to = streamTime - horizonMs;
    if (to > sweptTo) {
      List<KeyValue<Windowed<String>, byte[]>> expired = new ArrayList<>();
      try (KeyValueIterator<Windowed<String>, byte[]> it = pending.fetchAll(Instant.ofEpochMilli(Math.max(0,
          sweptTo + 1)), Instant.ofEpochMilli(Math.max(0, to)))) {
        while (it.hasNext()) {
          expired.add(it.next());
        }
      }
      for (KeyValue<Windowed<String>, byte[]> kv : expired) {
        if (kv.value == null) {
          continue;
        }
        String k = kv.key.key();
        pending.put(k, null, kv.key.window().start());
        expire(k.substring(0, k.indexOf(SEP)), read(kv.value, Half.class));
      }
      sweptTo = to;
    }
    if (lastQuietSweep < 0 || streamTime - lastQuietSweep >= 10_000) {
      lastQuietSweep = streamTime;
      quietSweep(streamTime, false);
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
        String v = new String(kv.value, java.nio.charset.StandardCharsets.UTF_8);
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
