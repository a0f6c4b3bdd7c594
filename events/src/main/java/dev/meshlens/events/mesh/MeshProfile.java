package dev.meshlens.events.mesh;

import java.util.List;
import java.util.Objects;

/**
 * Everything meshlens knows about one kind of service mesh, in one place: how it names workloads (SPIFFE
 * templates), the access-log formats it writes, how its Envoy cluster and SNI names spell a service, where
 * its Envoy admin answers and where its trust bundle comes from, and the words of its remediation. Nothing
 * outside {@code dev.meshlens.events.mesh} asks "is this Istio?": it asks the event's profile.
 *
 * @param name the wire name ({@code "mesh_kind"} of events, {@code mesh.kind} of the collector)
 * @param displayName how docs and findings name the mesh
 * @param identities its SPIFFE naming templates, the one it issues today first
 * @param presets its access-log presets, the default first
 * @param controlPlaneCommands {@code %COMMAND%} names its control plane replaces by literals before Envoy
 *     sees a format (Envoy never writes them; the collector reads them as opaque text)
 * @param naming how its cluster and SNI names spell a service
 * @param admin its Envoy admin endpoints
 * @param trustBundle where its roots come from
 * @param remediation the words of its fixes
 * @param defaultHttpConnectRetries the retries its default HTTP route policy makes on connect failure (an
 *     access-log line with {@code URX} stands for this many more handshakes)
 */
public record MeshProfile(
        String name,
        String displayName,
        List<NamingTemplate> identities,
        List<AccessLogPreset> presets,
        List<String> controlPlaneCommands,
        ServiceNaming naming,
        AdminEndpoints admin,
        TrustBundleSource trustBundle,
        RemediationDialect remediation,
        int defaultHttpConnectRetries) {

    public MeshProfile {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "mesh kind name '" + name + "' must be lower-case letters, digits and '-'");
        }
        displayName = displayName == null ? name : displayName;
        identities = List.copyOf(identities);
        presets = List.copyOf(presets);
        controlPlaneCommands = controlPlaneCommands == null ? List.of() : List.copyOf(controlPlaneCommands);
        naming = naming == null ? ServiceNaming.PLAIN : naming;
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(trustBundle, "trustBundle");
        remediation = remediation == null ? RemediationDialect.ENVOY : remediation;
        if (defaultHttpConnectRetries < 0) {
            throw new IllegalArgumentException("defaultHttpConnectRetries must not be negative");
        }
    }

    /** The naming template its workloads get today, or null for a mesh without one. */
    public NamingTemplate identity() {
        return identities.isEmpty() ? null : identities.get(0);
    }

    /** The documented form of its identities, e.g. {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}. */
    public String identityPattern() {
        NamingTemplate t = identity();
        return t == null ? "spiffe://<trust-domain>/<path>" : t.pattern();
    }

    /** The access-log preset its proxies write by default, or null. */
    public AccessLogPreset defaultPreset() {
        return presets.isEmpty() ? null : presets.get(0);
    }

    @Override
    public String toString() {
        return name;
    }
}
