package dev.meshlens.collector.cli;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;

/** Human sentences for a category seen from one side: what it means and what to do next. */
final class Explanations {
    private Explanations() {}

    static String meaning(FailureCategory c, RejectedBy by, ObserverRole role) {
        String self = role == ObserverRole.CLIENT
                ? "this Envoy (the TLS client)"
                : role == ObserverRole.SERVER ? "this Envoy (the TLS server)" : "this Envoy";
        String peer = role == ObserverRole.CLIENT
                ? "the server it called"
                : role == ObserverRole.SERVER ? "the client that connected" : "the peer";
        String rejecter = by == RejectedBy.PEER ? peer : by == RejectedBy.SELF ? self : "one side";
        String rejected = by == RejectedBy.PEER
                ? "the certificate of " + self
                : by == RejectedBy.SELF ? "the certificate of " + peer : "a certificate";
        return switch (c) {
            case UNTRUSTED_ROOT ->
                rejecter + " does not trust the root CA that signed " + rejected + ": its trust bundle lacks that root";
            case SAN_MISMATCH ->
                rejecter + " rejected " + rejected
                        + " because its SPIFFE ID/SAN is not the expected one (naming templates differ between meshes?)";
            case CERT_EXPIRED ->
                rejecter + " rejected " + rejected + " as expired or not yet valid (or the clocks are skewed)";
            case CERT_REJECTED -> rejecter + " rejected " + rejected + "; this half does not say why";
            case CLIENT_CERT_MISSING ->
                "the server required a client certificate and the client sent none"
                        + " (client outside the mesh, or PERMISSIVE vs STRICT mTLS)";
            case PLAINTEXT_MISMATCH -> "one side speaks plaintext and the other TLS";
            case PROTOCOL_MISMATCH ->
                "the TLS versions, ciphers or signature algorithms of the two sides do not overlap";
            case CONNECTION_RESET ->
                "the connection was reset during the handshake (often a gateway dropping an SNI"
                        + " it cannot route, or a version skew)";
            case NO_ROUTE -> "the listener or gateway has no route or filter chain for this SNI/port";
            case TRUST_CONFIG_ERROR -> "the proxy could not load its own certificate or trust bundle";
            case UPSTREAM_CONNECT_FAILURE -> "the upstream connection failed and no TLS cause was reported";
            case UNKNOWN -> "a failure no rule recognises (kept raw and counted)";
            case TRUST_CONTRADICTION ->
                "the trust inventory and the traffic disagree (raised by the trust matrix, never by a log line)";
        };
    }

    static String nextStep(FailureCategory c, RejectedBy by, ObserverRole role) {
        String rejecter =
                by == RejectedBy.PEER ? "the peer's mesh" : by == RejectedBy.SELF ? "this mesh" : "the verifying mesh";
        return switch (c) {
            case UNTRUSTED_ROOT ->
                "import the other mesh's root CA into the trust bundle of " + rejecter
                        + " (Istio: root cert / meshConfig caCertificates; Consul: CA roots / peering)";
            case SAN_MISMATCH ->
                "align the expected SAN with the presented SPIFFE ID (Istio DestinationRule subjectAltNames,"
                        + " Consul intentions/peering identity)";
            case CERT_EXPIRED -> "check not-after of the leaf and root (`/certs`), rotate, and check NTP on both sides";
            case CERT_REJECTED -> "look at the other side's logs or ssl.* counters and at `/certs` to find the cause";
            case CLIENT_CERT_MISSING ->
                "make the client do mTLS (sidecar injection, DestinationRule ISTIO_MUTUAL) or"
                        + " allow PERMISSIVE on the server";
            case PLAINTEXT_MISMATCH ->
                "make both sides agree: TLS origination vs plaintext port (DestinationRule tls mode,"
                        + " PeerAuthentication, port naming)";
            case PROTOCOL_MISMATCH -> "align minimum/maximum TLS versions and cipher suites on both proxies";
            case CONNECTION_RESET -> "check the gateway's SNI routes/filter chains and its logs for this SNI";
            case NO_ROUTE ->
                "add the SNI/host to the gateway or listener (Istio Gateway/VirtualService, Consul"
                        + " terminating/mesh gateway config)";
            case TRUST_CONFIG_ERROR -> "check SDS / the mounted certificate and CA files of this proxy";
            case UPSTREAM_CONNECT_FAILURE ->
                "check that the upstream is reachable; turn on transport failure reasons"
                        + " (%UPSTREAM_TRANSPORT_FAILURE_REASON%) to see a TLS cause";
            case UNKNOWN -> "report the raw text so a rule can be added";
            case TRUST_CONTRADICTION ->
                "compare the roots the verifying proxies load (Envoy admin /certs) with the trust bundle meshlens reads";
        };
    }
}
