package dev.meshlens.events.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Istio: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>} identities, the default TEXT and
 * JSON access logs, {@code outbound|port|subset|host} clusters and {@code outbound_.port_.subset_.host} SNI,
 * istiod's root in the {@code istio-ca-root-cert} ConfigMap, and its resources as remediation words.
 */
public final class IstioProfile {
    public static final String NAME = "istio";

    /** Istio 1.9 and later, default text format (meshConfig.accessLogEncoding TEXT). */
    public static final String TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% "
            + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
            + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    /** Istio before 1.9 (mixer status where 1.9 has response code details). */
    public static final String PRE_1_9_TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% "
            + "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
            + "\"%DYNAMIC_METADATA(istio.mixer:status)%\" \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% "
            + "%BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
            + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" "
            + "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
            + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    /** Istio's JSON encoding (meshConfig.accessLogEncoding JSON); Consul took the same keys and operators. */
    public static final Map<String, String> JSON_FORMAT = ordered(
            "start_time", "%START_TIME%",
            "route_name", "%ROUTE_NAME%",
            "method", "%REQ(:METHOD)%",
            "path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
            "protocol", "%PROTOCOL%",
            "response_code", "%RESPONSE_CODE%",
            "response_flags", "%RESPONSE_FLAGS%",
            "response_code_details", "%RESPONSE_CODE_DETAILS%",
            "connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%",
            "bytes_received", "%BYTES_RECEIVED%",
            "bytes_sent", "%BYTES_SENT%",
            "duration", "%DURATION%",
            "upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%",
            "x_forwarded_for", "%REQ(X-FORWARDED-FOR)%",
            "user_agent", "%REQ(USER-AGENT)%",
            "request_id", "%REQ(X-REQUEST-ID)%",
            "authority", "%REQ(:AUTHORITY)%",
            "upstream_host", "%UPSTREAM_HOST%",
            "upstream_cluster", "%UPSTREAM_CLUSTER%",
            "upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%",
            "downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%",
            "downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%",
            "requested_server_name", "%REQUESTED_SERVER_NAME%",
            "upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%");

    /**
     * Retries of Istio's default HTTP retry policy: two on connect-failure (istio/istio
     * {@code pilot/pkg/networking/core/route/retry}: {@code NumRetries: 2}, {@code RetryOn:
     * "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"}). A VirtualService with
     * other {@code retries.attempts} makes the count wrong for its routes; the line itself does not say.
     */
    static final int DEFAULT_HTTP_RETRIES = 2;

    public static final AccessLogPreset TEXT = AccessLogPreset.text(
            NAME,
            List.of("istio-text"),
            TEXT_FORMAT,
            "Istio 1.9+ default TEXT access log (meshConfig.accessLogEncoding TEXT)");
    public static final AccessLogPreset PRE_1_9 = AccessLogPreset.text(
            "istio-pre-1.9", List.of("istio-legacy", "istio-1.8"), PRE_1_9_TEXT_FORMAT, "Istio before 1.9");
    public static final AccessLogPreset JSON = AccessLogPreset.json(
            "istio-json", List.of(), JSON_FORMAT, "Istio JSON access log (meshConfig.accessLogEncoding JSON)");

    public static final NamingTemplate IDENTITY =
            NamingTemplate.of(NAME, "spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>", "service-account");

    /** The clusters Istio's sidecars always have (passthrough and black hole for unknown destinations). */
    static final Set<String> FIXED_CLUSTERS = Set.of(
            "PassthroughCluster", "BlackHoleCluster", "InboundPassthroughClusterIpv4", "InboundPassthroughClusterIpv6");

    /** How Istio names clusters and SNI. */
    static final ServiceNaming NAMING = new ServiceNaming() {
        @Override
        public String hostName(String service, String namespace) {
            return service + "." + (namespace == null ? "default" : namespace) + ".svc.cluster.local";
        }

        @Override
        public String serviceOf(String name) {
            String host = hostOf(name);
            if (host == null) {
                return null;
            }
            String s = Hosts.firstLabel(host);
            return s == null ? "" : s;
        }

        /** Also Istio's fixed clusters for traffic to unknown destinations. */
        @Override
        public boolean recognises(String name) {
            return hostOf(name) != null || FIXED_CLUSTERS.contains(name);
        }

        @Override
        public Leg legOf(String cluster) {
            if (cluster == null) {
                return null;
            }
            if (cluster.startsWith("outbound|") || cluster.startsWith("outbound_")) {
                return Leg.OUTBOUND;
            }
            if (cluster.startsWith("inbound|") || cluster.startsWith("inbound_")) {
                return Leg.LOCAL_APP;
            }
            return null;
        }

        /**
         * {@code outbound|<port>|<subset>|<name>.<namespace>.svc.<domain>}: Istio originates its mutual TLS (auto
         * mTLS) only to endpoints that carry {@code security.istio.io/tlsMode: istio}, the label its sidecar
         * injector puts on the pods it injects, so the server of a failed handshake to such a service is a
         * sidecar of the same mesh. Services of another mesh reach an Istio client through ServiceEntry hosts.
         */
        @Override
        public boolean namesOwnMeshService(String cluster) {
            if (cluster == null || !(cluster.startsWith("outbound|") || cluster.startsWith("outbound_."))) {
                return false;
            }
            String host = hostOf(cluster);
            String[] labels =
                    host == null ? new String[0] : host.toLowerCase(Locale.ROOT).split("\\.", -1);
            return labels.length >= 4 && labels[2].equals("svc") && !labels[0].isEmpty() && !labels[1].isEmpty();
        }
    };

    /**
     * The host inside an Istio cluster or SNI name ({@code outbound|port|subset|host}, {@code inbound|port||},
     * {@code outbound_.port_.subset_.host}), "" when it names none, null when the name is not Istio's.
     */
    static String hostOf(String name) {
        if (name == null) {
            return null;
        }
        if (name.indexOf('|') >= 0) {
            return name.substring(name.lastIndexOf('|') + 1);
        }
        if (name.startsWith("outbound_.") || name.startsWith("inbound_.")) {
            String prefix = name.startsWith("outbound_.") ? "outbound_." : "inbound_.";
            int idx = name.indexOf("_.", name.indexOf("_.", prefix.length()) + 2);
            return idx >= 0 ? name.substring(idx + 2) : "";
        }
        return null;
    }

    public static final MeshProfile PROFILE = new MeshProfile(
            NAME,
            "Istio",
            List.of(IDENTITY),
            List.of(TEXT, PRE_1_9, JSON),
            List.of(),
            NAMING,
            AdminEndpoints.envoy(
                    "http://127.0.0.1:15000",
                    List.of("dynamic_active_secrets", "dynamic_listeners"),
                    "pilot-agent binds the sidecar's Envoy admin to localhost:15000 inside the pod (kubectl port-forward"
                            + " or a collector in the pod); certificates arrive over SDS, so /config_dump's"
                            + " dynamic_active_secrets holds them"),
            TrustBundleSource.pem("istiod's root: the istio-ca-root-cert ConfigMap (root-cert.pem) in every namespace,"
                    + " or the cacerts secret of istio-system; mount it and read it as a PEM file"),
            new RemediationDialect(
                    "for Istio, add the root to the trust anchors istiod distributes (meshConfig.caCertificates or the cacerts"
                            + " secret's root-cert.pem / a ClusterTrustBundle) and let the sidecars pick it up over SDS",
                    "set subjectAltNames on the ServiceEntry (or DestinationRule tls.subjectAltNames) for the remote service to"
                            + " the SPIFFE ID the remote mesh issues ({template})",
                    "Istio: meshConfig.trustDomainAliases, AuthorizationPolicy principals",
                    "istiod / the sidecar's SDS",
                    "Istio DestinationRule trafficPolicy.tls.mode ISTIO_MUTUAL (or MUTUAL with client certificates) for {service}",
                    "sidecar injected / PeerAuthentication STRICT",
                    "Istio DestinationRule tls.mode ISTIO_MUTUAL",
                    "Istio meshConfig.meshMTLS.minProtocolVersion / DestinationRule tls",
                    "Istio Gateway tls.mode PASSTHROUGH with the host {service}",
                    "ServiceEntry host / DestinationRule tls.sni"),
            DEFAULT_HTTP_RETRIES);

    private IstioProfile() {}

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
