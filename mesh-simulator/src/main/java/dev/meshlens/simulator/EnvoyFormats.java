package dev.meshlens.simulator;

/**
 * The access-log formats the simulated Envoys write. Istio's default text format (1.9+) and
 * Consul's default JSON access log ({@code proxy-defaults} {@code AccessLogs { Enabled = true }}).
 * Listener logs for failed inbound handshakes are off by default in both meshes; when the
 * simulator turns them on it writes them to a separate file with the default format plus
 * {@code %DOWNSTREAM_TRANSPORT_FAILURE_REASON%} (the field only listener logs can fill).
 */
public final class EnvoyFormats {
    private EnvoyFormats() {}

    public static final String ISTIO_TEXT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" "
            + "\"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% "
            + "%DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";

    /** Istio listener access log as the simulator writes it: the default text format + the downstream TLS failure. */
    public static final String ISTIO_LISTENER_TEXT =
            ISTIO_TEXT.substring(0, ISTIO_TEXT.length() - 1) + " \"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\"\n";

    /** Consul's default JSON access log format (field order as Consul documents it). */
    public static final String CONSUL_JSON = "{\n"
            + "  \"start_time\": \"%START_TIME%\",\n"
            + "  \"route_name\": \"%ROUTE_NAME%\",\n"
            + "  \"method\": \"%REQ(:METHOD)%\",\n"
            + "  \"path\": \"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%\",\n"
            + "  \"protocol\": \"%PROTOCOL%\",\n"
            + "  \"response_code\": \"%RESPONSE_CODE%\",\n"
            + "  \"response_flags\": \"%RESPONSE_FLAGS%\",\n"
            + "  \"response_code_details\": \"%RESPONSE_CODE_DETAILS%\",\n"
            + "  \"connection_termination_details\": \"%CONNECTION_TERMINATION_DETAILS%\",\n"
            + "  \"bytes_received\": \"%BYTES_RECEIVED%\",\n"
            + "  \"bytes_sent\": \"%BYTES_SENT%\",\n"
            + "  \"duration\": \"%DURATION%\",\n"
            + "  \"upstream_service_time\": \"%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%\",\n"
            + "  \"x_forwarded_for\": \"%REQ(X-FORWARDED-FOR)%\",\n"
            + "  \"user_agent\": \"%REQ(USER-AGENT)%\",\n"
            + "  \"request_id\": \"%REQ(X-REQUEST-ID)%\",\n"
            + "  \"authority\": \"%REQ(:AUTHORITY)%\",\n"
            + "  \"upstream_host\": \"%UPSTREAM_HOST%\",\n"
            + "  \"upstream_cluster\": \"%UPSTREAM_CLUSTER%\",\n"
            + "  \"upstream_local_address\": \"%UPSTREAM_LOCAL_ADDRESS%\",\n"
            + "  \"downstream_local_address\": \"%DOWNSTREAM_LOCAL_ADDRESS%\",\n"
            + "  \"downstream_remote_address\": \"%DOWNSTREAM_REMOTE_ADDRESS%\",\n"
            + "  \"requested_server_name\": \"%REQUESTED_SERVER_NAME%\",\n"
            + "  \"upstream_transport_failure_reason\": \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\"\n"
            + "}";

    /** Consul listener log as the simulator writes it: the default JSON + downstream_transport_failure_reason. */
    public static final String CONSUL_LISTENER_JSON = CONSUL_JSON.substring(0, CONSUL_JSON.length() - 2)
            + ",\n  \"downstream_transport_failure_reason\": \"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\"\n}";
}
