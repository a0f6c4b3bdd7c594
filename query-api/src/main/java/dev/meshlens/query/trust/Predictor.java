package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gaps ahead, each found by judging a changed snapshot against the current one: an expiry (the
 * same snapshot judged just after the certificate's end), a rotation in progress (the mesh with
 * only its new-root chains left), a pending rotation (the mesh's chains re-issued by the new
 * root). A prediction is made only when some cell that verifies now would fail.
 */
final class Predictor {
    private Predictor() {}

    static List<Prediction> predict(
            TrustInventory inv, Snapshot snap, List<RootRef> universe, List<String> meshes, TrustSettings settings) {
        List<Prediction> out = new ArrayList<>();
        out.addAll(expiries(snap, universe, meshes, settings.horizon()));
        out.addAll(rotationsInProgress(snap, universe, meshes));
        out.addAll(rotationsPending(inv, snap, universe, meshes));
        out.sort(Comparator.comparing((Prediction p) -> p.at() == null ? Instant.MAX : p.at())
                .thenComparing(p -> p.kind().ordinal()));
        return out;
    }

    // ---- expiry ----

    private static List<Prediction> expiries(
            Snapshot snap, List<RootRef> universe, List<String> meshes, Duration horizon) {
        Instant now = snap.at();
        Instant until = now.plus(horizon);
        Map<String, RootRef> roots = new LinkedHashMap<>();
        Map<String, RootRef> inters = new LinkedHashMap<>();
        Map<String, String> interMesh = new LinkedHashMap<>();
        for (MeshView v : snap.meshes().values()) {
            if (v.roots() != null) {
                for (TrustBundle.Root r : v.roots()) {
                    RootRef rr = RootRef.of(r);
                    if (within(rr.notAfter(), now, until)) {
                        roots.putIfAbsent(rr.identity(), rr);
                    }
                }
            }
            for (Chain c : v.chains()) {
                for (CertificateInfo i : c.intermediates()) {
                    RootRef ir = RootRef.of(i);
                    if (within(ir.notAfter(), now, until)) {
                        inters.putIfAbsent(ir.identity(), ir);
                        interMesh.putIfAbsent(ir.identity(), v.meshId());
                    }
                }
            }
        }
        List<Prediction> out = new ArrayList<>();
        for (RootRef r : roots.values()) {
            List<Break> breaks = diffAt(snap, universe, meshes, r.notAfter());
            if (!breaks.isEmpty()) {
                String signs = signerOf(snap, universe, r);
                out.add(new Prediction(
                        Prediction.Kind.ROOT_EXPIRY,
                        r.notAfter(),
                        false,
                        signs,
                        r,
                        breaks,
                        "root " + r.label() + " expires at " + r.notAfter()
                                + (signs != null ? " and still signs the workloads of " + "mesh " + signs : "") + ": "
                                + pairs(breaks) + " fail then. Fix: rotate "
                                + (signs != null ? "mesh " + signs : "the signing mesh")
                                + " to a new root, and import the new root "
                                + "into " + verifiers(breaks) + " before the rotation"));
            }
        }
        for (RootRef i : inters.values()) {
            List<Break> breaks = diffAt(snap, universe, meshes, i.notAfter());
            if (!breaks.isEmpty()) {
                String m = interMesh.get(i.identity());
                out.add(new Prediction(
                        Prediction.Kind.INTERMEDIATE_EXPIRY,
                        i.notAfter(),
                        false,
                        m,
                        i,
                        breaks,
                        "intermediate " + i.label() + " of mesh " + m + " expires at " + i.notAfter() + ": "
                                + pairs(breaks) + " fail then. Fix: renew the intermediate of mesh " + m
                                + " (its CA) before then"));
            }
        }
        return out;
    }

    private static boolean within(Instant t, Instant now, Instant until) {
        return t != null && t.isAfter(now) && !t.isAfter(until);
    }

    /** The same snapshot judged just before and just after {@code t}. */
    private static List<Break> diffAt(Snapshot snap, List<RootRef> universe, List<String> meshes, Instant t) {
        return diff(snap.judgedAt(t.minusMillis(1)), snap.judgedAt(t.plusMillis(1)), universe, meshes, null);
    }

    // ---- rotation in progress: a mesh's workloads present two roots ----

    private static List<Prediction> rotationsInProgress(Snapshot snap, List<RootRef> universe, List<String> meshes) {
        List<Prediction> out = new ArrayList<>();
        for (MeshView m : snap.meshes().values()) {
            Map<String, List<Chain>> byAnchor = byAnchor(m.chains(), universe);
            if (byAnchor.size() < 2) {
                continue;
            }
            // the newest root is the one moved to: latest start of validity, else latest first sighting
            String newest = null;
            for (String k : byAnchor.keySet()) {
                if (newest == null || newer(byAnchor.get(k), byAnchor.get(newest), universe)) {
                    newest = k;
                }
            }
            List<Chain> onNew = byAnchor.get(newest);
            List<Chain> onOld = new ArrayList<>();
            String nk = newest;
            byAnchor.forEach((k, v) -> {
                if (!k.equals(nk)) {
                    onOld.addAll(v);
                }
            });
            Snapshot after = snap.with(m.meshId(), mv -> mv.withChains(onNew));
            List<Break> breaks = diff(snap, after, universe, meshes, m.meshId());
            if (breaks.isEmpty()) {
                continue;
            }
            RootRef newRoot = Anchors.resolve(onNew.get(0).anchorRef(), universe);
            RootRef oldRoot = Anchors.resolve(onOld.get(0).anchorRef(), universe);
            Instant by = null;
            for (Chain c : onOld) {
                Instant na = c.leaf().notAfter();
                if (na != null && (by == null || na.isAfter(by))) {
                    by = na;
                }
            }
            long nNew = onNew.stream().map(Chain::workload).distinct().count();
            long nAll = m.chains().stream().map(Chain::workload).distinct().count();
            out.add(new Prediction(
                    Prediction.Kind.ROTATION_IN_PROGRESS,
                    by,
                    false,
                    m.meshId(),
                    newRoot,
                    breaks,
                    "mesh " + m.meshId() + " is moving its workloads from root " + oldRoot.label() + " to root "
                            + newRoot.label() + " (" + nNew + " of " + nAll + " workloads already on the new root); "
                            + verifiers(breaks) + " lack" + (verifierCount(breaks) == 1 ? "s" : "")
                            + " the new root, so "
                            + pairs(breaks) + " fail fully once the last certificate on the old root is renewed"
                            + (by != null ? " (by " + by + ")" : "") + ". Fix: import root " + newRoot.label()
                            + " into "
                            + verifiers(breaks) + " now"));
        }
        return out;
    }

    private static boolean newer(List<Chain> a, List<Chain> b, List<RootRef> universe) {
        RootRef ra = Anchors.resolve(a.get(0).anchorRef(), universe);
        RootRef rb = Anchors.resolve(b.get(0).anchorRef(), universe);
        if (ra.notBefore() != null && rb.notBefore() != null && !ra.notBefore().equals(rb.notBefore())) {
            return ra.notBefore().isAfter(rb.notBefore());
        }
        Instant fa =
                a.stream().map(Chain::firstSeen).min(Comparator.naturalOrder()).orElseThrow();
        Instant fb =
                b.stream().map(Chain::firstSeen).min(Comparator.naturalOrder()).orElseThrow();
        return fa.isAfter(fb);
    }

    // ---- pending rotation: a new root is in a bundle and signs nothing yet ----

    private static List<Prediction> rotationsPending(
            TrustInventory inv, Snapshot snap, List<RootRef> universe, List<String> meshes) {
        List<Prediction> out = new ArrayList<>();
        Map<String, RootRef> unused = new LinkedHashMap<>();
        for (MeshView v : snap.meshes().values()) {
            if (v.roots() == null) {
                continue;
            }
            for (TrustBundle.Root r : v.roots()) {
                RootRef rr = RootRef.of(r);
                if (!signsAnything(snap, rr) && rr.validAt(snap.at())) {
                    unused.putIfAbsent(rr.identity(), rr);
                }
            }
        }
        for (RootRef r : unused.values()) {
            for (String owner : owners(inv, snap, r)) {
                MeshView m = snap.mesh(owner);
                Map<String, List<Chain>> current = byAnchor(m.chains(), universe);
                if (current.isEmpty() || !newerThanAll(inv, owner, r, current, universe)) {
                    continue;
                }
                Snapshot after = snap.with(
                        owner,
                        mv -> mv.withChains(
                                mv.chains().stream().map(c -> c.reissuedBy(r)).toList()));
                List<Break> breaks = diff(snap, after, universe, meshes, owner);
                if (breaks.isEmpty()) {
                    continue;
                }
                Instant deadline = null;
                RootRef signing = null;
                for (List<Chain> cs : current.values()) {
                    RootRef cur = Anchors.resolve(cs.get(0).anchorRef(), universe);
                    if (cur.notAfter() != null
                            && (deadline == null || cur.notAfter().isBefore(deadline))) {
                        deadline = cur.notAfter();
                        signing = cur;
                    }
                }
                out.add(new Prediction(
                        Prediction.Kind.ROTATION_PENDING,
                        deadline,
                        true,
                        owner,
                        r,
                        breaks,
                        "mesh " + owner + "'s bundle holds a new root " + r.label() + " that signs no workload yet; "
                                + verifiers(breaks) + " lack" + (verifierCount(breaks) == 1 ? "s" : "") + " it, so "
                                + pairs(breaks)
                                + " fail as soon as mesh " + owner + " signs with it"
                                + (signing != null
                                        ? " (at the latest when root " + signing.label() + " expires, " + deadline + ")"
                                        : "")
                                + ". Fix: import root " + r.label() + " into " + verifiers(breaks)
                                + " before the switch"));
            }
        }
        return out;
    }

    private static boolean signsAnything(Snapshot snap, RootRef r) {
        for (MeshView v : snap.meshes().values()) {
            for (Chain c : v.chains()) {
                if (!c.anchorUnknown() && Anchors.holds(r.asBundleRoot(), c.anchorRef())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whose new root it is: a rotation starts in the mesh's own bundle and reaches the peers later, so
     * the holders that had it first (all of them on a tie).
     */
    private static List<String> owners(TrustInventory inv, Snapshot snap, RootRef r) {
        Instant first = null;
        List<String> owners = new ArrayList<>();
        for (String m : snap.holders(r)) {
            Instant f = inv.firstHeld(m, r);
            if (f == null) {
                continue;
            }
            if (first == null || f.isBefore(first)) {
                first = f;
                owners.clear();
                owners.add(m);
            } else if (f.equals(first)) {
                owners.add(m);
            }
        }
        return owners;
    }

    /** A successor, not a retired root: valid from later than (or added to the bundle after) every current one. */
    private static boolean newerThanAll(
            TrustInventory inv, String owner, RootRef r, Map<String, List<Chain>> current, List<RootRef> universe) {
        for (List<Chain> cs : current.values()) {
            RootRef cur = Anchors.resolve(cs.get(0).anchorRef(), universe);
            if (r.notBefore() != null && cur.notBefore() != null) {
                if (!r.notBefore().isAfter(cur.notBefore())) {
                    return false;
                }
                continue;
            }
            Instant fr = inv.firstHeld(owner, r);
            Instant fc = inv.firstHeld(owner, cur);
            if (fr == null || fc == null || !fr.isAfter(fc)) {
                return false;
            }
        }
        return true;
    }

    // ---- shared ----

    static Map<String, List<Chain>> byAnchor(List<Chain> chains, List<RootRef> universe) {
        Map<String, List<Chain>> out = new LinkedHashMap<>();
        for (Chain c : chains) {
            if (!c.anchorUnknown()) {
                out.computeIfAbsent(Anchors.resolve(c.anchorRef(), universe).identity(), k -> new ArrayList<>())
                        .add(c);
            }
        }
        return out;
    }

    /**
     * Cells that verify in {@code before} and fail in {@code after}; only pairs with {@code presenter}
     * as the presenting mesh when given (the only mesh whose chains changed).
     */
    static List<Break> diff(
            Snapshot before, Snapshot after, List<RootRef> universe, List<String> meshes, String presenter) {
        return Diff.of(before, after, meshes, presenter).breaks();
    }

    /** The mesh whose workloads a root signs (the first such mesh), or null. */
    private static String signerOf(Snapshot snap, List<RootRef> universe, RootRef r) {
        for (MeshView v : snap.meshes().values()) {
            for (Chain c : v.chains()) {
                if (!c.anchorUnknown()
                        && Anchors.resolve(c.anchorRef(), universe).sameAs(r)) {
                    return v.meshId();
                }
            }
        }
        return null;
    }

    static String pairs(List<Break> breaks) {
        List<String> out = new ArrayList<>();
        for (Break b : breaks) {
            out.add(b.clientMesh() + " -> " + b.serverMesh() + " (" + b.verifierMesh() + " verifying "
                    + b.presenterMesh() + ")");
        }
        return String.join(", ", out);
    }

    static String verifiers(List<Break> breaks) {
        List<String> v =
                breaks.stream().map(Break::verifierMesh).distinct().sorted().toList();
        return (v.size() == 1 ? "mesh " : "meshes ") + String.join(", ", v);
    }

    private static long verifierCount(List<Break> breaks) {
        return breaks.stream().map(Break::verifierMesh).distinct().count();
    }
}
