package dev.meshlens.events.fix;

import dev.meshlens.events.Finding;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.TrustBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which mesh must change what, per category and direction (the same for every mesh kind); the
 * mesh's {@link FixDialect} says it in that mesh's resources. Pure: no I/O. Categories without a
 * configuration fix get described steps.
 */
public final class Fixes {
    private Fixes() {}

    /** TLS versions every fix aligns to: TLS 1.2 stays accepted, TLS 1.3 is allowed. */
    static final String MIN_TLS = "TLSv1_2";

    static final String MAX_TLS = "TLSv1_3";

    /**
     * The fix plan of a finding.
     *
     * @param f the finding
     * @param meshes facts per mesh id (the inventory's kinds, trust domains, teams and public roots)
     */
    public static FixPlan plan(Finding f, Map<String, MeshFacts> meshes) {
        Situation s = new Situation(f, meshes.get(f.clientMesh()), meshes.get(f.serverMesh()));
        FixDialect client = FixDialects.of(s.client().kind());
        FixDialect server = FixDialects.of(s.server().kind());
        RejectedBy by = f.rejectedBy();
        List<Fix> options = new ArrayList<>();
        if ("true".equals(f.details().get("counter_only"))) {
            options.add(described(
                    s.server(),
                    "Only ssl.* counters of mesh " + s.server().meshId()
                            + " saw these failures: the client, and so the mesh that must change, is unknown.",
                    "Turn on listener access logs for " + s.detail("place", "the listener")
                            + " (deploy/mesh, docs/mesh-setup.md)"
                            + " so the next failure names the client; meshlens then generates its fix."));
            return new FixPlan(f.id(), f.category(), options.get(0).why(), options);
        }
        switch (f.category()) {
            case UNTRUSTED_ROOT -> {
                if (by != RejectedBy.SELF) {
                    options.add(server.trustRoots(s, false, missingRoots(f, s.client())));
                }
                if (by != RejectedBy.PEER) {
                    options.add(client.trustRoots(s, true, missingRoots(f, s.server())));
                }
            }
            case SAN_MISMATCH -> {
                if (by != RejectedBy.PEER) {
                    SpiffeId known = SpiffeId.tryParse(f.serverIdentity());
                    String presented = s.spiffeDetail("presented_spiffe_id", known == null ? null : known.uri());
                    options.add(
                            presented != null
                                    ? client.expectServerIdentity(s, presented)
                                    : described(
                                            s.client(),
                                            "Mesh " + s.client().meshId() + " expects another identity than the one "
                                                    + s.serverService()
                                                    + " presents, and no evidence says which one it presents.",
                                            "Read the server's identity from its certificate (Envoy admin /certs of "
                                                    + s.serverService()
                                                    + ", or the trust view) and set it as the expected SAN in mesh "
                                                    + s.client().meshId() + "."));
                }
                if (by != RejectedBy.SELF) {
                    SpiffeId cid = s.clientId();
                    String clientId = s.spiffeDetail("presented_spiffe_id", cid == null ? null : cid.uri());
                    options.add(
                            clientId != null
                                    ? server.acceptClientIdentity(s, clientId)
                                    : described(
                                            s.server(),
                                            "Mesh " + s.server().meshId()
                                                    + " rejects the client's identity, and no evidence names it.",
                                            "Turn on listener access logs on " + s.serverService()
                                                    + " (docs/mesh-setup.md) so the rejected"
                                                    + " identity is logged; meshlens then generates the policy that admits it."));
                }
            }
            case CERT_EXPIRED -> {
                if (by != RejectedBy.PEER) {
                    options.add(server.renewCertificate(s, true));
                }
                if (by != RejectedBy.SELF) {
                    options.add(client.renewCertificate(s, false));
                }
            }
            case CLIENT_CERT_MISSING -> {
                options.add(client.originateMutualTls(s));
                options.add(server.permissive(s));
            }
            case PLAINTEXT_MISMATCH -> {
                if (by == RejectedBy.SELF) {
                    options.add(server.requireMutualTls(s));
                    options.add(described(
                            s.client(),
                            "Or, if the server is meant to be plaintext: mesh "
                                    + s.client().meshId() + " must stop originating TLS to " + s.serverService() + ".",
                            "Remove the TLS origination ("
                                    + "DestinationRule tls / upstream TLS) that mesh "
                                    + s.client().meshId() + " applies to "
                                    + s.serverHost() + "; nothing is generated for it because it lowers security."));
                } else {
                    options.add(client.originateMutualTls(s));
                    options.add(server.permissive(s));
                }
            }
            case PROTOCOL_MISMATCH -> {
                // PEER: the server refused what the client offers, so the client widens its offer first
                boolean clientFirst = by != RejectedBy.SELF;
                options.add(
                        clientFirst
                                ? client.tlsVersions(s, true, MIN_TLS, MAX_TLS)
                                : server.tlsVersions(s, false, MIN_TLS, MAX_TLS));
                options.add(
                        clientFirst
                                ? server.tlsVersions(s, false, MIN_TLS, MAX_TLS)
                                : client.tlsVersions(s, true, MIN_TLS, MAX_TLS));
            }
            case NO_ROUTE -> options.add(server.routeSni(s));
            case CONNECTION_RESET -> {
                options.add(described(
                        s.server(),
                        "A reset during the handshake is most often a gateway of mesh "
                                + s.server().meshId() + " dropping an SNI it cannot route, or Envoy version skew.",
                        "Check the gateway of mesh " + s.server().meshId() + " for a passthrough route for "
                                + s.hostDetail("sni", s.serverHost())
                                + " (its no_filter_chain_match counter) and compare Envoy versions;"
                                + " if the route is missing, the NO_ROUTE fix below adds it."));
                options.add(server.routeSni(s));
            }
            case CERT_REJECTED ->
                options.add(
                        described(
                                by == RejectedBy.SELF ? s.client() : s.server(),
                                "A certificate was rejected and neither side said why, so no configuration can be chosen yet.",
                                "Turn on listener access logs and ssl.* stats on the rejecting side (deploy/mesh, docs/mesh-setup.md); the"
                                        + " next failure names the cause (untrusted root, SAN, validity) and meshlens then generates its fix."));
            case TRUST_CONFIG_ERROR ->
                options.add(
                        described(
                                s.server(),
                                "An Envoy could not load its certificate or trust"
                                        + " bundle at all; that is delivery (SDS, mounted secrets), not a setting to change.",
                                "Check secret delivery of the failing proxy: Istio: istioctl proxy-config secret <pod>, istiod logs;"
                                        + " Consul: the dataplane's leaf and roots watches. Restart the proxy once delivery works."));
            case UPSTREAM_CONNECT_FAILURE ->
                options.add(described(
                        s.client(),
                        "The connection failed before TLS and no TLS" + " cause was reported.",
                        "Check connectivity from mesh " + s.client().meshId() + " to " + s.serverHost()
                                + " (endpoints, firewall, gateway address) and add %UPSTREAM_TRANSPORT_FAILURE_REASON% to the access"
                                + " log format."));
            case UNKNOWN ->
                options.add(
                        described(
                                s.client(),
                                "meshlens did not recognise the failure text.",
                                "Read the raw failure text in the evidence and report the spelling so a rule can classify it."));
            case TRUST_CONTRADICTION -> options.add(contradiction(s, by));
        }
        return new FixPlan(f.id(), f.category(), summary(f, options.get(0)), options);
    }

    /**
     * A contradiction between the trust inventory and the traffic: no setting to change yet, the
     * verifier mesh first finds out which side is wrong (details written by the query API's trust matrix).
     */
    private static Fix contradiction(Situation s, RejectedBy by) {
        MeshFacts verifier = by == RejectedBy.SELF ? s.client() : s.server();
        String presenter =
                by == RejectedBy.SELF ? s.server().meshId() : s.client().meshId();
        if ("not_trusted_but_succeeded".equals(s.finding().details().get("contradiction_kind"))) {
            return new Fix(
                    verifier.meshId(),
                    verifier.kind(),
                    verifier.team(),
                    "The trust bundle meshlens reads for mesh " + verifier.meshId() + " lacks the roots of mesh "
                            + presenter + ", yet requests between the pair succeed: the inventory is incomplete, or"
                            + " that traffic is not mutual TLS.",
                    List.of(),
                    List.of(
                            "On a proxy of mesh " + verifier.meshId() + " read the roots it validates with (Envoy admin"
                                    + " /certs, ca_cert) and compare their SHA-256 fingerprints with the roots of this"
                                    + " finding's details.",
                            "If the proxy holds a root of mesh " + presenter + " that meshlens does not list, point the"
                                    + " collector of mesh " + verifier.meshId() + " at that bundle source too.",
                            "If it does not, the successful traffic is not mutual TLS (plaintext or a PERMISSIVE"
                                    + " port): require mutual TLS there, and the matrix's verdict stands."));
        }
        return new Fix(
                verifier.meshId(),
                verifier.kind(),
                verifier.team(),
                "The trust bundle meshlens reads for mesh " + verifier.meshId() + " holds the roots of mesh "
                        + presenter + ", yet its proxies reject them (open UNTRUSTED_ROOT findings): the proxies do"
                        + " not validate with that bundle, or the failing workloads present chains meshlens has not"
                        + " seen.",
                List.of(),
                List.of(
                        "On a rejecting proxy of mesh " + verifier.meshId() + " read the roots it validates with"
                                + " (Envoy admin /certs, ca_cert) and compare their SHA-256 fingerprints with the roots"
                                + " of this finding's details.",
                        "If the proxy lacks them, the bundle has not reached it: deliver it through the mesh's own"
                                + " mechanism (then restart proxies that cache it), or point the collector at the"
                                + " bundle the proxies really use.",
                        "If the proxy holds them, the failing workloads of mesh " + presenter + " present chains"
                                + " that /certs has not reported: scrape their Envoy admin so the UNTRUSTED_ROOT"
                                + " finding names the missing root."));
    }

    private static String summary(Finding f, Fix first) {
        String verb = first.describedOnly()
                ? "needs a described step"
                : "applies " + first.resources().size() + " resource"
                        + (first.resources().size() == 1 ? "" : "s");
        return f.category() + ": mesh " + first.mesh() + (first.team() != null ? " (team " + first.team() + ")" : "")
                + " " + verb + ". " + first.why();
    }

    private static Fix described(MeshFacts acting, String why, String step) {
        return new Fix(acting.meshId(), acting.kind(), acting.team(), why, List.of(), List.of(step));
    }

    /**
     * The presenter's roots the verifier lacks: the one the finding names (by fingerprint, else
     * subject), else every root that signs the presenter's workloads.
     */
    static List<TrustBundle.Root> missingRoots(Finding f, MeshFacts presenter) {
        String fp = f.details().get("missing_root_sha256");
        fp = fp != null && fp.matches("[0-9a-fA-F:]{16,128}") ? fp : null;
        String subject = f.details().get("missing_root_subject");
        for (TrustBundle.Root r : presenter.signingRoots()) {
            if ((fp != null && fp.equalsIgnoreCase(r.sha256Fingerprint()))
                    || (fp == null && subject != null && subject.equals(r.subject()))) {
                return List.of(r);
            }
        }
        if (fp != null || subject != null) {
            List<TrustBundle.Root> named = new ArrayList<>();
            named.add(new TrustBundle.Root(subject, fp, null, null, null, null));
            // the named root is not in the inventory: offer the presenter's roots that do have a PEM
            presenter.signingRoots().stream().filter(r -> r.pem() != null).forEach(named::add);
            return named;
        }
        return presenter.signingRoots();
    }

    /** " (subject, sha256 …)" for a sentence, or "" when nothing names the roots. */
    static String rootNames(List<TrustBundle.Root> roots) {
        List<String> names = new ArrayList<>();
        for (TrustBundle.Root r : roots) {
            // a subject is a DN: anything that does not look like one is not repeated
            boolean dn = r.subject() != null
                    && r.subject().length() <= 512
                    && !r.subject().contains("-----");
            String n = dn ? "'" + r.subject() + "'" : "";
            if (r.sha256Fingerprint() != null) {
                n += (n.isEmpty() ? "" : ", ") + "sha256 " + r.sha256Fingerprint();
            }
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names.isEmpty() ? "" : " (" + String.join("; ", names) + ")";
    }

    /** " (valid A to B, seen at C)" from the finding's details, or "". */
    static String dates(Situation s) {
        String nb = s.detail("not_before", null);
        String na = s.detail("not_after", null);
        return nb == null || na == null
                ? ""
                : " (valid " + nb + " to " + na + ", seen at " + s.detail("observed_at", "?") + ")";
    }

    /**
     * Whose certificate is out of date and how it is renewed: restarting the workload makes its proxy fetch a
     * fresh leaf from its mesh's CA (Istio and Consul alike), so no private key ever appears in a fix.
     *
     * @param owner the mesh that must act
     * @param workload the workload whose leaf expired (or is not yet valid)
     * @param restart the command that restarts it
     * @param verifierMesh the mesh whose clock to check if the dates are right
     */
    record Renewal(MeshFacts owner, String workload, Resource restart, String verifierMesh) {}

    static Renewal renewal(Situation s, boolean serverSide) {
        String workload = serverSide ? s.serverService() : s.clientWorkload();
        String ns = serverSide ? s.serverNamespace() : s.clientNamespace();
        Resource restart = new Resource(
                "Renewal",
                null,
                workload,
                ns,
                Resource.SHELL,
                "kubectl -n " + ns + " rollout restart deployment/" + workload + "\n",
                "sh");
        return new Renewal(
                serverSide ? s.server() : s.client(),
                workload,
                restart,
                (serverSide ? s.client() : s.server()).meshId());
    }
}
