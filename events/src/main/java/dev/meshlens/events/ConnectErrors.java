package dev.meshlens.events;

import java.util.Locale;

/**
 * Envoy's transport failure reasons of a TCP connect that failed before any transport socket (TLS) ran.
 * envoyproxy/envoy {@code source/common/network/connection_impl.cc} sets
 * {@code "delayed connect error: " + errorDetails(error)} when the socket reports the connect's error
 * (errno: {@code 111} refused, {@code 113} no route to host...) and {@code "immediate connect error: ..."}
 * when {@code connect()} fails at once; the TLS handshake starts only once the socket is connected. So such a
 * failure is not a handshake failure, however the line's flags read ({@code UF}, {@code UF,URX}).
 */
public final class ConnectErrors {
    private ConnectErrors() {}

    /** True when {@code text} reports a socket connect error, in any spelling ({@code _} for spaces). */
    public static boolean isSocketConnectError(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        String norm = text.toLowerCase(Locale.ROOT).replace('_', ' ');
        return norm.contains("delayed connect error") || norm.contains("immediate connect error");
    }

    /** True when the event's failure is a socket connect error (its transport failure reason or details say so). */
    public static boolean isSocketConnectError(MeshEvent e) {
        return isSocketConnectError(e.upstreamTransportFailureReason())
                || isSocketConnectError(e.responseCodeDetails())
                || (e.tls() != null && isSocketConnectError(e.tls().rawText()));
    }
}
