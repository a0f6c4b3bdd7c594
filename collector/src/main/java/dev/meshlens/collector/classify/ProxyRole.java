package dev.meshlens.collector.classify;

import java.util.regex.Pattern;

/**
 * What a source knows about the Envoy that wrote a line: a sidecar or a gateway. Mesh default formats
 * do not say: Istio's inbound listener restores the original destination before it logs, so a
 * sidecar's {@code NR filter_chain_not_found} line and a gateway's look the same. The classifier needs it
 * to tell a plaintext client at a sidecar from a gateway without a route.
 */
public enum ProxyRole {
    SIDECAR,
    GATEWAY,
    UNKNOWN;

    /**
     * The role of the Envoy writing {@code path}: a gateway when {@code gatewayPath} is found in it, else a
     * sidecar; unknown without a pattern (only the line decides then).
     */
    public static ProxyRole fromPath(Pattern gatewayPath, String path) {
        if (gatewayPath == null || path == null) {
            return UNKNOWN;
        }
        return gatewayPath.matcher(path).find() ? GATEWAY : SIDECAR;
    }
}
