package dev.meshlens.events;

import dev.meshlens.events.mesh.MeshProfile;
import java.util.Locale;

/**
 * How many upstream connection attempts (so handshakes) one access-log line stands for. Envoy writes one line
 * per request however often its router retried; {@code URX} ("upstream retry limit exceeded") says every
 * retry of the route's policy was used. A mesh's default HTTP route policy retries on connect failure as often
 * as its profile says ({@link MeshProfile#defaultHttpConnectRetries}: Istio 2, Kuma 2.x 5), so a
 * {@code UF,URX} line of an Istio client is three failed handshakes. A TCP line is one connection
 * (tcp_proxy's {@code max_connect_attempts} defaults to 1), and so is a line without URX: the attempt that
 * failed last is the one it describes, earlier ones (if any) did not exhaust the policy.
 *
 * <p>A route with its own retry policy makes this count wrong: the line itself does not say (unless the
 * format adds {@code %UPSTREAM_REQUEST_ATTEMPT_COUNT%}).
 */
public final class Attempts {
    private Attempts() {}

    /** The failed connection attempts of a client's failure line: 1, or 1 + the mesh's default retries on URX. */
    public static int of(MeshEvent e) {
        if (e.meshKind() == null || !hasFlag(e.responseFlags(), "URX") || !isHttp(e.protocol())) {
            return 1;
        }
        return 1 + e.meshKind().profile().defaultHttpConnectRetries();
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
