package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.mesh.EnvoyProfile;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import dev.meshlens.events.mesh.RemediationDialect;
import java.util.Map;

/**
 * Puts a finding into words: the direction ("which mesh does not trust which root / expected
 * which identity") and a remediation an on-call engineer can act on, per category and side.
 */
final class Narrator {
    private Narrator() {}

    /** Everything known about one finding, for the words. */
    record Facts(
            FailureCategory category,
            RejectedBy rejectedBy,
            String clientMesh,
            String clientKind,
            String clientIdentity,
            String serverMesh,
            String serverKind,
            String serverService,
            String serverIdentity,
            Map<String, String> details) {}

    /**
     * The profile of a mesh kind's wire name; plain Envoy's (generic words) when the kind is unknown or not
     * reported, never another mesh's.
     */
    static MeshProfile profile(String kind) {
        MeshProfile p = MeshProfiles.find(kind);
        return p != null ? p : EnvoyProfile.PROFILE;
    }

    /** The naming template of a kind, e.g. {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}. */
    static String template(String kind) {
        return profile(kind).identityPattern();
    }

    private static RemediationDialect dialect(String kind) {
        return profile(kind).remediation();
    }

    private static String server(Facts f) {
        String id = f.serverIdentity() != null ? " (" + f.serverIdentity() + ")" : "";
        return "service " + f.serverService() + id + " in mesh " + f.serverMesh();
    }

    private static String client(Facts f) {
        return f.clientIdentity() + " in mesh " + f.clientMesh();
    }

    private static String d(Facts f, String key, String fallback) {
        String v = f.details().get(key);
        return v == null ? fallback : v;
    }

    /** The direction sentence, followed by the evidence that decided the category. */
    static String direction(Facts f) {
        String decided = f.details().get("decided_by");
        String sentence = "true".equals(f.details().get("counter_only")) ? counterOnly(f) : sentence(f);
        return decided == null ? sentence : sentence + " (decided by " + decided + ")";
    }

    /** A finding only ssl.* counters show: what moved where, and that the client is unknown. */
    private static String counterOnly(Facts f) {
        String envoy = f.details().get("envoy");
        String place = d(f, "place", "an Envoy");
        return place + " of mesh " + f.serverMesh() + (envoy != null ? " (Envoy " + envoy + ")" : "")
                + " counted failed inbound handshakes ("
                + d(f, "counter", f.category().name()) + ": "
                + counterMeaning(f.category())
                + ") that no access-log line of either mesh explains; the client is unknown";
    }

    private static String counterMeaning(dev.meshlens.events.FailureCategory c) {
        return switch (c) {
            case SAN_MISMATCH -> "its SAN matcher rejected a client identity";
            case CLIENT_CERT_MISSING -> "a client sent no certificate";
            case CERT_REJECTED -> "it rejected a client certificate's chain or validity";
            default -> "the handshake failed, cause not counted";
        };
    }

    /** "in the istio naming template", or words that do not pretend to know the kind. */
    private static String kindTemplate(String kind) {
        return kind != null ? "in the " + kind + " naming template" : "under its own mesh's naming template";
    }

    private static String sentence(Facts f) {
        boolean self = f.rejectedBy() == RejectedBy.SELF;
        return switch (f.category()) {
            case UNTRUSTED_ROOT ->
                self
                        ? "mesh " + f.clientMesh() + " does not trust the root that signs " + signer(f, true) + ": "
                                + f.clientIdentity() + " rejected the server's certificate"
                        : "mesh " + f.serverMesh() + " does not trust the root that signs " + signer(f, false) + ": "
                                + f.serverService() + " rejected the client's certificate";
            case SAN_MISMATCH ->
                self
                        ? f.clientIdentity() + " (mesh " + f.clientMesh() + ") expected server identity "
                                + d(f, "expected_spiffe_id", kindTemplate(f.clientKind())) + " but " + server(f)
                                + " presented "
                                + d(f, "presented_spiffe_id", "an identity " + kindTemplate(f.serverKind()))
                        : server(f) + " does not accept the client identity " + f.clientIdentity() + " of mesh "
                                + f.clientMesh() + " (its SAN matcher expects another trust domain or naming template)";
            case CERT_EXPIRED ->
                self
                        ? f.clientIdentity() + " (mesh " + f.clientMesh() + ") rejected the certificate of " + server(f)
                                + " as outside its validity" + dates(f)
                        : server(f) + " rejected the certificate of " + client(f) + " as outside its validity"
                                + dates(f);
            case CERT_REJECTED ->
                self
                        ? f.clientIdentity() + " (mesh " + f.clientMesh() + ") rejected the certificate of " + server(f)
                                + " (cause not reported by either side)"
                        : server(f) + " rejected the certificate of " + client(f)
                                + " (cause not reported by either side)";
            case CLIENT_CERT_MISSING -> server(f) + " requires a client certificate but " + client(f) + " sent none";
            case PLAINTEXT_MISMATCH ->
                self
                        ? client(f) + " speaks TLS but " + server(f) + " answers in plaintext"
                        : client(f) + " sends plaintext to " + server(f) + ", which requires mutual TLS";
            case PROTOCOL_MISMATCH ->
                self
                        ? client(f) + " rejected the TLS version or ciphers of " + server(f)
                        : server(f) + " rejected the TLS version or ciphers offered by " + client(f);
            case NO_ROUTE ->
                "the gateway in front of " + server(f) + " has no route (filter chain) for the SNI"
                        + (f.details().get("sni") != null ? " " + f.details().get("sni") : "") + " sent by "
                        + client(f);
            case CONNECTION_RESET ->
                "the connection from " + client(f) + " to " + server(f) + " was reset during the handshake";
            case TRUST_CONFIG_ERROR ->
                "an Envoy between " + client(f) + " and " + server(f)
                        + " could not load its certificate or trust bundle";
            case UPSTREAM_CONNECT_FAILURE ->
                client(f) + " could not connect to " + server(f) + " (no TLS cause reported)";
            case UNKNOWN ->
                "the handshake between " + client(f) + " and " + server(f) + " failed for an unrecognised reason";
            // raised by the query API's trust matrix, which writes its own words; the correlator never pairs one
            case TRUST_CONTRADICTION ->
                "the trust inventory and the traffic between " + client(f) + " and " + server(f) + " disagree";
        };
    }

    private static String signer(Facts f, boolean server) {
        String who = server
                ? (f.serverIdentity() != null ? f.serverIdentity() : "service " + f.serverService()) + " (mesh "
                        + f.serverMesh() + ")"
                : f.clientIdentity() + " (mesh " + f.clientMesh() + ")";
        String root = f.details().get("missing_root_subject");
        return who + (root != null ? ", issued by root '" + root + "'" : "");
    }

    private static String dates(Facts f) {
        String nb = f.details().get("not_before");
        String na = f.details().get("not_after");
        if (nb == null || na == null) {
            return "";
        }
        return " (certificate " + d(f, "certificate_spiffe_id", d(f, "certificate_subject", "")) + " valid " + nb
                + " to " + na + ", seen at " + d(f, "observed_at", "?") + ")";
    }

    static String remediation(Facts f) {
        if ("true".equals(f.details().get("counter_only"))) {
            return "Find out who connects: "
                    + (f.details().get("envoy") == null
                            ? "have the admin source publish the"
                                    + " identity of the Envoy it polls (local_uri_san; the collector's admin source does not yet) so the"
                                    + " counters name the service, "
                            : "")
                    + "turn on listener access logs on " + d(f, "place", "the listener") + " (Istio: the EnvoyFilter in"
                    + " deploy/mesh/istio; Consul writes listener lines only for NR, see docs/mesh-setup.md) so the client"
                    + " and the TLS error are logged, and make sure the client mesh's collector publishes its access logs.";
        }
        boolean self = f.rejectedBy() == RejectedBy.SELF;
        return switch (f.category()) {
            case UNTRUSTED_ROOT -> {
                String verifier = self ? f.clientMesh() : f.serverMesh();
                String verifierKind = self ? f.clientKind() : f.serverKind();
                String other = self ? f.serverMesh() : f.clientMesh();
                String root = f.details().get("missing_root_subject");
                String fp = f.details().get("missing_root_sha256");
                yield "Import the trust bundle of mesh " + other
                        + (root != null ? " (root '" + root + "'" + (fp != null ? ", sha256 " + fp : "") + ")" : "")
                        + " into mesh " + verifier + ": "
                        + dialect(verifierKind).trustImport()
                        + ". Exchange bundles in both directions (thesis §6.2) and keep them in step"
                        + " with root rotation.";
            }
            case SAN_MISMATCH ->
                self
                        ? "Make mesh " + f.clientMesh() + " expect the identity mesh " + f.serverMesh()
                                + " actually issues ("
                                + d(f, "presented_spiffe_id", template(f.serverKind())) + ", template "
                                + template(f.serverKind())
                                + "): "
                                + RemediationDialect.fill(
                                        dialect(f.clientKind()).expectPeerIdentity(),
                                        f.serverService(),
                                        template(f.serverKind()))
                                + "."
                        : "Let mesh " + f.serverMesh() + " accept " + f.clientIdentity() + " (template "
                                + template(f.clientKind())
                                + "): widen the inbound SAN matcher / trust domain list of " + f.serverService()
                                + " ("
                                + RemediationDialect.fill(
                                        dialect(f.serverKind()).acceptPeerIdentity(),
                                        f.serverService(),
                                        template(f.clientKind()))
                                + ").";
            case CERT_EXPIRED -> {
                String owner = self
                        ? "service " + f.serverService() + " in mesh " + f.serverMesh()
                        : f.clientIdentity() + " in mesh " + f.clientMesh();
                yield "Renew the workload certificate of " + owner + " (check the CA/agent that rotates it: "
                        + dialect(self ? f.serverKind() : f.clientKind()).certRotator()
                        + "); if its dates are right, fix the clock of "
                        + (self ? "mesh " + f.clientMesh() : "mesh " + f.serverMesh())
                        + " (NTP) — a skewed verifier sees a fresh"
                        + " certificate as not yet valid.";
            }
            case CERT_REJECTED ->
                "Compare the trust bundle of mesh " + (self ? f.clientMesh() : f.serverMesh())
                        + " with the issuer of the rejected certificate, and the expected SPIFFE IDs with the presented one;"
                        + " turn on listener access logs or ssl.* stats on the rejecting side to get the exact cause.";
            case CLIENT_CERT_MISSING ->
                "Originate mutual TLS from " + f.clientIdentity() + ": "
                        + RemediationDialect.fill(dialect(f.clientKind()).originateMtls(), f.serverService(), null)
                        + "; or, if plaintext/one-way TLS is intended, relax mesh " + f.serverMesh()
                        + " to PERMISSIVE for this port.";
            case PLAINTEXT_MISMATCH ->
                self
                        ? "Enable mTLS on the inbound of " + f.serverService() + " in mesh " + f.serverMesh()
                                + " (" + dialect(f.serverKind()).enableInboundMtls() + "), or stop TLS origination in "
                                + f.clientMesh() + " for it."
                        : "Enable TLS origination in mesh " + f.clientMesh() + " for " + f.serverService()
                                + " (" + dialect(f.clientKind()).enableTlsOrigination() + "), or accept plaintext"
                                + " on the server (PERMISSIVE) if intended.";
            case PROTOCOL_MISMATCH ->
                "Align TLS versions and cipher suites: " + tlsVersions(f) + ". Mesh "
                        + (self ? f.serverMesh() : f.clientMesh()) + " offers what mesh "
                        + (self ? f.clientMesh() : f.serverMesh()) + " refuses.";
            case NO_ROUTE ->
                "Add a route for the SNI to the gateway of mesh " + f.serverMesh()
                        + " ("
                        + RemediationDialect.fill(dialect(f.serverKind()).gatewayRoute(), f.serverService(), null)
                        + "), or make mesh " + f.clientMesh() + " send the SNI the gateway serves ("
                        + dialect(f.clientKind()).clientSni() + ").";
            case CONNECTION_RESET ->
                "Check the gateway of mesh " + f.serverMesh() + " for SNI routing of " + f.serverService()
                        + " and Envoy version skew between the meshes.";
            case TRUST_CONFIG_ERROR ->
                "Check the SDS/secret delivery of the failing proxy (certificate and trust bundle files).";
            case UPSTREAM_CONNECT_FAILURE ->
                "Check connectivity from mesh " + f.clientMesh() + " to " + f.serverService()
                        + " (endpoints, firewall, gateway address); enable TLS failure reasons in the access log.";
            case UNKNOWN -> "Inspect the raw failure text in the evidence; meshlens did not recognise it.";
            case TRUST_CONTRADICTION ->
                "Compare the roots the verifying proxies load (Envoy admin /certs) with the trust bundle meshlens reads.";
        };
    }

    /** Where both meshes set TLS versions and ciphers (once when both are of one kind). */
    private static String tlsVersions(Facts f) {
        String server = dialect(f.serverKind()).tlsVersions();
        String client = dialect(f.clientKind()).tlsVersions();
        return server.equals(client) ? server : server + "; " + client;
    }
}
