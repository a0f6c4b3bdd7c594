package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.EnvoyProfile;
import dev.meshlens.events.mesh.IstioProfile;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kind of service mesh an event comes from: a handle onto its {@link MeshProfile} in the registry
 * ({@link MeshProfiles}), carried on the wire as its name ({@code "mesh_kind":"istio"}). What a kind means
 * (SPIFFE templates, log presets, names, remediation) is asked of {@link #profile()}, never of the handle.
 * One instance per kind, so {@code ==} and {@code equals} agree.
 */
public final class MeshKind {
    private static final Map<String, MeshKind> KINDS = new ConcurrentHashMap<>();

    /**
     * Handles of the kinds callers written before the registry name; a new kind needs no constant here
     * ({@link #of(String)}), and production code outside {@code dev.meshlens.events.mesh} compares against none
     * of them (MeshProfileBoundaryTest).
     */
    public static final MeshKind ISTIO = of(IstioProfile.NAME);

    public static final MeshKind CONSUL = of(ConsulProfile.NAME);
    public static final MeshKind OTHER = of(EnvoyProfile.NAME);

    private final String wireName;

    private MeshKind(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The kind of a registered profile.
     *
     * @throws IllegalArgumentException naming the known kinds when none is called {@code name}
     */
    public static MeshKind of(String name) {
        MeshProfile p = MeshProfiles.byName(name);
        return KINDS.computeIfAbsent(p.name(), MeshKind::new);
    }

    /** The kind of a profile. */
    public static MeshKind of(MeshProfile profile) {
        return of(profile.name());
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The kind a wire name stands for, or null for null.
     *
     * @throws IllegalArgumentException naming the known kinds
     */
    @JsonCreator
    public static MeshKind fromWire(String s) {
        return s == null ? null : of(s);
    }

    /** Everything meshlens knows about this kind. */
    public MeshProfile profile() {
        return MeshProfiles.byName(wireName);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeshKind k && k.wireName.equals(wireName);
    }

    @Override
    public int hashCode() {
        return wireName.hashCode();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
