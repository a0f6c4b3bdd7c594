package dev.meshlens.events;

import java.util.Arrays;
import java.util.Locale;

/**
 * Stable names of TLS handshake failure causes. These names are a public contract: they appear in
 * events, findings, metrics, alert rules and the CLI's JSON output, so never rename one.
 *
 * <p>One name is not a handshake failure: {@link #TRUST_CONTRADICTION} is a finding the query API's
 * trust matrix raises; no log line, classifier or correlator ever produces it.
 */
public enum FailureCategory {
    /** The verifier's trust bundle lacks the root that signed the peer. */
    UNTRUSTED_ROOT,
    /** The presented SPIFFE ID is not the expected one (naming templates differ between meshes). */
    SAN_MISMATCH,
    /** A certificate or root is outside its validity period, or clocks are skewed. */
    CERT_EXPIRED,
    /** A certificate was rejected; this half of the handshake does not say why. */
    CERT_REJECTED,
    /** The server required a client certificate and none was sent (PERMISSIVE vs STRICT, outside the mesh). */
    CLIENT_CERT_MISSING,
    /** One side speaks plaintext, the other TLS. */
    PLAINTEXT_MISMATCH,
    /** TLS versions, ciphers or signature algorithms do not overlap. */
    PROTOCOL_MISMATCH,
    /** The peer reset the connection during the handshake (often an unroutable SNI at a gateway). */
    CONNECTION_RESET,
    /** The gateway or listener has no route or filter chain for the SNI or port. */
    NO_ROUTE,
    /** The proxy could not load its trust bundle or certificate at all. */
    TRUST_CONFIG_ERROR,
    /** The connection failed and no TLS cause was reported (TCP proxy paths). */
    UPSTREAM_CONNECT_FAILURE,
    /** Something failed that no rule recognised; kept raw and counted so new spellings surface. */
    UNKNOWN,
    /**
     * Not a handshake failure: the trust inventory and the traffic disagree about a mesh pair (the
     * matrix says the verifier trusts the presenter's roots while UNTRUSTED_ROOT findings say it
     * rejects them, or says it does not while mutual TLS succeeds). Raised by the trust matrix.
     */
    TRUST_CONTRADICTION;

    /** True for categories caused by certificate verification on one side. */
    public boolean isVerification() {
        return switch (this) {
            case UNTRUSTED_ROOT, SAN_MISMATCH, CERT_EXPIRED, CERT_REJECTED, CLIENT_CERT_MISSING -> true;
            default -> false;
        };
    }

    /** Parses a stable name, case-insensitively; null for null. */
    public static FailureCategory parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown failure category '" + name + "'; expected one of " + Arrays.toString(values()));
        }
    }
}
