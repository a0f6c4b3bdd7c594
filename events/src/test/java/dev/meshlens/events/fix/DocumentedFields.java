package dev.meshlens.events.fix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields Consul documents for each config entry kind a fix writes, and the fields of Istio's
 * MeshConfig a fix sets through istiod's Helm values (MeshConfig is not a CRD, so it is not in
 * crd-all.gen.yaml). One table: path → type, where a path is {@code Field}, {@code Field.Sub} or
 * {@code List[].Field}; a type is {@code string}, {@code bool}, {@code int}, {@code list},
 * {@code object}, {@code map} or {@code enum:A|B|...}. Only what was read in the docs cited per kind.
 */
final class DocumentedFields {
    private DocumentedFields() {}

    /** Where each kind's fields come from. */
    static final Map<String, String> DOCS = Map.of(
            "service-defaults", "https://developer.hashicorp.com/consul/docs/connect/config-entries/service-defaults",
            "proxy-defaults", "https://developer.hashicorp.com/consul/docs/connect/config-entries/proxy-defaults",
            "mesh", "https://developer.hashicorp.com/consul/docs/connect/config-entries/mesh",
            "terminating-gateway",
                    "https://developer.hashicorp.com/consul/docs/connect/config-entries/terminating-gateway",
            "ingress-gateway", "https://developer.hashicorp.com/consul/docs/connect/config-entries/ingress-gateway",
            "exported-services", "https://developer.hashicorp.com/consul/docs/connect/config-entries/exported-services",
            "MeshConfig", "https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/");

    private static final String TLS_VERSION = "enum:TLS_AUTO|TLSv1_0|TLSv1_1|TLSv1_2|TLSv1_3";
    private static final Map<String, String> COMMON =
            Map.of("Kind", "string", "Name", "string", "Namespace", "string", "Partition", "string", "Meta", "map");

    static final Map<String, Map<String, String>> FIELDS = Map.of(
            "service-defaults",
                    with(Map.ofEntries(
                            Map.entry("Protocol", "string"),
                            Map.entry("BalanceInboundConnections", "string"),
                            Map.entry("Mode", "enum:direct|transparent"),
                            Map.entry("UpstreamConfig", "object"),
                            Map.entry("TransparentProxy", "object"),
                            Map.entry("MutualTLSMode", "enum:strict|permissive"),
                            Map.entry("EnvoyExtensions", "list"),
                            Map.entry("Destination", "object"),
                            Map.entry("MaxInboundConnections", "int"),
                            Map.entry("LocalConnectTimeoutMs", "int"),
                            Map.entry("LocalRequestTimeoutMs", "int"),
                            Map.entry("MeshGateway", "object"),
                            Map.entry("ExternalSNI", "string"),
                            Map.entry("Expose", "object"),
                            Map.entry("RateLimits", "object"))),
            "proxy-defaults",
                    with(Map.of(
                            "Config",
                            "map",
                            "EnvoyExtensions",
                            "list",
                            "Mode",
                            "enum:direct|transparent",
                            "TransparentProxy",
                            "object",
                            "MutualTLSMode",
                            "enum:strict|permissive",
                            "MeshGateway",
                            "object",
                            "Expose",
                            "object",
                            "AccessLogs",
                            "object")),
            // the mesh entry is one per cluster: it has no Name
            "mesh",
                    Map.ofEntries(
                            Map.entry("Kind", "string"),
                            Map.entry("Namespace", "string"),
                            Map.entry("Partition", "string"),
                            Map.entry("Meta", "map"),
                            Map.entry("TransparentProxy", "object"),
                            Map.entry("TransparentProxy.MeshDestinationsOnly", "bool"),
                            Map.entry("AllowEnablingPermissiveMutualTLS", "bool"),
                            Map.entry("ValidateClusters", "bool"),
                            Map.entry("TLS", "object"),
                            Map.entry("TLS.Incoming", "object"),
                            Map.entry("TLS.Outgoing", "object"),
                            Map.entry("TLS.Incoming.TLSMinVersion", TLS_VERSION),
                            Map.entry("TLS.Incoming.TLSMaxVersion", TLS_VERSION),
                            Map.entry("TLS.Incoming.CipherSuites", "list"),
                            Map.entry("TLS.Outgoing.TLSMinVersion", TLS_VERSION),
                            Map.entry("TLS.Outgoing.TLSMaxVersion", TLS_VERSION),
                            Map.entry("TLS.Outgoing.CipherSuites", "list"),
                            Map.entry("HTTP", "object"),
                            Map.entry("Peering", "object"),
                            Map.entry("Peering.PeerThroughMeshGateways", "bool")),
            "terminating-gateway",
                    with(Map.of(
                            "Services",
                            "list",
                            "Services[].Name",
                            "string",
                            "Services[].Namespace",
                            "string",
                            "Services[].Partition",
                            "string",
                            "Services[].CAFile",
                            "string",
                            "Services[].CertFile",
                            "string",
                            "Services[].KeyFile",
                            "string",
                            "Services[].SNI",
                            "string",
                            "Services[].DisableAutoHostRewrite",
                            "bool")),
            "ingress-gateway",
                    with(Map.of(
                            "TLS",
                            "object",
                            "Defaults",
                            "object",
                            "Listeners",
                            "list",
                            "Listeners[].Port",
                            "int",
                            "Listeners[].Protocol",
                            "enum:tcp|http|http2|grpc",
                            "Listeners[].Services",
                            "list",
                            "Listeners[].Services[].Name",
                            "string",
                            "Listeners[].Services[].Hosts",
                            "list",
                            "Listeners[].Services[].Namespace",
                            "string",
                            "Listeners[].TLS",
                            "object")),
            "exported-services",
                    with(Map.of(
                            "Services",
                            "list",
                            "Services[].Name",
                            "string",
                            "Services[].Namespace",
                            "string",
                            "Services[].Consumers",
                            "list",
                            "Services[].Consumers[].Peer",
                            "string",
                            "Services[].Consumers[].Partition",
                            "string",
                            "Services[].Consumers[].SamenessGroup",
                            "string")),
            "MeshConfig",
                    Map.of(
                            "meshConfig",
                            "object",
                            "meshConfig.caCertificates",
                            "list",
                            "meshConfig.caCertificates[].pem",
                            "string",
                            "meshConfig.caCertificates[].spiffeBundleUrl",
                            "string",
                            "meshConfig.caCertificates[].certSigners",
                            "list",
                            "meshConfig.caCertificates[].trustDomains",
                            "list",
                            "meshConfig.meshMTLS",
                            "object",
                            "meshConfig.meshMTLS.minProtocolVersion",
                            "enum:TLS_AUTO|TLSV1_2|TLSV1_3",
                            "meshConfig.meshMTLS.ecdhCurves",
                            "list",
                            "meshConfig.meshMTLS.cipherSuites",
                            "list"));

    private static Map<String, String> with(Map<String, String> own) {
        Map<String, String> all = new HashMap<>(COMMON);
        all.putAll(own);
        return Map.copyOf(all);
    }

    /** Every field of {@code doc} that the kind's table does not document, or documents with another type. */
    static List<String> problems(String kind, Map<String, Object> doc) {
        Map<String, String> fields = FIELDS.get(kind);
        if (fields == null) {
            return List.of("kind '" + kind + "' has no documented-field table");
        }
        List<String> out = new ArrayList<>();
        walk(fields, doc, "", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Map<String, String> fields, Map<String, Object> obj, String prefix, List<String> out) {
        for (Map.Entry<String, Object> e : obj.entrySet()) {
            String path = prefix + e.getKey();
            String type = fields.get(path);
            if (type == null) {
                out.add(path + ": not a documented field");
                continue;
            }
            Object v = e.getValue();
            boolean ok = switch (type.startsWith("enum:") ? "enum" : type) {
                case "string" -> v instanceof String;
                case "bool" -> v instanceof Boolean;
                case "int" -> v instanceof Integer || v instanceof Long;
                case "list" -> v instanceof List;
                case "object", "map" -> v instanceof Map;
                case "enum" -> List.of(type.substring(5).split("\\|")).contains(v);
                default -> false;
            };
            if (!ok) {
                out.add(path + ": " + v + " is not " + type);
                continue;
            }
            if (v instanceof Map<?, ?> m && type.equals("object")) {
                walk(fields, (Map<String, Object>) m, path + ".", out);
            } else if (v instanceof List<?> l) {
                for (Object item : l) {
                    if (item instanceof Map<?, ?> m) {
                        walk(fields, (Map<String, Object>) m, path + "[].", out);
                    }
                }
            }
        }
    }
}
