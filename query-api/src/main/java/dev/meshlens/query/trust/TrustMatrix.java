package dev.meshlens.query.trust;

import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The trust matrix: for every ordered pair of meshes (client C, server S) and both verifications of
 * a mutual-TLS handshake, whether the verifier's bundle holds the roots that sign the presenter's
 * certificates, since when, confirmed or contradicted by traffic; plus the predicted gaps ahead.
 *
 * <p>{@link #compute} is a pure function of the inventory, the observed traffic and the instant.
 *
 * @param generatedAt the instant judged
 * @param horizon how far ahead the predictions look
 * @param meshes every mesh in the inventory or the traffic, sorted
 * @param cells two per ordered pair of distinct meshes
 * @param predictions gaps ahead, soonest first
 * @param contradictions cells the traffic contradicts
 */
public record TrustMatrix(
        Instant generatedAt,
        Duration horizon,
        List<String> meshes,
        List<Cell> cells,
        List<Prediction> predictions,
        List<Contradiction> contradictions) {

    public TrustMatrix {
        meshes = List.copyOf(meshes);
        cells = List.copyOf(cells);
        predictions = List.copyOf(predictions);
        contradictions = List.copyOf(contradictions);
    }

    public static TrustMatrix compute(TrustInventory inventory, Traffic traffic, Instant now, TrustSettings settings) {
        Snapshot snap = inventory.at(now, settings.staleAfter());
        List<RootRef> universe = snap.universe();
        List<String> meshes = meshes(inventory, traffic);
        Map<String, Verdict> verdicts = new HashMap<>();
        List<Cell> cells = new ArrayList<>();
        List<Contradiction> contradictions = new ArrayList<>();
        Map<String, Since> sinceMemo = new HashMap<>();
        for (String c : meshes) {
            for (String s : meshes) {
                if (c.equals(s)) {
                    continue;
                }
                for (Verification dir : Verification.values()) {
                    String v = dir.verifier(c, s);
                    String p = dir.presenter(c, s);
                    Verdict verdict = verdicts.computeIfAbsent(
                            v + '\u0000' + p, k -> PairEvaluator.evaluate(snap, v, p, universe));
                    Since since = sinceMemo.computeIfAbsent(
                            v + '\u0000' + p, k -> since(inventory, v, p, verdict.state(), now, settings));
                    // a state seen since the data began may be older: traffic before that point still counts
                    Instant from = since.startOfData() ? null : since.at();
                    Observed observed = observed(traffic, c, s, dir, from);
                    Confirmation conf = confirm(verdict.state(), observed, from);
                    if (conf == Confirmation.CONTRADICTED) {
                        contradictions.add(contradiction(c, s, dir, verdict, since.at(), observed));
                    }
                    MeshView vv = snap.mesh(v);
                    MeshView pv = snap.mesh(p);
                    cells.add(new Cell(
                            c,
                            s,
                            dir,
                            v,
                            p,
                            verdict.state(),
                            since.at(),
                            since.startOfData(),
                            verdict.reason(),
                            verdict.anchors(),
                            verdict.intermediates(),
                            verdict.workloads(),
                            observed,
                            conf,
                            vv.bundleSeen(),
                            pv.certsSeen()));
                }
            }
        }
        List<Prediction> predictions = Predictor.predict(inventory, snap, universe, meshes, settings);
        return new TrustMatrix(now, settings.horizon(), meshes, cells, predictions, contradictions);
    }

    private static List<String> meshes(TrustInventory inventory, Traffic traffic) {
        Set<String> all = new TreeSet<>(inventory.meshes().keySet());
        for (Traffic.PairSuccess p : traffic.successes()) {
            add(all, p.clientMesh());
            add(all, p.serverMesh());
        }
        for (Traffic.OpenFinding f : traffic.openFindings()) {
            add(all, f.clientMesh());
            add(all, f.serverMesh());
        }
        return List.copyOf(all);
    }

    private static void add(Set<String> s, String m) {
        if (m != null && !m.isBlank()) {
            s.add(m);
        }
    }

    record Since(Instant at, boolean startOfData) {}

    /**
     * Walks back over the instants where the verdict could have changed and stops at the first where
     * it was different just before. Reaching the start of the data means "at least since then".
     */
    static Since since(
            TrustInventory inventory, String v, String p, CellState current, Instant now, TrustSettings settings) {
        TrustInventory pair = new TrustInventory(only(inventory, v, p));
        Instant first = inventory.firstData(v, p);
        for (Instant cp : inventory.changePoints(v, p, now, settings.staleAfter())) {
            Snapshot before = pair.at(cp.minusMillis(1), settings.staleAfter());
            if (PairEvaluator.evaluate(before, v, p).state() != current) {
                return new Since(cp, cp.equals(first));
            }
        }
        return new Since(first, first != null);
    }

    private static Map<String, MeshInventory> only(TrustInventory inv, String a, String b) {
        Map<String, MeshInventory> m = new HashMap<>();
        if (inv.meshes().containsKey(a)) {
            m.put(a, inv.meshes().get(a));
        }
        if (inv.meshes().containsKey(b)) {
            m.put(b, inv.meshes().get(b));
        }
        return m;
    }

    static Observed observed(Traffic t, String client, String server, Verification dir, Instant since) {
        long n = 0;
        Instant last = null;
        for (Traffic.PairSuccess s : t.successes()) {
            if (client.equals(s.clientMesh()) && server.equals(s.serverMesh())) {
                n += s.count();
                last = last == null || (s.last() != null && s.last().isAfter(last)) ? s.last() : last;
            }
        }
        List<String> ids = new ArrayList<>();
        Instant lastFailure = null;
        for (Traffic.OpenFinding f : t.openFindings()) {
            if (client.equals(f.clientMesh())
                    && server.equals(f.serverMesh())
                    && FailureCategory.UNTRUSTED_ROOT.name().equals(f.category())
                    && sameDirection(f.rejectedBy(), dir)
                    && (since == null || f.lastSeen() == null || f.lastSeen().isAfter(since))) {
                ids.add(f.id());
                if (f.lastSeen() != null && (lastFailure == null || f.lastSeen().isAfter(lastFailure))) {
                    lastFailure = f.lastSeen();
                }
            }
        }
        return new Observed(n, last, ids, lastFailure);
    }

    /** A finding's rejected_by is from the client's point of view: peer = the server rejected the client. */
    private static boolean sameDirection(RejectedBy rb, Verification dir) {
        return rb == null
                || rb == RejectedBy.UNKNOWN
                || (rb == RejectedBy.PEER) == (dir == Verification.SERVER_VERIFIES_CLIENT);
    }

    static Confirmation confirm(CellState state, Observed o, Instant since) {
        boolean failing = !o.openFindings().isEmpty();
        Predicate<Instant> after = t -> t != null && (since == null || t.isAfter(since));
        boolean succeeded = o.successes() > 0 && after.test(o.lastSuccess());
        return switch (state) {
            case TRUSTED ->
                failing ? Confirmation.CONTRADICTED : succeeded ? Confirmation.CONFIRMED : Confirmation.NOT_OBSERVED;
            case PARTIAL -> failing || succeeded ? Confirmation.CONFIRMED : Confirmation.NOT_OBSERVED;
            case NOT_TRUSTED ->
                succeeded ? Confirmation.CONTRADICTED : failing ? Confirmation.CONFIRMED : Confirmation.NOT_OBSERVED;
            case UNKNOWN -> Confirmation.NOT_OBSERVED;
        };
    }

    private static Contradiction contradiction(
            String c, String s, Verification dir, Verdict v, Instant since, Observed o) {
        String verifier = dir.verifier(c, s);
        String presenter = dir.presenter(c, s);
        Contradiction.Kind kind;
        String text;
        if (v.state() == CellState.TRUSTED) {
            kind = Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING;
            text = "the inventory says mesh " + verifier + " trusts the roots of mesh " + presenter + " (since " + since
                    + "), yet " + o.openFindings().size()
                    + " open UNTRUSTED_ROOT finding(s) say it rejects them: the bundle "
                    + "the collector reads is not the one the proxies of " + verifier + " use (another source, not yet "
                    + "propagated), or the failing workloads present chains the /certs inventory has not seen";
        } else {
            kind = Contradiction.Kind.NOT_TRUSTED_BUT_SUCCEEDED;
            text = "the inventory says mesh " + verifier + " does not trust the roots of mesh " + presenter + " (since "
                    + since + "), yet " + o.successes() + " request(s) from " + c + " to " + s
                    + " succeeded after that: "
                    + "the trust-bundle inventory of " + verifier
                    + " is incomplete or stale, or that traffic is not mutual TLS";
        }
        String id = EventIds.of("trust-contradiction\u0000" + c + '\u0000' + s + '\u0000' + dir.wireName() + '\u0000'
                + kind.wireName());
        boolean failing = kind == Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING;
        return new Contradiction(
                id,
                kind,
                c,
                s,
                dir,
                since,
                o.openFindings(),
                failing ? o.lastFailure() : o.lastSuccess(),
                failing ? o.openFindings().size() : o.successes(),
                text);
    }

    /** The cells a predicate keeps (scoping); predictions keep only their visible breaks. */
    public TrustMatrix filter(Predicate<String> meshVisible) {
        List<Cell> cs = cells.stream()
                .filter(c -> meshVisible.test(c.clientMesh()) || meshVisible.test(c.serverMesh()))
                .toList();
        List<Prediction> ps = new ArrayList<>();
        for (Prediction p : predictions) {
            List<Break> bs = p.breaks().stream()
                    .filter(b -> meshVisible.test(b.clientMesh()) || meshVisible.test(b.serverMesh()))
                    .toList();
            if (!bs.isEmpty()) {
                ps.add(new Prediction(p.kind(), p.at(), p.atIsDeadline(), p.mesh(), p.root(), bs, p.description()));
            }
        }
        List<Contradiction> xs = contradictions.stream()
                .filter(x -> meshVisible.test(x.clientMesh()) || meshVisible.test(x.serverMesh()))
                .toList();
        Set<String> ms = new TreeSet<>();
        for (Cell c : cs) {
            ms.add(c.clientMesh());
            ms.add(c.serverMesh());
        }
        meshes.stream().filter(meshVisible).forEach(ms::add);
        return new TrustMatrix(generatedAt, horizon, List.copyOf(ms), cs, ps, xs);
    }
}
