package dev.meshlens.events.fix;

import dev.meshlens.events.TrustBundle;
import java.util.List;
import java.util.Objects;

/**
 * What a fix needs to know about one mesh, from the inventory.
 *
 * @param meshId the mesh
 * @param kind its kind's wire name ({@code istio}, {@code consul}, ...), or null when unknown
 * @param trustDomain its trust domain, or null
 * @param team the team that owns it, or null
 * @param signingRoots the public roots that sign its workloads (PEM where the inventory has it)
 */
public record MeshFacts(
        String meshId, String kind, String trustDomain, String team, List<TrustBundle.Root> signingRoots) {
    public MeshFacts {
        Objects.requireNonNull(meshId, "meshId");
        signingRoots = signingRoots == null ? List.of() : List.copyOf(signingRoots);
    }

    /** Only the id is known (a mesh the inventory has never seen). */
    public static MeshFacts unknown(String meshId) {
        return new MeshFacts(meshId, null, null, null, List.of());
    }

    MeshFacts withKind(String k) {
        return kind != null || k == null ? this : new MeshFacts(meshId, k, trustDomain, team, signingRoots);
    }
}
