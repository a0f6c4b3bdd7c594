package dev.meshlens.query.trust;

import java.util.List;
import java.util.Objects;

/**
 * What is known about one mesh's trust: its trust-bundle versions over time and the certificate
 * chains its workloads present.
 *
 * @param meshId the mesh
 * @param meshKind istio, consul… (null when unknown)
 * @param trustDomain the mesh's own trust domain (null when unknown)
 * @param bundles bundle versions, oldest first
 * @param chains presented chains with their first and newest sightings
 */
public record MeshInventory(
        String meshId, String meshKind, String trustDomain, List<BundleVersion> bundles, List<Chain> chains) {
    public MeshInventory {
        Objects.requireNonNull(meshId, "meshId");
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        chains = chains == null ? List.of() : List.copyOf(chains);
    }
}
