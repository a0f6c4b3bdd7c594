package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.fix.MeshFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What fixes need from the trust inventory, per mesh: kind, trust domain, owning team and the public
 * roots that sign its workloads (with their PEM when the collector published it).
 */
public final class FixFacts {
    private FixFacts() {}

    /**
     * Facts of every mesh at {@code now}.
     *
     * @param teamOf the team owning a mesh (null when none is known)
     */
    public static Map<String, MeshFacts> of(
            TrustInventory inv, Instant now, Duration staleAfter, Function<String, String> teamOf) {
        Snapshot s = inv.at(now, staleAfter);
        Map<String, List<TrustBundle.Root>> signing = new LinkedHashMap<>();
        for (MeshView v : s.meshes().values()) {
            signing.put(v.meshId(), anchored(v));
        }
        Map<String, MeshFacts> out = new LinkedHashMap<>();
        for (MeshInventory m : inv.meshes().values()) {
            MeshView v = s.meshes().get(m.meshId());
            List<TrustBundle.Root> roots = signing.getOrDefault(m.meshId(), List.of());
            if (roots.isEmpty() && v != null && v.roots() != null) {
                // no chain tells which root signs this mesh: its bundle's roots that sign no other mesh
                roots = v.roots().stream()
                        .filter(r -> signing.entrySet().stream()
                                .filter(e -> !e.getKey().equals(m.meshId()))
                                .noneMatch(e -> e.getValue().stream()
                                        .anyMatch(o -> RootRef.of(o).sameAs(RootRef.of(r)))))
                        .toList();
            }
            out.put(
                    m.meshId(),
                    new MeshFacts(m.meshId(), m.meshKind(), m.trustDomain(), teamOf.apply(m.meshId()), roots));
        }
        return out;
    }

    /** The bundle roots the mesh's presented chains end at (their PEM comes from the bundle). */
    private static List<TrustBundle.Root> anchored(MeshView v) {
        List<TrustBundle.Root> out = new ArrayList<>();
        if (v.roots() == null) {
            return out;
        }
        for (TrustBundle.Root r : v.roots()) {
            RootRef ref = RootRef.of(r);
            if (v.chains().stream().anyMatch(c -> !c.anchorUnknown() && Anchors.holds(r, c.anchorRef()))
                    && out.stream().noneMatch(o -> RootRef.of(o).sameAs(ref))) {
                out.add(r);
            }
        }
        return out;
    }
}
