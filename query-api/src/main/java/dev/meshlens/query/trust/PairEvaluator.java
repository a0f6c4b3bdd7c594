package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Does the verifier mesh's bundle hold the roots that sign the presenter mesh's chains, at the
 * snapshot's instant? Each chain is judged on its own (anchor held? anchor and intermediates
 * valid?), then the chains are summed up per anchor and per workload.
 */
final class PairEvaluator {
    private PairEvaluator() {}

    /** The verdict on one chain. */
    record ChainVerdict(Chain chain, CellState state, RootRef anchor, String matchedBy, String problem) {}

    static Verdict evaluate(Snapshot s, String verifierMesh, String presenterMesh) {
        return evaluate(s, verifierMesh, presenterMesh, s.universe());
    }

    static Verdict evaluate(Snapshot s, String verifierMesh, String presenterMesh, List<RootRef> universe) {
        MeshView v = s.mesh(verifierMesh);
        MeshView p = s.mesh(presenterMesh);
        List<RootRef> inter = intermediates(p);
        if (!v.bundleKnown()) {
            return new Verdict(
                    CellState.UNKNOWN,
                    "no trust bundle of mesh " + verifierMesh + " is known, so which roots it " + "trusts is unknown",
                    List.of(),
                    inter,
                    0,
                    0,
                    0);
        }
        if (p.chains().isEmpty()) {
            return new Verdict(
                    CellState.UNKNOWN,
                    "no certificate inventory (/certs) of mesh " + presenterMesh
                            + " is known, so which roots sign its workloads is unknown",
                    List.of(),
                    inter,
                    0,
                    0,
                    0);
        }
        Instant t = s.at();
        List<ChainVerdict> verdicts = new ArrayList<>();
        for (Chain c : p.chains()) {
            verdicts.add(judge(c, v.roots(), t, universe));
        }
        // sum up per anchor, counting workloads (a workload shows two chains while its certificate rotates)
        Map<String, List<ChainVerdict>> byAnchor = new LinkedHashMap<>();
        for (ChainVerdict cv : verdicts) {
            if (cv.state() != CellState.UNKNOWN) {
                byAnchor.computeIfAbsent(cv.anchor().identity(), k -> new ArrayList<>())
                        .add(cv);
            }
        }
        Set<String> trustedW = new LinkedHashSet<>();
        Set<String> untrustedW = new LinkedHashSet<>();
        Set<String> allW = new LinkedHashSet<>();
        List<AnchorUse> anchors = new ArrayList<>();
        for (List<ChainVerdict> group : byAnchor.values()) {
            Set<String> w = new LinkedHashSet<>();
            Set<String> ok = new LinkedHashSet<>();
            String problem = null;
            String by = null;
            for (ChainVerdict cv : group) {
                w.add(cv.chain().workload());
                if (cv.state() == CellState.TRUSTED) {
                    ok.add(cv.chain().workload());
                    by = cv.matchedBy();
                } else if (problem == null) {
                    problem = cv.problem();
                }
                if (cv.matchedBy() != null && by == null) {
                    by = cv.matchedBy();
                }
            }
            trustedW.addAll(ok);
            for (String x : w) {
                if (!ok.contains(x)) {
                    untrustedW.add(x);
                }
            }
            allW.addAll(w);
            RootRef root = group.get(0).anchor();
            anchors.add(new AnchorUse(
                    root,
                    by != null,
                    by,
                    w.size(),
                    ok.size(),
                    w.stream().limit(3).toList(),
                    problem,
                    s.holders(root)));
        }
        // a workload with one accepted chain still has a failing one until its old certificate is gone
        trustedW.removeAll(untrustedW);
        for (ChainVerdict cv : verdicts) {
            if (cv.state() == CellState.UNKNOWN) {
                allW.add(cv.chain().workload());
            }
        }
        int trusted = trustedW.size();
        int untrusted = untrustedW.size();
        CellState state;
        if (trusted == 0 && untrusted == 0) {
            state = CellState.UNKNOWN;
        } else if (untrusted == 0) {
            state = CellState.TRUSTED;
        } else if (trusted == 0) {
            state = CellState.NOT_TRUSTED;
        } else {
            state = CellState.PARTIAL;
        }
        String reason = Reasons.of(state, verifierMesh, presenterMesh, anchors, allW.size(), trusted, untrusted);
        return new Verdict(state, reason, anchors, inter, allW.size(), trusted, untrusted);
    }

    static ChainVerdict judge(Chain c, List<TrustBundle.Root> bundle, Instant t, List<RootRef> universe) {
        if (c.anchorUnknown()) {
            return new ChainVerdict(
                    c,
                    CellState.UNKNOWN,
                    null,
                    null,
                    "the inventory names no issuer or key identifier for " + c.workload());
        }
        RootRef anchor = Anchors.resolve(c.anchorRef(), universe);
        for (CertificateInfo i : c.intermediates()) {
            if (i.isExpiredAt(t)) {
                return new ChainVerdict(
                        c,
                        CellState.NOT_TRUSTED,
                        anchor,
                        null,
                        "intermediate " + label(i) + outside(i.notBefore(), i.notAfter(), t));
            }
        }
        Anchors.Match m = Anchors.match(c.anchorRef(), bundle);
        if (m.roots().isEmpty()) {
            String problem = m.sameNameOtherKey() != null
                    ? "the bundle holds a root named " + m.sameNameOtherKey().subject()
                            + " but with another key (key id "
                            + DistinguishedNames.hex(m.sameNameOtherKey().subjectKeyId()) + "; the chain needs "
                            + c.anchorRef().subjectKeyId() + ")"
                    : "the bundle lacks root " + anchor.label();
            return new ChainVerdict(c, CellState.NOT_TRUSTED, anchor, null, problem);
        }
        for (TrustBundle.Root r : m.roots()) {
            if (RootRef.of(r).validAt(t)) {
                return new ChainVerdict(c, CellState.TRUSTED, anchor, m.by(), null);
            }
        }
        TrustBundle.Root r = m.roots().get(0);
        return new ChainVerdict(
                c,
                CellState.NOT_TRUSTED,
                anchor,
                m.by(),
                "root " + RootRef.of(r).label() + outside(r.notBefore(), r.notAfter(), t));
    }

    private static String outside(Instant notBefore, Instant notAfter, Instant t) {
        if (notAfter != null && t.isAfter(notAfter)) {
            return " expired at " + notAfter;
        }
        return " is not valid before " + notBefore;
    }

    private static List<RootRef> intermediates(MeshView p) {
        List<RootRef> out = new ArrayList<>();
        for (Chain c : p.chains()) {
            for (CertificateInfo i : c.intermediates()) {
                RootRef r = RootRef.of(i);
                if (out.stream().noneMatch(x -> x.sameAs(r))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static String label(CertificateInfo c) {
        return RootRef.of(c).label();
    }
}
