package dev.meshlens.correlator;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SpiffeId;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which mesh serves a join key (a destination service), as the correlator learns it from what the meshes
 * report, kept in the correlator's directory store under {@code server\0<key>}: mesh, kind, the service's own
 * identity when known, whether it was only inferred, and the time (last, so that the directory's purge reads
 * it).
 *
 * <p>A mesh <em>reports</em> a service when one of its Envoys accepted a connection for it: the service's own
 * sidecar (any server-side line, also the ones handing the connection to the app), a gateway that logged the
 * failure, or a Consul mesh gateway routing a peer's SNI to the service it exports. A client line can only
 * <em>infer</em> the server's mesh from how its cluster names the service (an Istio client calling a Kubernetes
 * service of its own mesh, see {@link dev.meshlens.events.MeshNames#namesOwnKubernetesService}); an inference
 * never replaces what a mesh reported.
 */
final class ServerDirectory {
    private static final char SEP = '\u0000';
    private static final String PREFIX = "server" + SEP;

    /**
     * @param meshId the serving mesh
     * @param kind its kind (wire name), or null
     * @param identity the service's own SPIFFE ID when a line of its own Envoy named it, or null
     * @param inferred true when no Envoy of that mesh reported the service: a client's naming said so
     */
    record ServerInfo(String meshId, String kind, String identity, boolean inferred) {}

    private final KeyValueStore<String, byte[]> store;

    ServerDirectory(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** An Envoy of {@code e}'s mesh accepted a connection for {@code key}. */
    void reported(String key, MeshEvent e, long t) {
        String id = e.localUriSan();
        SpiffeId sid = SpiffeId.tryParse(id);
        if (sid != null && !key.equalsIgnoreCase(sid.workloadName())) {
            id = null; // a gateway in front of the service: keep the service's own identity when known
        }
        ServerInfo old = get(key);
        if (id == null
                && old != null
                && !old.inferred()
                && old.identity() != null
                && old.meshId().equals(e.meshId())) {
            id = old.identity();
        }
        put(key, new ServerInfo(e.meshId(), kindOf(e), id, false), t);
    }

    /** A client of {@code e}'s mesh named {@code key} as a service of its own mesh. */
    void inferred(String key, MeshEvent e, long t) {
        ServerInfo old = get(key);
        if (old == null || old.inferred()) {
            put(key, new ServerInfo(e.meshId(), kindOf(e), null, true), t);
        }
    }

    /** What is known of the server of {@code key}, or null. */
    ServerInfo get(String key) {
        byte[] b = store.get(PREFIX + key);
        if (b == null) {
            return null;
        }
        // mesh, kind, identity[, "inferred"], time (entries written before inference existed have four fields)
        String[] p = new String(b, StandardCharsets.UTF_8).split(String.valueOf(SEP), -1);
        return new ServerInfo(
                p[0],
                p.length > 1 && !p[1].isEmpty() ? p[1] : null,
                p.length > 2 && !p[2].isEmpty() ? p[2] : null,
                p.length > 4 && "inferred".equals(p[3]));
    }

    private void put(String key, ServerInfo s, long t) {
        String v = s.meshId()
                + SEP
                + (s.kind() == null ? "" : s.kind())
                + SEP
                + (s.identity() == null ? "" : s.identity())
                + SEP
                + (s.inferred() ? "inferred" : "reported")
                + SEP
                + t;
        store.put(PREFIX + key, v.getBytes(StandardCharsets.UTF_8));
    }

    private static String kindOf(MeshEvent e) {
        return e.meshKind() == null ? null : e.meshKind().wireName();
    }
}
