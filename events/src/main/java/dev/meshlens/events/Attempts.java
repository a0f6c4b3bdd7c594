package dev.meshlens.events;

import java.util.Locale;

/**
 * How many upstream connection attempts (so handshakes) one access-log line stands for. Envoy writes one line
 * per request however often its router retried; {@code URX} ("upstream retry limit exceeded") says every
 * retry of the route's policy was used. Istio gives every HTTP route a default policy unless a VirtualService
 * sets its own: two retries on connect-failure (istio/istio {@code pilot/pkg/networking/core/route/retry}:
 * {@code NumRetries: 2}, {@code RetryOn: "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"}),
 * so a {@code UF,URX} line of an Istio client is three failed handshakes. A TCP line is one connection
 * (tcp_proxy's {@code max_connect_attempts} defaults to 1), and so is a line without URX: the attempt that
 * failed last is the one it describes, earlier ones (if any) did not exhaust the policy.
 *
 * <p>A VirtualService with other {@code retries.attempts} makes this count wrong for its routes: the
 * line itself does not say (unless the format adds {@code %UPSTREAM_REQUEST_ATTEMPT_COUNT%}).
 */
public final class Attempts {
  /** Retries of Istio's default HTTP retry policy. */
  static final int ISTIO_DEFAULT_RETRIES = 2;

  private Attempts() {}

  /** The failed connection attempts of a client's failure line: 1, or 1 + the mesh's default retries on URX. */
  public static int of(MeshEvent e) {
    if (e.meshKind() != MeshKind.ISTIO || !hasFlag(e.responseFlags(), "URX") || !isHttp(e.protocol())) {
      return 1;
    }
    return 1 + ISTIO_DEFAULT_RETRIES;
  }

  private static boolean hasFlag(String flags, String flag) {
    if (flags == null) {
      return false;
    }
    for (String f : flags.split(",")) {
      if (f.trim().equals(flag)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHttp(String protocol) {
    return protocol != null && protocol.toUpperCase(Locale.ROOT).startsWith("HTTP");
  }
}
