package dev.meshlens.events.mesh;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kuma (and Kong Mesh): {@code spiffe://<mesh>/<service>} identities (the trust domain is the mesh's name,
 * the path its {@code kuma.io/service} tag), the default MeshAccessLog formats with Kuma's own
 * {@code %KUMA_*%} placeholders, outbound clusters named after the {@code kuma.io/service} tag
 * ({@code <name>_<namespace>_svc_<port>} on Kubernetes), SNI {@code <service>{mesh=<mesh>}} (or the MeshService
 * forms), {@code localhost:<port>} for the local application, and the mesh's CA secret as trust bundle.
 * Sources: corpus/README.md R37-R45.
 */
public final class KumaProfile {
    public static final String NAME = "kuma";

    /**
     * MeshAccessLog's default format for HTTP traffic (kumahq/kuma
     * {@code pkg/plugins/policies/meshaccesslog/plugin/xds/configurer.go} {@code defaultHttpAccessLogFormat};
     * Kuma appends the newline). The {@code %KUMA_*%} commands are literals by the time Envoy writes.
     */
    public static final String HTTP_FORMAT = "[%START_TIME%] %KUMA_MESH% \"%REQ(:METHOD)% "
            + "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% "
            + "%BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
            + "\"%REQ(USER-AGENT)%\" \"%REQ(X-B3-TRACEID?X-DATADOG-TRACEID)%\" \"%REQ(X-REQUEST-ID)%\" "
            + "\"%REQ(:AUTHORITY)%\" \"%KUMA_SOURCE_SERVICE%\" \"%KUMA_DESTINATION_SERVICE%\" "
            + "\"%KUMA_SOURCE_ADDRESS_WITHOUT_PORT%\" \"%UPSTREAM_HOST%\"\n";

    /** MeshAccessLog's default format for TCP traffic ({@code defaultNetworkAccessLogFormat}, same file). */
    public static final String TCP_FORMAT = "[%START_TIME%] %RESPONSE_FLAGS% %KUMA_MESH% "
            + "%KUMA_SOURCE_ADDRESS_WITHOUT_PORT%(%KUMA_SOURCE_SERVICE%)->%UPSTREAM_HOST%(%KUMA_DESTINATION_SERVICE%) "
            + "took %DURATION%ms, sent %BYTES_SENT% bytes, received: %BYTES_RECEIVED% bytes\n";

    /**
     * The placeholders Kuma's control plane interpolates into a format before it reaches Envoy (kumahq/kuma
     * {@code pkg/xds/envoy/listeners/v3} {@code CMD_KUMA_*}).
     */
    static final List<String> PLACEHOLDERS = List.of(
            "KUMA_MESH",
            "KUMA_SOURCE_SERVICE",
            "KUMA_DESTINATION_SERVICE",
            "KUMA_SOURCE_ADDRESS",
            "KUMA_SOURCE_ADDRESS_WITHOUT_PORT",
            "KUMA_TRAFFIC_DIRECTION",
            "KUMA_ZONE",
            "KUMA_WORKLOAD");

    /**
     * Retries of the {@code mesh-retry-all-<mesh>} MeshRetry Kuma 2.x creates with every mesh: HTTP
     * {@code numRetries: 5} on gateway errors, connection failures and refused streams (Kuma 3.0 no longer
     * creates it: a mesh without it retries once, Envoy's default).
     */
    static final int DEFAULT_HTTP_RETRIES = 5;

    /** {@code kuma.io/service} of a Kubernetes service: {@code <name>_<namespace>_svc_<port>}. */
    private static final Pattern K8S_SERVICE_TAG =
            Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)_[a-z0-9-]+_svc_\\d+");
    /** MeshService / MeshExternalService / MeshMultiZoneService SNI: {@code a<fnv64a>.<name>.<port>.<mesh>.<ms|mes|mzms>}. */
    private static final Pattern RESOURCE_SNI =
            Pattern.compile("a[0-9a-f]{1,16}\\.([^.]+)\\.\\d+\\.[^.]+\\.(ms|mes|mzms)");
    /** KRI-derived SNI (MADR 101): {@code sni.<short>.<mesh>[.<zone>[.<namespace>]].<name>.<sectionName>}. */
    private static final Pattern KRI_SNI = Pattern.compile("sni\\.[a-z]+\\.[^.]+(\\.[^.]+){0,2}\\.([^.]+)\\.[^.]+");

    private static final Pattern LOCAL_CLUSTER = Pattern.compile("localhost:\\d+");

    /** The bare service of a {@code kuma.io/service} tag value ({@code backend_kuma-demo_svc_8080} is {@code backend}). */
    static String serviceOfTag(String tag) {
        String t = tag.toLowerCase(Locale.ROOT);
        Matcher m = K8S_SERVICE_TAG.matcher(t);
        return m.matches() ? m.group(1) : t;
    }

    public static final NamingTemplate IDENTITY =
            new NamingTemplate(NAME, "spiffe://<trust-domain>/<service>", "service", KumaProfile::serviceOfTag, null);

    static final ServiceNaming NAMING = new ServiceNaming() {
        @Override
        public String serviceOf(String name) {
            if (LOCAL_CLUSTER.matcher(name).matches()) {
                return "";
            }
            int brace = name.indexOf('{');
            if (brace > 0 && name.endsWith("}")) {
                // <kuma.io/service>{mesh=<mesh>,...} (pkg/xds/envoy/tls SNIFromTags)
                return serviceOfTag(name.substring(0, brace));
            }
            String h = Hosts.withoutPort(name);
            if (h == null) {
                return null;
            }
            String lower = h.toLowerCase(Locale.ROOT);
            Matcher m = RESOURCE_SNI.matcher(lower);
            if (m.matches()) {
                return m.group(1);
            }
            m = KRI_SNI.matcher(lower);
            if (m.matches()) {
                return m.group(2);
            }
            // <kuma.io/service>.mesh (Kuma's DNS) or the bare tag (an outbound cluster)
            String first = lower.endsWith(".mesh") ? lower.substring(0, lower.length() - ".mesh".length()) : lower;
            if (K8S_SERVICE_TAG.matcher(first).matches()) {
                return serviceOfTag(first);
            }
            return null;
        }

        @Override
        public Leg legOf(String cluster) {
            if (cluster == null) {
                return null;
            }
            if (LOCAL_CLUSTER.matcher(cluster).matches()) {
                return Leg.LOCAL_APP;
            }
            return K8S_SERVICE_TAG.matcher(cluster.toLowerCase(Locale.ROOT)).matches() ? Leg.OUTBOUND : null;
        }
    };

    public static final MeshProfile PROFILE = new MeshProfile(
            NAME,
            "Kuma",
            List.of(IDENTITY),
            List.of(
                    AccessLogPreset.text(
                            NAME,
                            List.of("kuma-http"),
                            HTTP_FORMAT,
                            "Kuma MeshAccessLog default format for HTTP traffic (%KUMA_*% interpolated by the control plane)"),
                    AccessLogPreset.text(
                            "kuma-tcp", List.of(), TCP_FORMAT, "Kuma MeshAccessLog default format for TCP traffic")),
            PLACEHOLDERS,
            NAMING,
            AdminEndpoints.envoy(
                    "http://127.0.0.1:9901",
                    List.of("dynamic_active_secrets", "dynamic_listeners"),
                    "kuma-dp starts Envoy with its admin on 127.0.0.1:9901 (kuma-dp run --admin-port); the identity"
                            + " certificate and mesh CA arrive as the SDS secrets identity_cert and mesh_ca"),
            TrustBundleSource.pem("the mesh's CA: the Kuma Secret <mesh>.ca-builtin-cert-<backend> of a builtin mTLS"
                    + " backend (kuma-system namespace on Kubernetes), the certificate of a provided backend, or the"
                    + " MeshTrust resources (Kuma 2.12+); export it as a PEM file"),
            new RemediationDialect(
                    "for Kuma, add the root to the mesh's trust: a MeshTrust with the other mesh's CA (Kuma 2.12+), or a"
                            + " provided mTLS backend whose CA bundle includes it",
                    "declare the remote service as a MeshExternalService with tls.verification.subjectAltNames set to the"
                            + " SPIFFE ID the remote mesh issues ({template})",
                    "Kuma: MeshTrafficPermission for the client's identity",
                    "the mesh's mTLS backend (builtin CA) and kuma-dp's certificate rotation",
                    "enable mTLS on the Kuma Mesh (mtls.enabledBackend) so the sidecar presents its identity to {service}",
                    "Mesh mtls.enabledBackend with mode STRICT",
                    "Kuma MeshExternalService tls.enabled",
                    "Kuma MeshTLS tlsVersion (min/max) and tlsCiphers",
                    "Kuma MeshGateway TLS passthrough listener for {service}",
                    "MeshExternalService tls.verification.serverName"),
            DEFAULT_HTTP_RETRIES);

    private KumaProfile() {}
}
