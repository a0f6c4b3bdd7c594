package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.List;

/**
 * One mesh at one instant: the roots its bundle holds then (null when no bundle was known yet) and
 * the chains its workloads presented then.
 *
 * @param meshId the mesh
 * @param roots trusted roots (union of the newest version of every bundle source), or null when unknown
 * @param chains chains in use (seen recently enough before the instant)
 * @param bundleSeen newest bundle observation at or before the instant, or null
 * @param certsSeen newest /certs observation at or before the instant, or null
 */
public record MeshView(
        String meshId, List<TrustBundle.Root> roots, List<Chain> chains, Instant bundleSeen, Instant certsSeen) {
    public MeshView {
        roots = roots == null ? null : List.copyOf(roots);
        chains = chains == null ? List.of() : List.copyOf(chains);
    }

    boolean bundleKnown() {
        return roots != null;
    }

    MeshView withRoots(List<TrustBundle.Root> r) {
        return new MeshView(meshId, r, chains, bundleSeen, certsSeen);
    }

    MeshView withChains(List<Chain> c) {
        return new MeshView(meshId, roots, c, bundleSeen, certsSeen);
    }
}
