package dev.meshlens.events.fix;

import static dev.meshlens.events.fix.Docs.consulEntry;
import static dev.meshlens.events.fix.Docs.l;
import static dev.meshlens.events.fix.Docs.m;

import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.mesh.ConsulProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * Consul's words for each fix: config entries ({@code service-defaults}, {@code proxy-defaults},
 * {@code mesh}, {@code terminating-gateway}, {@code ingress-gateway}; only documented fields, see
 * {@code ConsulEntryFields} in the tests) as JSON for {@code consul config write}, public roots as
 * PEM files, and described steps where Consul has no configuration for it or a private key is
 * involved.
 */
public final class ConsulFixes implements FixDialect {
    /** Where the terminating gateway reads the other mesh's root; the PEM resource is mounted there. */
    static final String CA_DIR = "/consul/tls/";

    @Override
    public String kind() {
        return ConsulProfile.NAME;
    }

    private static Fix fix(MeshFacts acting, String why, List<Resource> rs, List<String> steps) {
        return new Fix(acting.meshId(), ConsulProfile.NAME, acting.team(), why, rs, steps);
    }

    /** A public root as a PEM file (kind {@code TrustedRoot}). */
    static Resource rootFile(String presenterMesh, String pem) {
        return new Resource(
                "TrustedRoot",
                null,
                presenterMesh + "-root.pem",
                null,
                Resource.PEM,
                pem,
                "save as " + CA_DIR + presenterMesh + "-root.pem (a Secret/ConfigMap volume on the gateway)");
    }

    @Override
    public Fix trustRoots(Situation s, boolean verifierIsClient, List<TrustBundle.Root> roots) {
        MeshFacts verifier = verifierIsClient ? s.client() : s.server();
        MeshFacts presenter = verifierIsClient ? s.server() : s.client();
        if (kind().equals(presenter.kind())) { // two meshes of this dialect: they peer
            return peering(s, verifier, presenter);
        }
        StringBuilder pem = new StringBuilder();
        roots.stream().filter(r -> r.pem() != null).forEach(r -> pem.append(r.pem()));
        List<Resource> rs = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        if (pem.isEmpty()) {
            steps.add("The inventory has no PEM of the root of mesh " + presenter.meshId() + Fixes.rootNames(roots)
                    + ": fetch it from that mesh (Istio: the istio-ca-root-cert ConfigMap, key root-cert.pem).");
        } else {
            rs.add(rootFile(presenter.meshId(), pem.toString()));
        }
        if (verifierIsClient) {
            if (!pem.isEmpty()) {
                rs.add(consulEntry(
                        m(
                                "Kind",
                                "terminating-gateway",
                                "Name",
                                "terminating-gateway",
                                "Services",
                                l(m("Name", s.serverService(), "CAFile", CA_DIR + presenter.meshId() + "-root.pem"))),
                        "merge Services with the entry's existing list (consul config read -kind"
                                + " terminating-gateway -name terminating-gateway)"));
            }
            steps.add("The gateway presents a client certificate to mesh " + presenter.meshId()
                    + " only with CertFile and"
                    + " KeyFile set on the same service: that needs a private key, so issue it inside mesh "
                    + presenter.meshId()
                    + "'s process for external clients and mount it; no key is ever part of a fix.");
        } else {
            steps.add("Consul's built-in CA serves only its own roots to the sidecars: to make mesh "
                    + verifier.meshId()
                    + " accept certificates of mesh " + presenter.meshId() + ", cross-sign (thesis §6.1) — sign mesh "
                    + presenter.meshId()
                    + "'s root with Consul's root, or rotate Consul's CA (consul connect ca set-config,"
                    + " RootCert and PrivateKey) to a root both meshes trust. Both need a CA private key: do it where that key"
                    + " lives; meshlens only supplies the public root above.");
        }
        return fix(
                verifier,
                "Consul mesh " + verifier.meshId() + " verifies " + (verifierIsClient ? "the server's" : "the client's")
                        + " certificate against the roots of its Connect CA (/v1/connect/ca/roots), and the root of"
                        + " mesh " + presenter.meshId() + " is not one of them.",
                rs,
                steps);
    }

    /**
     * Two Consul meshes trust each other's roots through cluster peering: the peering exchanges the CA
     * roots in both directions, and the server's mesh exports the service to the client's peer. The
     * peering token is a secret, so establishing the peering is a described step.
     */
    private Fix peering(Situation s, MeshFacts verifier, MeshFacts presenter) {
        String serverMesh = s.server().meshId();
        String clientMesh = s.client().meshId();
        Resource exported = consulEntry(
                m(
                        "Kind",
                        "exported-services",
                        "Name",
                        "default",
                        "Services",
                        l(m("Name", s.serverService(), "Consumers", l(m("Peer", clientMesh))))),
                "in mesh " + serverMesh + "; merge Services with the entry's existing list");
        return new Fix(
                serverMesh,
                ConsulProfile.NAME,
                s.server().team(),
                "Consul meshes " + verifier.meshId() + " and "
                        + presenter.meshId()
                        + " do not share roots: cluster peering exchanges them (both directions) and lets mesh "
                        + serverMesh + " export " + s.serverService() + " to mesh " + clientMesh + ".",
                List.of(exported),
                List.of(
                        "In mesh " + serverMesh + ": consul peering generate-token -name " + clientMesh
                                + " — the token is a" + " secret: hand it to mesh " + clientMesh
                                + "'s operators over a private channel, never in a ticket.",
                        "In mesh " + clientMesh + ": consul peering establish -name " + serverMesh
                                + " -peering-token <the token>; then call " + s.serverService() + " as the upstream "
                                + s.serverService() + " with peer " + serverMesh + "."));
    }

    @Override
    public Fix expectServerIdentity(Situation s, String presentedId) {
        Resource tgw = consulEntry(
                m(
                        "Kind",
                        "terminating-gateway",
                        "Name",
                        "terminating-gateway",
                        "Services",
                        l(m("Name", s.serverService()))),
                "merge Services with the entry's existing list");
        return fix(
                s.client(),
                "Consul sidecars of mesh " + s.client().meshId() + " check an upstream against a Consul-form"
                        + " SPIFFE ID; " + s.serverService() + " in mesh "
                        + s.server().meshId() + " presents " + presentedId
                        + ". Reach it through a terminating gateway, which verifies the chain, not a Consul identity.",
                List.of(tgw),
                List.of(
                        "Register " + s.serverService()
                                + " as an external service linked to the terminating gateway and"
                                + " give the gateway the other mesh's root (CAFile) as in the UNTRUSTED_ROOT fix.",
                        "SNI is left unset on purpose: with it Consul checks the certificate's DNS SANs against it, and mesh "
                                + s.server().meshId() + "'s workload certificates carry a SPIFFE URI SAN only."));
    }

    @Override
    public Fix acceptClientIdentity(Situation s, String clientId) {
        return fix(
                s.server(),
                "Consul mesh " + s.server().meshId() + " authorises clients by Consul identity"
                        + " (intentions name Consul services and peers only), and " + clientId + " is not one.",
                List.of(),
                List.of("Consul has no configuration that admits a foreign SPIFFE ID: front " + s.serverService()
                        + " with a gateway of mesh " + s.client().meshId()
                        + "'s kind, or give the client a Consul identity"
                        + " (register it in mesh " + s.server().meshId()
                        + " and add a service-intentions entry for it)."));
    }

    @Override
    public Fix renewCertificate(Situation s, boolean serverSide) {
        Fixes.Renewal r = Fixes.renewal(s, serverSide);
        return fix(
                r.owner(),
                "The leaf certificate of " + r.workload() + " in Consul mesh "
                        + r.owner().meshId() + " is outside its validity" + Fixes.dates(s)
                        + "; its proxy's leaf-certificate watch did not renew it.",
                List.of(r.restart()),
                List.of(
                        "Restarting the workload makes its Consul dataplane fetch a fresh leaf from the Connect CA (on VMs:"
                                + " restart consul connect envoy for the service). No key leaves the node.",
                        "If the dates are right, the verifier's clock is wrong: check NTP in mesh " + r.verifierMesh()
                                + "."));
    }

    @Override
    public Fix originateMutualTls(Situation s) {
        Resource sd =
                consulEntry(m("Kind", "service-defaults", "Name", s.clientWorkload(), "Mode", "transparent"), null);
        return fix(
                s.client(),
                s.clientWorkload() + " in Consul mesh " + s.client().meshId() + " calls " + s.serverService()
                        + " around its sidecar, so no client certificate is presented.",
                List.of(sd),
                List.of("With transparent proxy the sidecar captures the outbound call; without it, call the server's"
                        + " upstream listener (localhost) instead of its address."));
    }

    @Override
    public Fix permissive(Situation s) {
        Resource mesh = consulEntry(
                m("Kind", "mesh", "AllowEnablingPermissiveMutualTLS", true),
                "merge with the existing mesh entry: it is one entry per cluster");
        Resource sd = consulEntry(
                m("Kind", "service-defaults", "Name", s.serverService(), "MutualTLSMode", "permissive"), null);
        return fix(
                s.server(),
                "Only if plaintext from mesh " + s.client().meshId() + " is intended: " + s.serverService()
                        + " of Consul mesh " + s.server().meshId() + " then accepts it deliberately.",
                List.of(mesh, sd),
                List.of("Permissive mTLS needs transparent proxy on the service (Consul 1.16+) and gives up peer"
                        + " authentication for that traffic: prefer mutual TLS from the client."));
    }

    @Override
    public Fix requireMutualTls(Situation s) {
        Resource sd =
                consulEntry(m("Kind", "service-defaults", "Name", s.serverService(), "MutualTLSMode", "strict"), null);
        return fix(
                s.server(),
                s.serverService() + " of Consul mesh " + s.server().meshId() + " answers in plaintext while"
                        + " clients of mesh " + s.client().meshId() + " speak mutual TLS to it.",
                List.of(sd),
                List.of("The service must run with a sidecar (connect-inject) to terminate mTLS at all."));
    }

    @Override
    public Fix tlsVersions(Situation s, boolean ofClient, String min, String max) {
        MeshFacts acting = ofClient ? s.client() : s.server();
        Resource mesh = consulEntry(
                m(
                        "Kind",
                        "mesh",
                        "TLS",
                        m(
                                "Incoming", m("TLSMinVersion", min, "TLSMaxVersion", max),
                                "Outgoing", m("TLSMinVersion", min, "TLSMaxVersion", max))),
                "merge with the existing mesh entry: it is one entry per cluster");
        return fix(
                acting,
                "Consul mesh " + acting.meshId() + " and mesh " + (ofClient ? s.server() : s.client()).meshId()
                        + " share no TLS version; the mesh entry sets the sidecars' versions for both directions.",
                List.of(mesh),
                List.of());
    }

    @Override
    public Fix routeSni(Situation s) {
        Resource igw = consulEntry(
                m(
                        "Kind",
                        "ingress-gateway",
                        "Name",
                        "ingress-gateway",
                        "Listeners",
                        l(m("Port", 8443, "Protocol", "tcp", "Services", l(m("Name", s.serverService()))))),
                "merge Listeners with the entry's existing list");
        return fix(
                s.server(),
                "The ingress gateway of Consul mesh " + s.server().meshId() + " has no listener (filter"
                        + " chain) for the SNI " + s.hostDetail("sni", s.serverHost()) + " that clients of mesh "
                        + s.client().meshId()
                        + " send.",
                List.of(igw),
                List.of());
    }
}
