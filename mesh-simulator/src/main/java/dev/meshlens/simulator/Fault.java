package dev.meshlens.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Faults the generator injects on one cross-mesh edge (client Envoy in one mesh, server Envoy in
 * the other). Each is a configuration change; whether and how handshakes fail is then decided by
 * real verification in {@link Handshake}.
 */
public enum Fault {
    /** The client's mesh does not trust the server mesh's root (trust bundles not exchanged). */
    CLIENT_DISTRUSTS_SERVER_ROOT,
    /** The server's mesh does not trust the client mesh's root. */
    SERVER_DISTRUSTS_CLIENT_ROOT,
    /** The client expects the server's SPIFFE ID under its own mesh's naming template. */
    CLIENT_EXPECTS_WRONG_SAN,
    /** The server only accepts client identities of its own trust domain (SAN matcher on the listener). */
    SERVER_EXPECTS_WRONG_SAN,
    /** The server's workload certificate expired (rotation stuck). */
    SERVER_CERT_EXPIRED,
    /** The client's workload certificate expired. */
    CLIENT_CERT_EXPIRED,
    /** The server's new certificate starts in the future for the client's clock (CA clock skew). */
    SERVER_CERT_NOT_YET_VALID,
    /** The client does TLS without a client certificate (SIMPLE instead of mutual). */
    CLIENT_SENDS_NO_CERT,
    /** The client speaks plaintext to a STRICT mTLS server. */
    CLIENT_PLAINTEXT,
    /** The client speaks TLS to a plaintext server port. */
    SERVER_PLAINTEXT,
    /** The client offers at most TLS 1.2; the server requires TLS 1.3. */
    CLIENT_TLS_TOO_OLD,
    /** The client requires TLS 1.3; the server offers at most TLS 1.2. */
    SERVER_TLS_TOO_OLD,
    /** The gateway in front of the server has no SNI route for it (TLS passthrough). */
    GATEWAY_NO_ROUTE;

    /** Applies the fault to the edge; {@code now} is the true time. */
    public void apply(Envoy client, Envoy server, Envoy gateway, Instant now) {
        switch (this) {
            case CLIENT_DISTRUSTS_SERVER_ROOT -> client.mesh().distrust(server.mesh());
            case SERVER_DISTRUSTS_CLIENT_ROOT -> server.mesh().distrust(client.mesh());
            case CLIENT_EXPECTS_WRONG_SAN ->
                client.expectServerSan(server.service(), client.ownTemplateIdentityOf(server));
            case SERVER_EXPECTS_WRONG_SAN ->
                server.allowedClientSanPrefix("spiffe://" + server.mesh().trustDomain() + "/");
            case SERVER_CERT_EXPIRED -> server.reissue(now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(3)));
            case CLIENT_CERT_EXPIRED -> client.reissue(now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(3)));
            case SERVER_CERT_NOT_YET_VALID ->
                server.reissue(now.plus(Duration.ofSeconds(35)), now.plus(Duration.ofDays(1)));
            case CLIENT_SENDS_NO_CERT -> client.sendsClientCert(false);
            case CLIENT_PLAINTEXT -> client.tlsOrigination(false);
            case SERVER_PLAINTEXT -> server.tlsTermination(false);
            case CLIENT_TLS_TOO_OLD -> {
                client.tlsVersions("TLSv1.2", "TLSv1.2");
                server.tlsVersions("TLSv1.3", "TLSv1.3");
            }
            case SERVER_TLS_TOO_OLD -> {
                client.tlsVersions("TLSv1.3", "TLSv1.3");
                server.tlsVersions("TLSv1.2", "TLSv1.2");
            }
            case GATEWAY_NO_ROUTE -> gateway.routableServices(Set.of("__none__"));
        }
    }

    /** Reverts the fault (the operator's fix). */
    public void fix(Envoy client, Envoy server, Envoy gateway, Instant now) {
        switch (this) {
            case CLIENT_DISTRUSTS_SERVER_ROOT -> client.mesh().trust(server.mesh());
            case SERVER_DISTRUSTS_CLIENT_ROOT -> server.mesh().trust(client.mesh());
            case CLIENT_EXPECTS_WRONG_SAN -> client.clearExpectedSans();
            case SERVER_EXPECTS_WRONG_SAN -> server.allowedClientSanPrefix(null);
            case SERVER_CERT_EXPIRED, SERVER_CERT_NOT_YET_VALID ->
                server.reissue(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
            case CLIENT_CERT_EXPIRED -> client.reissue(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
            case CLIENT_SENDS_NO_CERT -> client.sendsClientCert(true);
            case CLIENT_PLAINTEXT -> client.tlsOrigination(true);
            case SERVER_PLAINTEXT -> server.tlsTermination(true);
            case CLIENT_TLS_TOO_OLD, SERVER_TLS_TOO_OLD -> {
                client.tlsVersions("TLSv1.2", "TLSv1.3");
                server.tlsVersions("TLSv1.2", "TLSv1.3");
            }
            case GATEWAY_NO_ROUTE -> gateway.routableServices(null);
        }
    }

    /** True when the client's half alone names the cause (so a fully blind server still gives the right finding). */
    public boolean clientHalfConclusive() {
        return switch (this) {
            case CLIENT_PLAINTEXT, SERVER_EXPECTS_WRONG_SAN, GATEWAY_NO_ROUTE -> false;
            default -> true;
        };
    }
}
