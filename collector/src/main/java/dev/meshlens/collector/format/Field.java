package dev.meshlens.collector.format;

/**
 * Semantic slots an access-log field can fill. Several Envoy commands map to one slot (for example
 * {@code %UPSTREAM_CLUSTER%} and {@code %UPSTREAM_CLUSTER_RAW%}); commands meshlens does not interpret
 * map to {@link #OTHER} and are kept as attributes under their command text.
 */
public enum Field {
    START_TIME,
    METHOD,
    PATH,
    PROTOCOL,
    RESPONSE_CODE,
    RESPONSE_FLAGS,
    RESPONSE_CODE_DETAILS,
    CONNECTION_TERMINATION_DETAILS,
    UPSTREAM_TRANSPORT_FAILURE_REASON,
    DOWNSTREAM_TRANSPORT_FAILURE_REASON,
    BYTES_RECEIVED,
    BYTES_SENT,
    DURATION,
    FORWARDED_FOR,
    USER_AGENT,
    REQUEST_ID,
    AUTHORITY,
    UPSTREAM_HOST,
    UPSTREAM_CLUSTER,
    UPSTREAM_LOCAL_ADDRESS,
    DOWNSTREAM_LOCAL_ADDRESS,
    DOWNSTREAM_REMOTE_ADDRESS,
    REQUESTED_SERVER_NAME,
    ROUTE_NAME,
    DOWNSTREAM_PEER_URI_SAN,
    DOWNSTREAM_LOCAL_URI_SAN,
    UPSTREAM_PEER_URI_SAN,
    UPSTREAM_LOCAL_URI_SAN,
    DOWNSTREAM_PEER_ISSUER,
    DOWNSTREAM_PEER_SUBJECT,
    UPSTREAM_PEER_ISSUER,
    UPSTREAM_PEER_SUBJECT,
    DOWNSTREAM_TLS_VERSION,
    UPSTREAM_TLS_VERSION,
    FILTER_CHAIN_NAME,
    /** A command meshlens does not interpret; kept as an attribute. */
    OTHER;

    static final Field[] VALUES = values();
    /** Fields whose value must be a number (or absent) for a line to fit. */
    boolean numeric() {
        return this == RESPONSE_CODE || this == BYTES_RECEIVED || this == BYTES_SENT || this == DURATION;
    }
}
