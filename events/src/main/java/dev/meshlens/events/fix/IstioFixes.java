package dev.meshlens.events.fix;

import static dev.meshlens.events.fix.Docs.k8s;
import static dev.meshlens.events.fix.Docs.l;
import static dev.meshlens.events.fix.Docs.m;

import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.mesh.IstioProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Istio's words for each fix: DestinationRule, PeerAuthentication, AuthorizationPolicy, Gateway and
 * VirtualService (validated against Istio's CRD schemas in tests) and istiod's {@code meshConfig}
 * (Helm values of the istiod chart: {@code caCertificates}, {@code meshMTLS}).
 */
public final class IstioFixes implements FixDialect {
    static final String NETWORKING = "networking.istio.io/v1";
    static final String SECURITY = "security.istio.io/v1";
    static final String ISTIOD_VALUES = "helm upgrade istiod istio/istiod -n istio-system --reuse-values -f -"
            + "   # or the same meshConfig in your IstioOperator / istioctl install -f";

    @Override
    public String kind() {
        return IstioProfile.NAME;
    }

    private static Fix fix(MeshFacts acting, String why, List<Resource> rs, List<String> steps) {
        return new Fix(acting.meshId(), IstioProfile.NAME, acting.team(), why, rs, steps);
    }

    /** The {@code meshConfig} fragment of istiod's Helm values. */
    static Resource meshConfig(String name, Map<String, Object> meshConfig) {
        return new Resource(
                "MeshConfig",
                null,
                name,
                "istio-system",
                Resource.YAML,
                Yaml.write(m("meshConfig", meshConfig)),
                ISTIOD_VALUES);
    }

    @Override
    public Fix trustRoots(Situation s, boolean verifierIsClient, List<TrustBundle.Root> roots) {
        MeshFacts verifier = verifierIsClient ? s.client() : s.server();
        MeshFacts presenter = verifierIsClient ? s.server() : s.client();
        String why =
                "Istio mesh " + verifier.meshId() + " verifies " + (verifierIsClient ? "the server's" : "the client's")
                        + " certificate against the trust anchors istiod distributes, and none of them is the root of mesh "
                        + presenter.meshId() + ".";
        List<Map<String, Object>> certs = new ArrayList<>();
        for (TrustBundle.Root r : roots) {
            if (r.pem() != null) {
                certs.add(m(
                        "pem",
                        r.pem(),
                        "trustDomains",
                        presenter.trustDomain() == null ? null : l(presenter.trustDomain())));
            }
        }
        List<String> steps = new ArrayList<>();
        List<Resource> rs = new ArrayList<>();
        if (certs.isEmpty()) {
            steps.add("The inventory has no PEM of the root of mesh " + presenter.meshId() + Fixes.rootNames(roots)
                    + ": fetch it from that mesh (Consul: GET /v1/connect/ca/roots, field RootCert; Istio: the istio-ca-root-cert"
                    + " ConfigMap) and add it under meshConfig.caCertificates[].pem of mesh " + verifier.meshId()
                    + ".");
        } else {
            rs.add(meshConfig("istio-trust-" + presenter.meshId(), m("caCertificates", certs)));
            steps.add(
                    "Merge caCertificates with the entries your meshConfig already has (a Helm value list replaces,"
                            + " it does not append); istiod then pushes the extra root to every sidecar over SDS, no restart needed.");
        }
        steps.add("Keep the bundle in step with mesh " + presenter.meshId() + "'s root rotation (thesis §6.2: exchange"
                + " bundles in both directions).");
        return fix(verifier, why, rs, steps);
    }

    @Override
    public Fix expectServerIdentity(Situation s, String presentedId) {
        String host = s.serverHost();
        Resource dr = k8s(
                NETWORKING,
                "DestinationRule",
                Situation.k8sName(s.serverService(), "san"),
                s.clientNamespace(),
                m(
                        "host",
                        host,
                        "trafficPolicy",
                        m("tls", m("mode", "ISTIO_MUTUAL", "subjectAltNames", l(presentedId)))));
        return fix(
                s.client(),
                "The sidecars of Istio mesh " + s.client().meshId() + " check the server certificate of "
                        + host + " against an identity in Istio's own naming template; mesh "
                        + s.server().meshId()
                        + " issues " + presentedId + ".",
                List.of(dr),
                List.of("If a ServiceEntry already declares " + host
                        + ", set the same value in its subjectAltNames instead"
                        + " (a DestinationRule's subjectAltNames overrides the ServiceEntry's)."));
    }

    @Override
    public Fix acceptClientIdentity(Situation s, String clientId) {
        String principal = clientId.startsWith("spiffe://") ? clientId.substring("spiffe://".length()) : clientId;
        Resource ap = k8s(
                SECURITY,
                "AuthorizationPolicy",
                Situation.k8sName("allow", s.clientWorkload(), s.client().meshId()),
                s.serverNamespace(),
                m(
                        "selector",
                        m("matchLabels", m("app", s.serverService())),
                        "action",
                        "ALLOW",
                        "rules",
                        l(m("from", l(m("source", m("principals", l(principal))))))));
        return fix(
                s.server(),
                "Workload " + s.serverService() + " of Istio mesh " + s.server().meshId()
                        + " only admits identities of its own trust domain; " + clientId + " (mesh "
                        + s.client().meshId()
                        + ") must be named explicitly.",
                List.of(ap),
                List.of(
                        "An ALLOW policy denies every principal it does not list: add the principals the workload already"
                                + " admits to the same rule if it had no policy before."));
    }

    @Override
    public Fix renewCertificate(Situation s, boolean serverSide) {
        Fixes.Renewal r = Fixes.renewal(s, serverSide);
        return fix(
                r.owner(),
                "The workload certificate of " + r.workload() + " in Istio mesh "
                        + r.owner().meshId()
                        + " is outside its validity" + Fixes.dates(s)
                        + "; its sidecar did not get a fresh one from istiod.",
                List.of(r.restart()),
                List.of(
                        "Restarting the workload makes its sidecar request a new certificate over SDS (istiod signs it; no key"
                                + " leaves the pod). The deployment is assumed to carry the service account's name.",
                        "If the certificate's dates are right, the verifier's clock is wrong: check NTP on the nodes of mesh "
                                + r.verifierMesh() + "."));
    }

    @Override
    public Fix originateMutualTls(Situation s) {
        String host = s.serverHost();
        Resource dr = k8s(
                NETWORKING,
                "DestinationRule",
                Situation.k8sName(s.serverService(), "mtls"),
                s.clientNamespace(),
                m("host", host, "trafficPolicy", m("tls", m("mode", "ISTIO_MUTUAL"))));
        return fix(
                s.client(),
                "Clients in Istio mesh " + s.client().meshId() + " reach " + host
                        + " without presenting their workload certificate; the server requires mutual TLS.",
                List.of(dr),
                List.of("Make sure the calling workload has a sidecar (namespace label istio-injection=enabled)."));
    }

    @Override
    public Fix permissive(Situation s) {
        String port = s.detail("server_port", null);
        Map<String, Object> spec = port == null
                ? m("selector", m("matchLabels", m("app", s.serverService())), "mtls", m("mode", "PERMISSIVE"))
                : m(
                        "selector",
                        m("matchLabels", m("app", s.serverService())),
                        "mtls",
                        m("mode", "STRICT"),
                        "portLevelMtls",
                        m(port, m("mode", "PERMISSIVE")));
        Resource pa = k8s(
                SECURITY,
                "PeerAuthentication",
                Situation.k8sName(s.serverService(), "permissive"),
                s.serverNamespace(),
                spec);
        return fix(
                s.server(),
                "Only if plaintext or one-way TLS from mesh " + s.client().meshId()
                        + " is intended: workload " + s.serverService() + " of Istio mesh "
                        + s.server().meshId()
                        + " then accepts it deliberately" + (port == null ? "" : " on port " + port) + ".",
                List.of(pa),
                List.of(
                        "PERMISSIVE gives up peer authentication for that traffic: prefer mutual TLS from the client."));
    }

    @Override
    public Fix requireMutualTls(Situation s) {
        Resource pa = k8s(
                SECURITY,
                "PeerAuthentication",
                Situation.k8sName(s.serverService(), "strict"),
                s.serverNamespace(),
                m("selector", m("matchLabels", m("app", s.serverService())), "mtls", m("mode", "STRICT")));
        return fix(
                s.server(),
                "Workload " + s.serverService() + " of Istio mesh " + s.server().meshId()
                        + " answers in plaintext while clients of mesh "
                        + s.client().meshId() + " speak mutual TLS to it.",
                List.of(pa),
                List.of("The workload needs a sidecar to terminate mTLS: label its namespace"
                        + " istio-injection=enabled and restart it if it has none."));
    }

    @Override
    public Fix tlsVersions(Situation s, boolean ofClient, String min, String max) {
        MeshFacts acting = ofClient ? s.client() : s.server();
        Resource mc =
                meshConfig("istio-tls-" + acting.meshId(), m("meshMTLS", m("minProtocolVersion", istioVersion(min))));
        return fix(
                acting,
                "Istio mesh " + acting.meshId() + " and mesh " + (ofClient ? s.server() : s.client()).meshId()
                        + " share no TLS version; Istio sidecars offer up to TLS 1.3, the minimum is meshMTLS.minProtocolVersion.",
                List.of(mc),
                List.of("Istio has no maximum version setting for mesh mTLS: " + max
                        + " is the sidecars' default maximum."));
    }

    static String istioVersion(String v) {
        return v.replace("TLSv", "TLSV");
    }

    @Override
    public Fix routeSni(Situation s) {
        String host = s.serverHost();
        String gw = Situation.k8sName(s.serverService(), "passthrough");
        Resource gateway = k8s(
                NETWORKING,
                "Gateway",
                gw,
                s.serverNamespace(),
                m(
                        "selector",
                        m("istio", "ingressgateway"),
                        "servers",
                        l(m(
                                "port",
                                m(
                                        "number",
                                        443,
                                        "name",
                                        Situation.k8sName("tls", s.serverService()),
                                        "protocol",
                                        "TLS"),
                                "hosts",
                                l(host),
                                "tls",
                                m("mode", "PASSTHROUGH")))));
        Resource vs = k8s(
                NETWORKING,
                "VirtualService",
                Situation.k8sName(s.serverService(), "sni"),
                s.serverNamespace(),
                m(
                        "hosts",
                        l(host),
                        "gateways",
                        l(gw),
                        "tls",
                        l(m(
                                "match",
                                l(m("port", 443, "sniHosts", l(host))),
                                "route",
                                l(m(
                                        "destination",
                                        m(
                                                "host",
                                                s.serverService() + "." + s.serverNamespace()
                                                        + ".svc.cluster.local")))))));
        return fix(
                s.server(),
                "The ingress gateway of Istio mesh " + s.server().meshId() + " has no TLS passthrough"
                        + " route for the SNI " + s.hostDetail("sni", host) + " that clients of mesh "
                        + s.client().meshId() + " send.",
                List.of(gateway, vs),
                List.of());
    }
}
