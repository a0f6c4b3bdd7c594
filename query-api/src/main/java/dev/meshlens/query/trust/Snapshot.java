package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Every mesh at one instant ({@link TrustInventory#at}); what-if changes and predictions are
 * transformations of a snapshot.
 *
 * @param at the instant
 * @param meshes view per mesh id
 */
public record Snapshot(Instant at, Map<String, MeshView> meshes) {
    public Snapshot {
        meshes = Collections.unmodifiableMap(new LinkedHashMap<>(meshes));
    }

    MeshView mesh(String id) {
        MeshView v = meshes.get(id);
        return v != null ? v : new MeshView(id, null, List.of(), null, null);
    }

    Snapshot with(String meshId, UnaryOperator<MeshView> change) {
        Map<String, MeshView> m = new LinkedHashMap<>(meshes);
        m.put(meshId, change.apply(mesh(meshId)));
        return new Snapshot(at, m);
    }

    /** The same state judged at another instant (what expires by then has expired). */
    Snapshot judgedAt(Instant t) {
        return new Snapshot(t, meshes);
    }

    /** Every root known anywhere: in some bundle, or presented at the end of some chain. */
    List<RootRef> universe() {
        List<RootRef> out = new ArrayList<>();
        for (MeshView v : meshes.values()) {
            if (v.roots() != null) {
                for (TrustBundle.Root r : v.roots()) {
                    add(out, RootRef.of(r));
                }
            }
            for (Chain c : v.chains()) {
                if (c.presentedRoot() != null) {
                    add(out, RootRef.of(c.presentedRoot()));
                }
            }
        }
        return out;
    }

    private static void add(List<RootRef> out, RootRef r) {
        for (int i = 0; i < out.size(); i++) {
            RootRef o = out.get(i);
            if (o.sameAs(r)) {
                // keep the richest description of the same CA
                if (score(r) > score(o)) {
                    out.set(i, r);
                }
                return;
            }
        }
        out.add(r);
    }

    private static int score(RootRef r) {
        return (r.sha256() != null ? 4 : 0) + (r.subjectKeyId() != null ? 2 : 0) + (r.notAfter() != null ? 1 : 0);
    }

    /** Meshes whose bundle holds a root, sorted. */
    List<String> holders(RootRef root) {
        TreeSet<String> out = new TreeSet<>();
        for (MeshView v : meshes.values()) {
            if (v.roots() != null && v.roots().stream().anyMatch(r -> Anchors.holds(r, root))) {
                out.add(v.meshId());
            }
        }
        return List.copyOf(out);
    }
}
