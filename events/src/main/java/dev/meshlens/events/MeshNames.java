package dev.meshlens.events;

import java.util.Locale;

/**
 * What the meshes' own Envoy cluster and SNI names say about where a connection goes: one table for Istio's
 * and Consul's spellings, read by the collector (direction of a line) and the correlator (join key, which mesh
 * serves a service). {@link CorrelationKeys} reduces the same names to the bare service.
 */
public final class MeshNames {
  private MeshNames() {}

  /**
   * Consul's cluster for the application behind a sidecar's public listener: hashicorp/consul
   * {@code agent/xds/clusters.go} builds it as {@code makeAppCluster(cfgSnap, LocalAppClusterName, ...)}
   * ("the app cluster for the public listener"), {@code LocalAppClusterName = "local_app"}; its envoy
   * extensions read it as "the local Cluster, which receives inbound traffic to the local proxy".
   */
  public static final String CONSUL_LOCAL_APP = "local_app";

  /**
   * The direction of an access-log line from its upstream cluster: Istio's {@code outbound|port|subset|host}
   * and {@code inbound|port||} (also the {@code _}-separated spellings), Consul's {@code local_app} (inbound: the
   * sidecar hands a connection it accepted from the mesh to its own application); null when the name does
   * not tell (Consul upstreams are named after the service they call, gateways after what they forward to).
   */
  public static Direction directionOf(String cluster) {
    if (cluster == null) {
      return null;
    }
    if (cluster.startsWith("outbound|") || cluster.startsWith("outbound_")) {
      return Direction.OUTBOUND;
    }
    if (cluster.startsWith("inbound|") || cluster.startsWith("inbound_") || cluster.equals(CONSUL_LOCAL_APP)) {
      return Direction.INBOUND;
    }
    return null;
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
   * A Consul peered-service SNI, {@code <service>.<namespace>.<partition>.<peer>.external.<trust-domain>}
   * (hashicorp/consul {@code agent/connect/sni.go} {@code PeeredServiceSNI}; the trust domain is the exporting
   * peer's). Only the exporting cluster's mesh gateway routes such a name, to its own service.
   */
  public static boolean isPeeredServiceSni(String sni) {
    if (sni == null) {
      return false;
    }
    String[] labels = sni.toLowerCase(Locale.ROOT).split("\\.", -1);
    // service, namespace, partition, peer, "external", then the trust domain (<uuid>.consul: two labels)
    return labels.length >= 7 && labels[4].equals("external") && !labels[0].isEmpty()
        && labels[labels.length - 1].equals("consul");
  }

  /**
   * True when an Istio client's cluster names a Kubernetes service, {@code outbound|<port>|<subset>|<name>.<namespace>.svc.<domain>}:
   * a service of the caller's own mesh. Istio originates its mutual TLS (auto mTLS) only to endpoints that
   * carry {@code security.istio.io/tlsMode: istio}, the label its sidecar injector puts on the pods it
   * injects, so the server of a failed handshake to such a service is a sidecar of the same mesh. Services of
   * another mesh reach an Istio client through ServiceEntry hosts ({@code *.service.consul}, {@code *.consul}).
   */
  public static boolean namesOwnKubernetesService(String cluster) {
    if (cluster == null || !(cluster.startsWith("outbound|") || cluster.startsWith("outbound_."))) {
      return false;
    }
    String host;
    if (cluster.startsWith("outbound|")) {
      host = cluster.substring(cluster.lastIndexOf('|') + 1);
    } else {
      // outbound_.<port>_.<subset>_.<host>
      int i = cluster.indexOf("_.", cluster.indexOf("_.", "outbound_.".length()) + 2);
      host = i < 0 ? "" : cluster.substring(i + 2);
    }
    String[] labels = host.toLowerCase(Locale.ROOT).split("\\.", -1);
    return labels.length >= 4 && labels[2].equals("svc") && !labels[0].isEmpty() && !labels[1].isEmpty();
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
