package dev.meshlens.collector.format;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Built-in formats: the access-log formats Istio, Consul and Envoy ship by default. */
public final class Presets {
  /** Istio 1.9 and later, default text format (meshConfig.accessLogEncoding TEXT). */
  public static final String ISTIO_TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
      + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
      + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
      + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
      + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% "
      + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
      + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

  /** Istio before 1.9 (mixer status where 1.9 has response code details). */
  public static final String ISTIO_PRE_1_9_TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% "
      + "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
      + "\"%DYNAMIC_METADATA(istio.mixer:status)%\" \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% "
      + "%BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
      + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" "
      + "%UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
      + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

  /** Envoy's own default format. */
  public static final String ENVOY_DEFAULT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
      + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
      + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
      + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";

  /** Istio's JSON encoding (meshConfig.accessLogEncoding JSON). */
  public static final Map<String, String> ISTIO_JSON_FORMAT = ordered(
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
   * Consul's default JSON access log (proxy-defaults AccessLogs with no JSONFormat): Consul took
   * Istio's JSON keys and operators as they are, so the two presets share one map.
   */
  public static final Map<String, String> CONSUL_JSON_FORMAT = ISTIO_JSON_FORMAT;

  /** A JSON mapping of the key names people commonly use, for auto-detection of unknown JSON logs. */
  public static final Map<String, String> GENERIC_JSON_FORMAT;

  static {
    Map<String, String> g = new LinkedHashMap<>(ISTIO_JSON_FORMAT);
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
    GENERIC_JSON_FORMAT = java.util.Collections.unmodifiableMap(g);
  }

  public static final TextFormat ISTIO = TextFormat.compile("istio", ISTIO_TEXT_FORMAT);
  public static final TextFormat ISTIO_PRE_1_9 = TextFormat.compile("istio-pre-1.9", ISTIO_PRE_1_9_TEXT_FORMAT);
  public static final TextFormat ENVOY = TextFormat.compile("envoy", ENVOY_DEFAULT_FORMAT);
  public static final JsonFormat ISTIO_JSON = JsonFormat.compile("istio-json", ISTIO_JSON_FORMAT);
  public static final JsonFormat CONSUL_JSON = JsonFormat.compile("consul-json", CONSUL_JSON_FORMAT);
  public static final JsonFormat GENERIC_JSON = JsonFormat.compile("envoy-json", GENERIC_JSON_FORMAT);

  /** Preset names accepted by {@link #resolve(String)}. */
  public static final List<String> NAMES = List.of("istio", "istio-pre-1.9", "istio-json", "consul-json", "envoy",
      "envoy-json");

  private Presets() {}

  /** A preset by name, or null. */
  public static LineFormat byName(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "istio", "istio-text" -> ISTIO;
      case "istio-pre-1.9", "istio-legacy", "istio-1.8" -> ISTIO_PRE_1_9;
      case "istio-json" -> ISTIO_JSON;
      case "consul-json", "consul" -> CONSUL_JSON;
      case "envoy", "envoy-default" -> ENVOY;
      case "envoy-json", "json" -> GENERIC_JSON;
      default -> null;
    };
  }

  /**
   * A preset name, a JSON object of key to operator, or a text format string.
   *
   * @throws FormatException when the format does not compile
   */
  public static LineFormat resolve(String presetOrFormat) {
    LineFormat p = byName(presetOrFormat);
    if (p != null) {
      return p;
    }
    String s = presetOrFormat.trim();
    if (s.startsWith("{")) {
      try {
        Map<String, String> m = new ObjectMapper().readValue(s, new TypeReference<LinkedHashMap<String, String>>() {});
        return JsonFormat.compile("custom-json", m);
      } catch (FormatException e) {
        throw e;
      } catch (Exception e) {
        throw new FormatException("JSON format is not an object of key to operator string: " + e.getMessage(), null,
            -1);
      }
    }
    if (s.indexOf('%') < 0) {
      throw new FormatException("'" + presetOrFormat + "' is neither a preset (" + String.join(", ", NAMES)
          + ") nor a format string with %COMMAND% operators", null, -1);
    }
    return TextFormat.compile("custom", presetOrFormat);
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
