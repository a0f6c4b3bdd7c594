package dev.meshlens.query.auth;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What one bearer token may read: every mesh ({@code admin}) or a set of meshes. A finding is
 * visible when its client or server mesh is granted; an event when its mesh is granted.
 */
public record Scope(String tokenName, boolean admin, Set<String> meshes) {
    public Scope {
        Objects.requireNonNull(tokenName, "tokenName");
        meshes = Set.copyOf(meshes);
    }

    public static Scope admin(String name) {
        return new Scope(name, true, Set.of());
    }

    public static Scope meshes(String name, Set<String> meshes) {
        return new Scope(name, false, meshes);
    }

    public boolean canSee(String mesh) {
        return admin || (mesh != null && meshes.contains(mesh));
    }

    public boolean canSeeAny(Collection<String> ms) {
        if (admin) {
            return true;
        }
        for (String m : ms) {
            if (meshes.contains(m)) {
                return true;
            }
        }
        return false;
    }
}
