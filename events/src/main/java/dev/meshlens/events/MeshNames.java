package dev.meshlens.events;

import dev.meshlens.events.mesh.MeshProfiles;
import dev.meshlens.events.mesh.ServiceNaming;
import java.util.Locale;

/**
 * What the meshes' own Envoy cluster and SNI names say about where a connection goes, read by the collector
 * (direction of a line) and the correlator (join key, which mesh serves a service). Each mesh profile knows its
 * own spellings ({@link dev.meshlens.events.mesh.ServiceNaming}); this class asks all of them.
 * {@link CorrelationKeys} reduces the same names to the bare service.
 */
public final class MeshNames {
    private MeshNames() {}

    /**
     * The direction of an access-log line from its upstream cluster: outbound when it names another service in
     * its mesh's cluster grammar (Istio's {@code outbound|port|subset|host}), inbound when it is the cluster of
     * the Envoy's own application (Istio's {@code inbound|port||}, Consul's {@code local_app}, Kuma's
     * {@code localhost:<port>}); null when the name does not tell.
     */
    public static Direction directionOf(String cluster) {
        ServiceNaming.Leg leg = MeshProfiles.legOf(cluster);
        if (leg == null) {
            return null;
        }
        return leg == ServiceNaming.Leg.OUTBOUND ? Direction.OUTBOUND : Direction.INBOUND;
    }

    /**
     * True when the line's Envoy handed the connection to its own application (its upstream cluster is the
     * inbound one): a line of the mesh's server side, whose upstream is the plaintext loopback connection to the
     * app, never a mesh handshake. The event's direction alone does not say it: a listener-level line of a
     * failed inbound handshake is inbound too, but reached no cluster.
     */
    public static boolean toLocalApp(MeshEvent e) {
        return directionOf(e.upstreamCluster()) == Direction.INBOUND;
    }

    /**
     * True when only the exporting mesh's gateway routes this SNI, to its own service (Consul's peered-service
     * SNI {@code <service>.<namespace>.<partition>.<peer>.external.<trust-domain>}).
     */
    public static boolean isPeeredServiceSni(String sni) {
        return MeshProfiles.routedOnlyByExporter(sni);
    }

    /**
     * True when a client's cluster names a service of the client's own mesh (Istio: a Kubernetes service host,
     * {@code outbound|<port>|<subset>|<name>.<namespace>.svc.<domain>}), so the server of a failed handshake to
     * it is a proxy of the same mesh.
     */
    public static boolean namesOwnKubernetesService(String cluster) {
        return MeshProfiles.namesOwnMeshService(cluster);
    }

    /**
     * True when the observing Envoy is a gateway: Consul's mesh gateway identity
     * ({@code spiffe://<td>/gateway/mesh/dc/<dc>}), or a workload or service account named as a gateway
     * (Istio's {@code istio-ingressgateway}/{@code istio-eastwestgateway}, Consul ingress/terminating/mesh
     * gateways). A gateway fronts many services: its own name is none of them.
     */
    public static boolean isGateway(MeshEvent e) {
        String id = e.localUriSan();
        if (id != null && id.toLowerCase(Locale.ROOT).contains("gateway")) {
            return true;
        }
        String w = e.attributes().get("workload");
        return w != null && w.toLowerCase(Locale.ROOT).contains("gateway");
    }
}
