package dev.meshlens.events.mesh;

/**
 * The words a finding's remediation uses for one mesh: which of its resources and fields fix what. The
 * correlator's narrator fills the sentence; the dialect names the mesh's own knobs. Placeholders:
 * {@code {service}} (the server's service), {@code {template}} (the other mesh's naming template).
 *
 * <p>The validated configuration generators of {@code dev.meshlens.events.fix} (one per mesh dialect) belong
 * beside these words: a profile that gets one hands it out from here.
 *
 * @param trustImport how a verifier of this mesh learns another mesh's root
 * @param expectPeerIdentity how a client of this mesh is told the identity a server of another mesh presents
 * @param acceptPeerIdentity how a server of this mesh is told to accept a client of another mesh
 * @param certRotator who renews this mesh's workload certificates
 * @param originateMtls how a client of this mesh originates mutual TLS to {@code {service}}
 * @param enableInboundMtls how a server of this mesh terminates mutual TLS on its inbound
 * @param enableTlsOrigination how a client of this mesh originates TLS at all
 * @param tlsVersions where this mesh sets TLS versions and cipher suites
 * @param gatewayRoute how this mesh's gateway routes the SNI of {@code {service}}
 * @param clientSni how a client of this mesh sends the SNI a remote gateway serves
 */
public record RemediationDialect(
        String trustImport,
        String expectPeerIdentity,
        String acceptPeerIdentity,
        String certRotator,
        String originateMtls,
        String enableInboundMtls,
        String enableTlsOrigination,
        String tlsVersions,
        String gatewayRoute,
        String clientSni) {

    /** The words for a mesh meshlens knows nothing specific about: plain Envoy terms. */
    public static final RemediationDialect ENVOY = new RemediationDialect(
            "add the root to the trust bundle the proxies verify against (validation_context trusted_ca)",
            "configure the expected SAN of the remote service (validation_context match_typed_subject_alt_names)",
            "widen the inbound SAN matcher / trust domain list of {service}",
            "the CA that issues the proxy's certificate",
            "configure the upstream TLS context of {service} with a client certificate",
            "a downstream TLS context requiring client certificates",
            "an upstream TLS context",
            "the TLS contexts' tls_params (tls_minimum_protocol_version, cipher_suites)",
            "a filter chain matching the SNI of {service} (server_names) in TLS passthrough",
            "the upstream TLS context's sni");

    /** Fills {@code {service}} and {@code {template}}. */
    public static String fill(String words, String service, String template) {
        return words.replace("{service}", service == null ? "the service" : service)
                .replace("{template}", template == null ? "its template" : template);
    }
}
