package dev.meshlens.events;

import java.util.Locale;

/**
 * Join keys both sides of a cross-mesh handshake can compute from what they log. The client's
 * Envoy knows the destination through its upstream cluster, the SNI it sent or the authority; the
 * server's Envoy through {@code %REQUESTED_SERVER_NAME%} or its own identity. Each spelling is
 * reduced to the bare service name, so {@code outbound|8080||backend.default.svc.cluster.local},
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

  /** Service name from an Envoy cluster name (Istio {@code outbound|port|subset|host} or a host). */
  public static String serviceFromCluster(String cluster) {
    if (cluster == null || cluster.isEmpty() || "-".equals(cluster)) {
      return null;
    }
    if (cluster.indexOf('|') >= 0) {
      String[] parts = cluster.split("\\|", -1);
      String host = parts[parts.length - 1];
      return host.isEmpty() ? null : serviceFromHost(host);
    }
    return serviceFromHost(cluster);
  }

  /**
   * Service name from a host-like name: SNI, authority, DNS name. Strips scheme, user info, port,
   * Istio's {@code outbound_.port_.subset_.} SNI prefix and everything after the first label.
   */
  public static String serviceFromHost(String host) {
    if (host == null) {
      return null;
    }
    String h = host.trim();
    if (h.isEmpty() || "-".equals(h)) {
      return null;
    }
    if (h.startsWith("spiffe://")) {
      SpiffeId id = SpiffeId.tryParse(h);
      return id == null ? null : lower(id.workloadName());
    }
    int scheme = h.indexOf("://");
    if (scheme >= 0) {
      h = h.substring(scheme + 3);
    }
    int at = h.lastIndexOf('@');
    if (at >= 0) {
      h = h.substring(at + 1);
    }
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    if (h.startsWith("outbound_.")) {
      // Istio SNI: outbound_.<port>_.<subset>_.<host>
      int idx = h.indexOf("_.", h.indexOf("_.", "outbound_.".length()) + 2);
      h = idx >= 0 ? h.substring(idx + 2) : h;
    }
    if (h.startsWith("[")) {
      return null; // IPv6 literal: no service name
    }
    int colon = h.indexOf(':');
    if (colon >= 0) {
      h = h.substring(0, colon);
    }
    if (h.isEmpty() || isIpv4(h)) {
      return null;
    }
    int dot = h.indexOf('.');
    String first = dot >= 0 ? h.substring(0, dot) : h;
    return first.isEmpty() ? null : lower(first);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static boolean isIpv4(String h) {
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
