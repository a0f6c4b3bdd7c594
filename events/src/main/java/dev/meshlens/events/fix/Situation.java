package dev.meshlens.events.fix;

import dev.meshlens.events.Finding;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A finding with the facts of both its meshes: what dialects fill resources from.
 *
 * @param finding the finding
 * @param client the client's mesh
 * @param server the server's mesh
 */
public record Situation(Finding finding, MeshFacts client, MeshFacts server) {
    public Situation {
        Objects.requireNonNull(finding, "finding");
        client = (client == null ? MeshFacts.unknown(finding.clientMesh()) : client)
                .withKind(finding.details().get("client_mesh_kind"));
        server = (server == null ? MeshFacts.unknown(finding.serverMesh()) : server)
                .withKind(finding.details().get("server_mesh_kind"));
    }

    /** The server's service name (the finding's normalised service, without a namespace suffix). */
    public String serverService() {
        String s = finding.serverService();
        if (s == null || s.isBlank()) {
            SpiffeId id = SpiffeId.tryParse(finding.serverIdentity());
            return id != null && id.workloadName() != null ? id.workloadName() : "unknown-service";
        }
        int dot = s.indexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    /** The server's namespace: from its identity, else {@code default}. */
    public String serverNamespace() {
        SpiffeId id = SpiffeId.tryParse(finding.serverIdentity());
        return id != null && id.namespace() != null ? id.namespace() : "default";
    }

    /** The client's SPIFFE ID, or null when the finding names the client by service only. */
    public SpiffeId clientId() {
        return SpiffeId.tryParse(finding.clientIdentity());
    }

    /** The client's workload name (service account or Consul service, else the identity as given). */
    public String clientWorkload() {
        SpiffeId id = clientId();
        if (id != null && id.workloadName() != null) {
            return id.workloadName();
        }
        String c = finding.clientIdentity();
        return c == null ? "unknown-client" : c;
    }

    /** The client's namespace: from its identity, else {@code default}. */
    public String clientNamespace() {
        SpiffeId id = clientId();
        return id != null && id.namespace() != null ? id.namespace() : "default";
    }

    /**
     * The host name the client's mesh uses for the server: Consul DNS for a Consul server, the
     * Kubernetes service name for an Istio server (what the simulator and the corpus call).
     */
    public String serverHost() {
        MeshProfile profile = server.kind() == null ? null : MeshProfiles.find(server.kind());
        return profile == null ? serverService() : profile.naming().hostName(serverService(), serverNamespace());
    }

    /**
     * A detail that must be a SPIFFE ID (it is written into resources), or the fallback: evidence is
     * text from another organisation's logs, so nothing but a well-formed ID is copied from it.
     */
    public String spiffeDetail(String key, String fallback) {
        SpiffeId id = SpiffeId.tryParse(finding.details().get(key));
        return id == null ? fallback : id.uri();
    }

    /** A detail that must be a host name (an SNI), or the fallback. */
    public String hostDetail(String key, String fallback) {
        String v = finding.details().get(key);
        return v != null && v.length() <= 253 && v.matches("[A-Za-z0-9._-]+") ? v : fallback;
    }

    /**
     * A finding detail for a sentence (a listener name, a date, a port), or the fallback: only short
     * values of plain characters, never one that looks like a token (a JWT, a long unbroken run).
     */
    public String detail(String key, String fallback) {
        String v = finding.details().get(key);
        if (v == null
                || v.isBlank()
                || v.length() > 100
                || !PLAIN.matcher(v).matches()
                || v.contains("eyJ")
                || LONG_RUN.matcher(v).find()) {
            return fallback;
        }
        return v;
    }

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@+ -]+");
    private static final Pattern LONG_RUN = Pattern.compile("[A-Za-z0-9+/]{33,}");

    /** A Kubernetes-safe name: lower case, [a-z0-9-], at most 63 characters. */
    static String k8sName(String... parts) {
        String s = String.join("-", parts)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-+", "-")
                .replaceAll("^-|-$", "");
        return s.length() > 63 ? s.substring(0, 63).replaceAll("-$", "") : s;
    }
}
