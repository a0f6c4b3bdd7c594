package dev.meshlens.events.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mesh meshlens has no profile for (wire name {@code other}): plain Envoy. Its presets are Envoy's own
 * default format and a JSON mapping of the key names people commonly use; its names are plain hosts; SPIFFE
 * IDs stay generic.
 */
public final class EnvoyProfile {
    public static final String NAME = "other";

    /** Envoy's own default format. */
    public static final String DEFAULT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

    /** A JSON mapping of the key names people commonly use, for auto-detection of unknown JSON logs. */
    public static final Map<String, String> GENERIC_JSON_FORMAT;

    static {
        Map<String, String> g = new LinkedHashMap<>(IstioProfile.JSON_FORMAT);
        g.put("downstream_transport_failure_reason", "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%");
        g.put("downstream_peer_uri_san", "%DOWNSTREAM_PEER_URI_SAN%");
        g.put("downstream_local_uri_san", "%DOWNSTREAM_LOCAL_URI_SAN%");
        g.put("upstream_peer_uri_san", "%UPSTREAM_PEER_URI_SAN%");
        g.put("upstream_local_uri_san", "%UPSTREAM_LOCAL_URI_SAN%");
        g.put("downstream_peer_issuer", "%DOWNSTREAM_PEER_ISSUER%");
        g.put("downstream_peer_subject", "%DOWNSTREAM_PEER_SUBJECT%");
        g.put("upstream_peer_issuer", "%UPSTREAM_PEER_ISSUER%");
        g.put("upstream_peer_subject", "%UPSTREAM_PEER_SUBJECT%");
        g.put("downstream_tls_version", "%DOWNSTREAM_TLS_VERSION%");
        g.put("upstream_tls_version", "%UPSTREAM_TLS_VERSION%");
        g.put("filter_chain_name", "%FILTER_CHAIN_NAME%");
        g.put("x-envoy-origin-path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
        g.put("timestamp", "%START_TIME%");
        g.put("@timestamp", "%START_TIME%");
        g.put("status", "%RESPONSE_CODE%");
        GENERIC_JSON_FORMAT = Collections.unmodifiableMap(g);
    }

    public static final AccessLogPreset TEXT =
            AccessLogPreset.text("envoy", List.of("envoy-default"), DEFAULT_FORMAT, "Envoy's own default format");
    public static final AccessLogPreset JSON = AccessLogPreset.json(
            "envoy-json", List.of("json"), GENERIC_JSON_FORMAT, "JSON with the key names people commonly use");

    public static final MeshProfile PROFILE = new MeshProfile(
            NAME,
            "Envoy",
            List.of(),
            List.of(TEXT, JSON),
            List.of(),
            ServiceNaming.PLAIN,
            AdminEndpoints.envoy(
                    null,
                    List.of("dynamic_active_secrets", "dynamic_listeners"),
                    "wherever the Envoy's admin.address listens"),
            TrustBundleSource.pem("the validation context's trusted_ca file"),
            RemediationDialect.ENVOY,
            0);

    private EnvoyProfile() {}
}
