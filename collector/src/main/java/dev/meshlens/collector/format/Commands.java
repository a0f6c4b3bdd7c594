package dev.meshlens.collector.format;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The built-in command table (name to syntax and semantic field) and one syntax checker, in the
 * manner of Envoy's formatter: a chain of small parsers (user-supplied first, then the built-ins),
 * each returning null for names it does not know. Used at load time only.
 */
public final class Commands {
    /** How a command takes its argument. */
    public enum Args {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    /** A parsed command operator. */
    public record Spec(String name, Args args, Field field) {}

    /** A parser of command names; returns null ("not mine") for names it does not know. */
    @FunctionalInterface
    public interface CommandParser {
        Spec lookup(String name);
    }

    private static final Map<String, Spec> BUILT_IN = new HashMap<>();

    private static void none(String name, Field f) {
        BUILT_IN.put(name, new Spec(name, Args.NONE, f));
    }

    private static void opt(String name, Field f) {
        BUILT_IN.put(name, new Spec(name, Args.OPTIONAL, f));
    }

    private static void req(String name) {
        BUILT_IN.put(name, new Spec(name, Args.REQUIRED, Field.OTHER));
    }

    static {
        opt("START_TIME", Field.START_TIME);
        opt("EMIT_TIME", Field.OTHER);
        none("PROTOCOL", Field.PROTOCOL);
        none("RESPONSE_CODE", Field.RESPONSE_CODE);
        none("RESPONSE_CODE_DETAILS", Field.RESPONSE_CODE_DETAILS);
        none("CONNECTION_TERMINATION_DETAILS", Field.CONNECTION_TERMINATION_DETAILS);
        none("RESPONSE_FLAGS", Field.RESPONSE_FLAGS);
        none("RESPONSE_FLAGS_LONG", Field.OTHER);
        none("BYTES_RECEIVED", Field.BYTES_RECEIVED);
        none("BYTES_SENT", Field.BYTES_SENT);
        none("DURATION", Field.DURATION);
        none("UPSTREAM_HOST", Field.UPSTREAM_HOST);
        none("UPSTREAM_CLUSTER", Field.UPSTREAM_CLUSTER);
        none("UPSTREAM_CLUSTER_RAW", Field.UPSTREAM_CLUSTER);
        none("UPSTREAM_LOCAL_ADDRESS", Field.UPSTREAM_LOCAL_ADDRESS);
        none("UPSTREAM_TRANSPORT_FAILURE_REASON", Field.UPSTREAM_TRANSPORT_FAILURE_REASON);
        none("DOWNSTREAM_TRANSPORT_FAILURE_REASON", Field.DOWNSTREAM_TRANSPORT_FAILURE_REASON);
        none("DOWNSTREAM_LOCAL_ADDRESS", Field.DOWNSTREAM_LOCAL_ADDRESS);
        none("DOWNSTREAM_REMOTE_ADDRESS", Field.DOWNSTREAM_REMOTE_ADDRESS);
        none("DOWNSTREAM_DIRECT_REMOTE_ADDRESS", Field.DOWNSTREAM_REMOTE_ADDRESS);
        none("REQUESTED_SERVER_NAME", Field.REQUESTED_SERVER_NAME);
        none("ROUTE_NAME", Field.ROUTE_NAME);
        none("FILTER_CHAIN_NAME", Field.FILTER_CHAIN_NAME);
        none("DOWNSTREAM_PEER_URI_SAN", Field.DOWNSTREAM_PEER_URI_SAN);
        none("DOWNSTREAM_LOCAL_URI_SAN", Field.DOWNSTREAM_LOCAL_URI_SAN);
        none("UPSTREAM_PEER_URI_SAN", Field.UPSTREAM_PEER_URI_SAN);
        none("UPSTREAM_LOCAL_URI_SAN", Field.UPSTREAM_LOCAL_URI_SAN);
        none("DOWNSTREAM_PEER_ISSUER", Field.DOWNSTREAM_PEER_ISSUER);
        none("DOWNSTREAM_PEER_SUBJECT", Field.DOWNSTREAM_PEER_SUBJECT);
        none("UPSTREAM_PEER_ISSUER", Field.UPSTREAM_PEER_ISSUER);
        none("UPSTREAM_PEER_SUBJECT", Field.UPSTREAM_PEER_SUBJECT);
        none("DOWNSTREAM_TLS_VERSION", Field.DOWNSTREAM_TLS_VERSION);
        none("UPSTREAM_TLS_VERSION", Field.UPSTREAM_TLS_VERSION);
        for (String n : List.of(
                "UPSTREAM_PROTOCOL",
                "BYTES_RETRANSMITTED",
                "PACKETS_RETRANSMITTED",
                "UPSTREAM_WIRE_BYTES_SENT",
                "UPSTREAM_WIRE_BYTES_RECEIVED",
                "UPSTREAM_HEADER_BYTES_SENT",
                "UPSTREAM_HEADER_BYTES_RECEIVED",
                "DOWNSTREAM_WIRE_BYTES_SENT",
                "DOWNSTREAM_WIRE_BYTES_RECEIVED",
                "DOWNSTREAM_HEADER_BYTES_SENT",
                "DOWNSTREAM_HEADER_BYTES_RECEIVED",
                "REQUEST_DURATION",
                "REQUEST_TX_DURATION",
                "RESPONSE_DURATION",
                "RESPONSE_TX_DURATION",
                "DOWNSTREAM_HANDSHAKE_DURATION",
                "ROUNDTRIP_DURATION",
                "UPSTREAM_HOST_NAME",
                "UPSTREAM_HOST_NAME_WITHOUT_PORT",
                "UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT",
                "UPSTREAM_LOCAL_PORT",
                "UPSTREAM_REMOTE_ADDRESS",
                "UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT",
                "UPSTREAM_REMOTE_PORT",
                "UPSTREAM_REQUEST_ATTEMPT_COUNT",
                "UPSTREAM_CONNECTION_ID",
                "UPSTREAM_CONNECTION_POOL_READY_DURATION",
                "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT",
                "DOWNSTREAM_REMOTE_PORT",
                "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT",
                "DOWNSTREAM_DIRECT_REMOTE_PORT",
                "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT",
                "DOWNSTREAM_LOCAL_PORT",
                "DOWNSTREAM_DIRECT_LOCAL_ADDRESS",
                "DOWNSTREAM_DIRECT_LOCAL_ADDRESS_WITHOUT_PORT",
                "DOWNSTREAM_DIRECT_LOCAL_PORT",
                "DOWNSTREAM_LOCAL_ADDRESS_ENDPOINT_ID",
                "DOWNSTREAM_REMOTE_ADDRESS_ENDPOINT_ID",
                "CONNECTION_ID",
                "VIRTUAL_CLUSTER_NAME",
                "DOWNSTREAM_PEER_DNS_SAN",
                "DOWNSTREAM_PEER_IP_SAN",
                "DOWNSTREAM_PEER_EMAIL_SAN",
                "DOWNSTREAM_PEER_OTHERNAME_SAN",
                "DOWNSTREAM_LOCAL_DNS_SAN",
                "DOWNSTREAM_LOCAL_IP_SAN",
                "DOWNSTREAM_LOCAL_EMAIL_SAN",
                "DOWNSTREAM_LOCAL_OTHERNAME_SAN",
                "DOWNSTREAM_LOCAL_SUBJECT",
                "DOWNSTREAM_TLS_SESSION_ID",
                "DOWNSTREAM_TLS_CIPHER",
                "DOWNSTREAM_PEER_FINGERPRINT_256",
                "DOWNSTREAM_PEER_FINGERPRINT_1",
                "DOWNSTREAM_PEER_SERIAL",
                "DOWNSTREAM_PEER_CERT",
                "DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_256",
                "DOWNSTREAM_PEER_CHAIN_FINGERPRINTS_1",
                "DOWNSTREAM_PEER_CHAIN_SERIALS",
                "DOWNSTREAM_TLS_JA3_FINGERPRINT",
                "TLS_JA3_FINGERPRINT",
                "DOWNSTREAM_TLS_JA4_FINGERPRINT",
                "TLS_JA4_FINGERPRINT",
                "UPSTREAM_PEER_DNS_SAN",
                "UPSTREAM_PEER_IP_SAN",
                "UPSTREAM_LOCAL_DNS_SAN",
                "UPSTREAM_LOCAL_IP_SAN",
                "UPSTREAM_LOCAL_SUBJECT",
                "UPSTREAM_TLS_SESSION_ID",
                "UPSTREAM_TLS_CIPHER",
                "UPSTREAM_PEER_CERT",
                "HOSTNAME",
                "LOCAL_REPLY_BODY",
                "ACCESS_LOG_TYPE",
                "UNIQUE_ID",
                "STREAM_ID",
                "GRPC_STATUS_NUMBER",
                "TRACE_ID",
                "SPAN_ID",
                "CUSTOM_FLAGS",
                "UPSTREAM_DETECTED_CLOSE_TYPE",
                "DOWNSTREAM_DETECTED_CLOSE_TYPE",
                "REQUEST_HEADERS_BYTES",
                "RESPONSE_HEADERS_BYTES",
                "RESPONSE_TRAILERS_BYTES",
                "UPSTREAM_CLUSTER_RAW_NAME")) {
            none(n, Field.OTHER);
        }
        for (String n : List.of(
                "GRPC_STATUS",
                "DOWNSTREAM_PEER_CERT_V_START",
                "DOWNSTREAM_PEER_CERT_V_END",
                "UPSTREAM_PEER_CERT_V_START",
                "UPSTREAM_PEER_CERT_V_END",
                "PATH",
                "SYSTEM_TIME")) {
            opt(n, Field.OTHER);
        }
        for (String n : List.of(
                "REQ",
                "RESP",
                "TRAILER",
                "REQUEST_HEADER",
                "RESPONSE_HEADER",
                "RESPONSE_TRAILER",
                "DYNAMIC_METADATA",
                "CLUSTER_METADATA",
                "UPSTREAM_METADATA",
                "FILTER_STATE",
                "UPSTREAM_FILTER_STATE",
                "ENVIRONMENT",
                "CEL",
                "METADATA",
                "REQ_WITHOUT_QUERY",
                "QUERY_PARAM",
                "COMMON_DURATION")) {
            req(n);
        }
    }

    /** The built-in parser. */
    public static final CommandParser BUILT_INS = BUILT_IN::get;

    /**
     * Commands no Envoy writes but some mesh's control plane fills in before Envoy sees the format (Kuma's
     * {@code %KUMA_SOURCE_SERVICE%}; the mesh profiles list them): by the time a line is written they are
     * literals, so they parse as text without meaning.
     */
    public static final CommandParser CONTROL_PLANE = controlPlane();

    private static CommandParser controlPlane() {
        Set<String> names = dev.meshlens.events.mesh.MeshProfiles.controlPlaneCommands();
        return name -> names.contains(name) ? new Spec(name, Args.NONE, Field.OTHER) : null;
    }

    private Commands() {}

    /** The semantic field of a whole operator, taking header arguments into account. */
    static Field fieldOf(Spec spec, String arg) {
        if (spec.field() != Field.OTHER || arg == null) {
            return spec.field();
        }
        String n = spec.name();
        if (!(n.equals("REQ") || n.equals("REQUEST_HEADER") || n.equals("REQ_WITHOUT_QUERY"))) {
            return Field.OTHER;
        }
        // For A?B the first header names the field (X-ENVOY-ORIGINAL-PATH?:PATH is the path).
        String h = arg.toLowerCase(Locale.ROOT);
        int q = h.indexOf('?');
        String second = q >= 0 ? h.substring(q + 1) : h;
        return switch (second) {
            case ":method" -> Field.METHOD;
            case ":path", "x-envoy-original-path" -> Field.PATH;
            case ":authority", "host" -> Field.AUTHORITY;
            case "x-forwarded-for" -> Field.FORWARDED_FOR;
            case "user-agent" -> Field.USER_AGENT;
            case "x-request-id" -> Field.REQUEST_ID;
            default -> Field.OTHER;
        };
    }
}
