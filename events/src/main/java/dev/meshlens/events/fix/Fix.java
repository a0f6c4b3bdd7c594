package dev.meshlens.events.fix;

import java.util.List;
import java.util.Objects;

/**
 * One way to fix a finding: the mesh (and team) that must apply it, why, the resources to apply,
 * and the steps that cannot be configuration (renewals, anything that needs a private key).
 *
 * @param mesh the mesh that applies it
 * @param meshKind that mesh's kind (wire name), or null when unknown
 * @param team the team that owns the mesh, or null when not known
 * @param why why this mesh must change, in one or two sentences
 * @param resources configuration to apply, in order
 * @param steps what to do that is not configuration, in order (may be empty)
 */
public record Fix(String mesh, String meshKind, String team, String why, List<Resource> resources, List<String> steps) {
    public Fix {
        Objects.requireNonNull(mesh, "mesh");
        Objects.requireNonNull(why, "why");
        resources = resources == null ? List.of() : List.copyOf(resources);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** True when the fix is only described (no resource can express it). */
    public boolean describedOnly() {
        return resources.isEmpty();
    }
}
