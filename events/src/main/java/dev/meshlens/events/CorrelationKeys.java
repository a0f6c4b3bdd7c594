package dev.meshlens.events;

import dev.meshlens.events.mesh.MeshProfiles;
import java.util.Locale;

/**
 * Join keys both sides of a cross-mesh handshake can compute from what they log. The client's
 * Envoy knows the destination through its upstream cluster, the SNI it sent or the authority; the
 * server's Envoy through {@code %REQUESTED_SERVER_NAME%} or its own identity. Each spelling is
 * reduced to the bare service name by the mesh profiles, so {@code outbound|8080||backend.default.svc.cluster.local},
 * {@code outbound_.8080_._.backend.default.svc.cluster.local},
 * {@code backend.default.dc1.internal.<uuid>.consul}, {@code backend:8080} and
 * {@code spiffe://…/svc/backend} all give {@code backend}.
 */
public final class CorrelationKeys {
    private CorrelationKeys() {}

    /**
     * The normalised destination service of an observation, or null when the event does not name
     * one. For a client it is the server it called; for a server it is itself. A line whose Envoy handed the
     * connection to its own application ({@link MeshNames#toLocalApp}, e.g. Consul's {@code local_app}) is the
     * server's, whatever role its upstream failure suggests: its cluster names the app, not a service.
     */
    public static String destinationService(MeshEvent e) {
        if (e.observerRole() == ObserverRole.SERVER || MeshNames.toLocalApp(e)) {
            String s = serviceFromHost(e.requestedServerName());
            if (s == null && !MeshNames.isGateway(e)) {
                // the Envoy's own service; a gateway's own name is none of the services it fronts (its listener
                // counters go to the mesh-wide key, where the failures they repeat claim them)
                SpiffeId self = SpiffeId.tryParse(e.localUriSan());
                s = self == null ? null : self.workloadName();
            }
            if (s == null) {
                s = serviceFromHost(e.authority());
            }
            return s;
        }
        String s = serviceFromCluster(e.upstreamCluster());
        if (s == null) {
            s = serviceFromHost(e.requestedServerName());
        }
        if (s == null) {
            s = serviceFromHost(e.authority());
        }
        if (s == null) {
            SpiffeId peer = SpiffeId.tryParse(e.peerUriSan());
            s = peer == null ? null : peer.workloadName();
        }
        return s;
    }

    /** The Kafka message key / repartition key: the destination service, or the mesh id as a fallback. */
    public static String joinKey(MeshEvent e) {
        String s = destinationService(e);
        return s != null ? s : "mesh:" + e.meshId();
    }

    /**
     * Service name from an Envoy cluster name (Istio {@code outbound|port|subset|host}, Consul
     * {@code <service>.<ns>.<dc>.internal.<td>.consul}, Kuma {@code <service>_<ns>_svc_<port>}, or a host): the
     * mesh profiles read their own spellings ({@link MeshProfiles#serviceOfName}).
     */
    public static String serviceFromCluster(String cluster) {
        return MeshProfiles.serviceOfName(cluster);
    }

    /**
     * Service name from a host-like name: SNI, authority, DNS name, SPIFFE ID. Scheme, user info, port and path
     * go; each mesh profile reads its own spelling (Istio's {@code outbound_.port_.subset_.} SNI, Kuma's
     * {@code <service>{mesh=...}}); a plain DNS name gives its first label.
     */
    public static String serviceFromHost(String host) {
        if (host == null) {
            return null;
        }
        String h = host.trim();
        if (h.startsWith("spiffe://")) {
            SpiffeId id = SpiffeId.tryParse(h);
            return id == null || id.workloadName() == null
                    ? null
                    : id.workloadName().toLowerCase(Locale.ROOT);
        }
        return MeshProfiles.serviceOfName(h);
    }
}
