package dev.meshlens.events.mesh;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Consul service mesh: {@code spiffe://<trust-domain>/[ap/<partition>/]ns/<namespace>/dc/<datacenter>/svc/<service>}
 * identities (a trust domain like {@code <uuid>.consul}), the default JSON access log, upstream clusters and
 * SNI named {@code <service>.<namespace>.<dc>.internal.<trust-domain>}, {@code local_app} for its own app, the
 * roots of {@code /v1/connect/ca/roots}, and its config entries as remediation words.
 */
public final class ConsulProfile {
    public static final String NAME = "consul";

    /**
     * Consul's cluster for the application behind a sidecar's public listener: hashicorp/consul
     * {@code agent/xds/clusters.go} builds it as {@code makeAppCluster(cfgSnap, LocalAppClusterName, ...)}
     * ("the app cluster for the public listener"), {@code LocalAppClusterName = "local_app"}; its envoy
     * extensions read it as "the local Cluster, which receives inbound traffic to the local proxy".
     */
    public static final String LOCAL_APP = "local_app";

    /**
     * Consul's default JSON access log (proxy-defaults AccessLogs with no JSONFormat): Consul took Istio's JSON
     * keys and operators as they are, so the two presets share one map.
     */
    public static final Map<String, String> JSON_FORMAT = IstioProfile.JSON_FORMAT;

    public static final AccessLogPreset JSON = AccessLogPreset.json(
            "consul-json",
            List.of(NAME),
            JSON_FORMAT,
            "Consul's default JSON access log (proxy-defaults AccessLogs without JSONFormat)");

    public static final NamingTemplate IDENTITY = new NamingTemplate(
            NAME,
            "spiffe://<trust-domain>/[ap/<partition>/]ns/<namespace>/dc/<datacenter>/svc/<service>",
            "service",
            null,
            Map.of("namespace", "default", "datacenter", "dc1"));

    static final ServiceNaming NAMING = new ServiceNaming() {
        @Override
        public String hostName(String service, String namespace) {
            return service + ".service.consul";
        }

        /** Every Consul name of a service ends in {@code .consul}: internal and peered SNI, DNS, virtual hosts. */
        @Override
        public String serviceOf(String name) {
            if (LOCAL_APP.equals(name)) {
                return "";
            }
            String h = Hosts.withoutPort(name);
            if (h == null || !h.toLowerCase(Locale.ROOT).endsWith(".consul")) {
                return null;
            }
            String s = Hosts.firstLabel(h);
            return s == null ? "" : s;
        }

        @Override
        public boolean recognises(String name) {
            return serviceOf(name) != null || (name != null && name.contains(".internal."));
        }

        @Override
        public Leg legOf(String cluster) {
            // Consul upstreams are named after the service they call, gateways after what they forward to: only
            // local_app tells
            return LOCAL_APP.equals(cluster) ? Leg.LOCAL_APP : null;
        }

        /**
         * A peered-service SNI, {@code <service>.<namespace>.<partition>.<peer>.external.<trust-domain>}
         * (hashicorp/consul {@code agent/connect/sni.go} {@code PeeredServiceSNI}; the trust domain is the
         * exporting peer's): only the exporting cluster's mesh gateway routes such a name, to its own service.
         */
        @Override
        public boolean routedOnlyByExporter(String sni) {
            if (sni == null) {
                return false;
            }
            String[] labels = sni.toLowerCase(Locale.ROOT).split("\\.", -1);
            // service, namespace, partition, peer, "external", then the trust domain (<uuid>.consul: two labels)
            return labels.length >= 7
                    && labels[4].equals("external")
                    && !labels[0].isEmpty()
                    && labels[labels.length - 1].equals("consul");
        }
    };

    public static final MeshProfile PROFILE = new MeshProfile(
            NAME,
            "Consul",
            List.of(IDENTITY),
            List.of(JSON),
            List.of(),
            NAMING,
            AdminEndpoints.envoy(
                    "http://127.0.0.1:19000",
                    List.of("dynamic_active_secrets", "dynamic_listeners"),
                    "consul connect envoy / consul-dataplane bind the Envoy admin to 127.0.0.1:19000 by default; Consul"
                            + " inlines certificates in the listeners, so /config_dump's dynamic_listeners holds them"),
            new TrustBundleSource(
                    TrustBundleSource.HTTP_JSON,
                    "/v1/connect/ca/roots",
                    "X-Consul-Token",
                    "Roots",
                    "RootCert",
                    "TrustDomain",
                    "the Connect CA roots of the Consul servers (/v1/connect/ca/roots)"),
            new RemediationDialect(
                    "for Consul, add the root to the roots the Connect CA serves (/v1/connect/ca/roots: configure the CA with"
                            + " the additional trusted root, or establish cluster peering) so the proxies receive it over xDS",
                    "point the Consul upstream at the remote identity (peered service / terminating gateway with the"
                            + " SPIFFE ID the remote mesh issues, {template})",
                    "Consul: intentions / peer trust domain",
                    "the Consul CA and the proxy's leaf-cert watch",
                    "call {service} through the Consul sidecar upstream so the proxy presents its leaf certificate",
                    "Consul service mesh proxy",
                    "Consul upstream through the sidecar",
                    "Consul proxy-defaults or mesh config entry TLS.Incoming/Outgoing TLSMinVersion, TLSMaxVersion and"
                            + " CipherSuites",
                    "Consul ingress/terminating gateway listener in TLS passthrough for {service}",
                    "the upstream's destination / SNI in the Consul service-defaults"),
            0);

    private ConsulProfile() {}
}
