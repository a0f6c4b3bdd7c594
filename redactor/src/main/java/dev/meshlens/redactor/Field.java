package dev.meshlens.redactor;

import dev.meshlens.events.MeshEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The event fields a policy can name, by their wire (snake_case) names. Extra headers are
 * {@code attributes.<name>} and are not listed here (see {@link #ATTRIBUTES_PREFIX}).
 */
public enum Field {
    SCHEMA_VERSION("schema_version", Kind.REQUIRED, null, null),
    EVENT_ID("event_id", Kind.REQUIRED, MeshEvent::eventId, null),
    OBSERVED_TIME("observed_time", Kind.REQUIRED, null, null),
    MESH_ID("mesh_id", Kind.REQUIRED, MeshEvent::meshId, null),
    SOURCE_KIND("source_kind", Kind.REQUIRED, null, null),
    MESH_KIND("mesh_kind", Kind.VALUE, MeshEvent::meshKind, (b, v) -> b.meshKind((dev.meshlens.events.MeshKind) v)),
    CLUSTER("cluster", Kind.STRING, MeshEvent::cluster, (b, v) -> b.cluster((String) v)),
    DIRECTION("direction", Kind.VALUE, MeshEvent::direction, (b, v) -> b.direction((dev.meshlens.events.Direction) v)),
    OBSERVER_ROLE(
            "observer_role",
            Kind.VALUE,
            MeshEvent::observerRole,
            (b, v) -> b.observerRole((dev.meshlens.events.ObserverRole) v)),
    DOWNSTREAM_REMOTE_ADDRESS(
            "downstream_remote_address",
            Kind.ADDRESS,
            MeshEvent::downstreamRemoteAddress,
            (b, v) -> b.downstreamRemoteAddress((String) v)),
    DOWNSTREAM_LOCAL_ADDRESS(
            "downstream_local_address",
            Kind.ADDRESS,
            MeshEvent::downstreamLocalAddress,
            (b, v) -> b.downstreamLocalAddress((String) v)),
    UPSTREAM_HOST("upstream_host", Kind.ADDRESS, MeshEvent::upstreamHost, (b, v) -> b.upstreamHost((String) v)),
    UPSTREAM_LOCAL_ADDRESS(
            "upstream_local_address",
            Kind.ADDRESS,
            MeshEvent::upstreamLocalAddress,
            (b, v) -> b.upstreamLocalAddress((String) v)),
    REQUESTED_SERVER_NAME(
            "requested_server_name",
            Kind.STRING,
            MeshEvent::requestedServerName,
            (b, v) -> b.requestedServerName((String) v)),
    AUTHORITY("authority", Kind.STRING, MeshEvent::authority, (b, v) -> b.authority((String) v)),
    METHOD("method", Kind.STRING, MeshEvent::method, (b, v) -> b.method((String) v)),
    PATH("path", Kind.PATH, MeshEvent::path, (b, v) -> b.path((String) v)),
    PROTOCOL("protocol", Kind.STRING, MeshEvent::protocol, (b, v) -> b.protocol((String) v)),
    USER_AGENT("user_agent", Kind.STRING, MeshEvent::userAgent, (b, v) -> b.userAgent((String) v)),
    REQUEST_ID("request_id", Kind.STRING, MeshEvent::requestId, (b, v) -> b.requestId((String) v)),
    FORWARDED_FOR("forwarded_for", Kind.ADDRESS, MeshEvent::forwardedFor, (b, v) -> b.forwardedFor((String) v)),
    RESPONSE_CODE("response_code", Kind.VALUE, MeshEvent::responseCode, (b, v) -> b.responseCode((Integer) v)),
    RESPONSE_FLAGS("response_flags", Kind.STRING, MeshEvent::responseFlags, (b, v) -> b.responseFlags((String) v)),
    RESPONSE_CODE_DETAILS(
            "response_code_details",
            Kind.STRING,
            MeshEvent::responseCodeDetails,
            (b, v) -> b.responseCodeDetails((String) v)),
    CONNECTION_TERMINATION_DETAILS(
            "connection_termination_details",
            Kind.STRING,
            MeshEvent::connectionTerminationDetails,
            (b, v) -> b.connectionTerminationDetails((String) v)),
    UPSTREAM_TRANSPORT_FAILURE_REASON(
            "upstream_transport_failure_reason",
            Kind.STRING,
            MeshEvent::upstreamTransportFailureReason,
            (b, v) -> b.upstreamTransportFailureReason((String) v)),
    DOWNSTREAM_TRANSPORT_FAILURE_REASON(
            "downstream_transport_failure_reason",
            Kind.STRING,
            MeshEvent::downstreamTransportFailureReason,
            (b, v) -> b.downstreamTransportFailureReason((String) v)),
    UPSTREAM_CLUSTER(
            "upstream_cluster", Kind.STRING, MeshEvent::upstreamCluster, (b, v) -> b.upstreamCluster((String) v)),
    LOCAL_URI_SAN("local_uri_san", Kind.STRING, MeshEvent::localUriSan, (b, v) -> b.localUriSan((String) v)),
    PEER_URI_SAN("peer_uri_san", Kind.STRING, MeshEvent::peerUriSan, (b, v) -> b.peerUriSan((String) v)),
    PEER_ISSUER("peer_issuer", Kind.STRING, MeshEvent::peerIssuer, (b, v) -> b.peerIssuer((String) v)),
    PEER_SUBJECT("peer_subject", Kind.STRING, MeshEvent::peerSubject, (b, v) -> b.peerSubject((String) v)),
    TLS_VERSION("tls_version", Kind.STRING, MeshEvent::tlsVersion, (b, v) -> b.tlsVersion((String) v)),
    DURATION_MS("duration_ms", Kind.VALUE, MeshEvent::durationMs, (b, v) -> b.durationMs((Long) v)),
    BYTES_RECEIVED("bytes_received", Kind.VALUE, MeshEvent::bytesReceived, (b, v) -> b.bytesReceived((Long) v)),
    BYTES_SENT("bytes_sent", Kind.VALUE, MeshEvent::bytesSent, (b, v) -> b.bytesSent((Long) v)),
    TLS_CATEGORY(
            "tls.category",
            Kind.TLS_VALUE,
            e -> e.tls() == null ? null : e.tls().category(),
            null),
    TLS_REJECTED_BY(
            "tls.rejected_by",
            Kind.TLS_VALUE,
            e -> e.tls() == null ? null : e.tls().rejectedBy(),
            null),
    TLS_CODE("tls.code", Kind.TLS_VALUE, e -> e.tls() == null ? null : e.tls().code(), null),
    TLS_REASON(
            "tls.reason", Kind.TLS_STRING, e -> e.tls() == null ? null : e.tls().reason(), null),
    TLS_DETAIL(
            "tls.detail", Kind.TLS_STRING, e -> e.tls() == null ? null : e.tls().detail(), null),
    TLS_RAW_TEXT(
            "tls.raw_text",
            Kind.TLS_STRING,
            e -> e.tls() == null ? null : e.tls().rawText(),
            null),
    STATS("stats", Kind.STRUCT, MeshEvent::stats, null),
    CERTIFICATES("certificates", Kind.STRUCT, e -> e.certificates().isEmpty() ? null : e.certificates(), null),
    TRUST_BUNDLE("trust_bundle", Kind.STRUCT, MeshEvent::trustBundle, null),
    ROLLUP("rollup", Kind.STRUCT, MeshEvent::rollup, null);

    /** Prefix of extra-header fields: {@code attributes.<header-name>}; {@code attributes.*} names all others. */
    public static final String ATTRIBUTES_PREFIX = "attributes.";

    /** What a field holds, which decides the actions it accepts. */
    public enum Kind {
        /** Required by the event schema: always published (detectors still run over strings). */
        REQUIRED,
        /** Enum or number: keep or drop. */
        VALUE,
        /** Free text. */
        STRING,
        /** An address or list of addresses (ip[:port], [v6]:port, comma-separated list). */
        ADDRESS,
        /** A request path with optional query string. */
        PATH,
        /** Part of the TLS failure, not a string. */
        TLS_VALUE,
        /** Part of the TLS failure, a string. */
        TLS_STRING,
        /** A nested structure (counters, certificate or trust-bundle metadata): keep or drop. */
        STRUCT;

        /** True when string actions (mask, hash, generalise) apply. */
        public boolean isText() {
            return this == STRING || this == ADDRESS || this == PATH || this == TLS_STRING;
        }
    }

    private static final Map<String, Field> BY_WIRE = new LinkedHashMap<>();

    static {
        for (Field f : values()) {
            BY_WIRE.put(f.wire, f);
        }
    }

    private final String wire;
    private final Kind kind;
    private final Function<MeshEvent, Object> getter;
    private final BiConsumer<MeshEvent.Builder, Object> setter;

    @SuppressWarnings("unchecked")
    Field(String wire, Kind kind, Function<MeshEvent, ?> getter, BiConsumer<MeshEvent.Builder, Object> setter) {
        this.wire = wire;
        this.kind = kind;
        this.getter = (Function<MeshEvent, Object>) getter;
        this.setter = setter;
    }

    /** The wire name, e.g. {@code downstream_remote_address}. */
    public String wireName() {
        return wire;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The value in {@code e}, or null when absent (required fields that are not strings return null).
     * A switch rather than the stored lambda: one monomorphic call site on the hot path.
     */
    public Object get(MeshEvent e) {
        return switch (this) {
            case EVENT_ID -> e.eventId();
            case MESH_ID -> e.meshId();
            case SCHEMA_VERSION, OBSERVED_TIME, SOURCE_KIND -> null;
            case MESH_KIND -> e.meshKind();
            case CLUSTER -> e.cluster();
            case DIRECTION -> e.direction();
            case OBSERVER_ROLE -> e.observerRole();
            case DOWNSTREAM_REMOTE_ADDRESS -> e.downstreamRemoteAddress();
            case DOWNSTREAM_LOCAL_ADDRESS -> e.downstreamLocalAddress();
            case UPSTREAM_HOST -> e.upstreamHost();
            case UPSTREAM_LOCAL_ADDRESS -> e.upstreamLocalAddress();
            case REQUESTED_SERVER_NAME -> e.requestedServerName();
            case AUTHORITY -> e.authority();
            case METHOD -> e.method();
            case PATH -> e.path();
            case PROTOCOL -> e.protocol();
            case USER_AGENT -> e.userAgent();
            case REQUEST_ID -> e.requestId();
            case FORWARDED_FOR -> e.forwardedFor();
            case RESPONSE_CODE -> e.responseCode();
            case RESPONSE_FLAGS -> e.responseFlags();
            case RESPONSE_CODE_DETAILS -> e.responseCodeDetails();
            case CONNECTION_TERMINATION_DETAILS -> e.connectionTerminationDetails();
            case UPSTREAM_TRANSPORT_FAILURE_REASON -> e.upstreamTransportFailureReason();
            case DOWNSTREAM_TRANSPORT_FAILURE_REASON -> e.downstreamTransportFailureReason();
            case UPSTREAM_CLUSTER -> e.upstreamCluster();
            case LOCAL_URI_SAN -> e.localUriSan();
            case PEER_URI_SAN -> e.peerUriSan();
            case PEER_ISSUER -> e.peerIssuer();
            case PEER_SUBJECT -> e.peerSubject();
            case TLS_VERSION -> e.tlsVersion();
            case DURATION_MS -> e.durationMs();
            case BYTES_RECEIVED -> e.bytesReceived();
            case BYTES_SENT -> e.bytesSent();
            case TLS_CATEGORY -> e.tls() == null ? null : e.tls().category();
            case TLS_REJECTED_BY -> e.tls() == null ? null : e.tls().rejectedBy();
            case TLS_CODE -> e.tls() == null ? null : e.tls().code();
            case TLS_REASON -> e.tls() == null ? null : e.tls().reason();
            case TLS_DETAIL -> e.tls() == null ? null : e.tls().detail();
            case TLS_RAW_TEXT -> e.tls() == null ? null : e.tls().rawText();
            case STATS -> e.stats();
            case CERTIFICATES -> e.certificates().isEmpty() ? null : e.certificates();
            case TRUST_BUNDLE -> e.trustBundle();
            case ROLLUP -> e.rollup();
        };
    }

    void set(MeshEvent.Builder b, Object v) {
        switch (this) {
            case MESH_KIND -> b.meshKind((dev.meshlens.events.MeshKind) v);
            case CLUSTER -> b.cluster((String) v);
            case DIRECTION -> b.direction((dev.meshlens.events.Direction) v);
            case OBSERVER_ROLE -> b.observerRole((dev.meshlens.events.ObserverRole) v);
            case DOWNSTREAM_REMOTE_ADDRESS -> b.downstreamRemoteAddress((String) v);
            case DOWNSTREAM_LOCAL_ADDRESS -> b.downstreamLocalAddress((String) v);
            case UPSTREAM_HOST -> b.upstreamHost((String) v);
            case UPSTREAM_LOCAL_ADDRESS -> b.upstreamLocalAddress((String) v);
            case REQUESTED_SERVER_NAME -> b.requestedServerName((String) v);
            case AUTHORITY -> b.authority((String) v);
            case METHOD -> b.method((String) v);
            case PATH -> b.path((String) v);
            case PROTOCOL -> b.protocol((String) v);
            case USER_AGENT -> b.userAgent((String) v);
            case REQUEST_ID -> b.requestId((String) v);
            case FORWARDED_FOR -> b.forwardedFor((String) v);
            case RESPONSE_CODE -> b.responseCode((Integer) v);
            case RESPONSE_FLAGS -> b.responseFlags((String) v);
            case RESPONSE_CODE_DETAILS -> b.responseCodeDetails((String) v);
            case CONNECTION_TERMINATION_DETAILS -> b.connectionTerminationDetails((String) v);
            case UPSTREAM_TRANSPORT_FAILURE_REASON -> b.upstreamTransportFailureReason((String) v);
            case DOWNSTREAM_TRANSPORT_FAILURE_REASON -> b.downstreamTransportFailureReason((String) v);
            case UPSTREAM_CLUSTER -> b.upstreamCluster((String) v);
            case LOCAL_URI_SAN -> b.localUriSan((String) v);
            case PEER_URI_SAN -> b.peerUriSan((String) v);
            case PEER_ISSUER -> b.peerIssuer((String) v);
            case PEER_SUBJECT -> b.peerSubject((String) v);
            case TLS_VERSION -> b.tlsVersion((String) v);
            case DURATION_MS -> b.durationMs((Long) v);
            case BYTES_RECEIVED -> b.bytesReceived((Long) v);
            case BYTES_SENT -> b.bytesSent((Long) v);
            default -> throw new IllegalStateException("field " + wire + " is set by the engine itself");
        }
    }

    /** The field with this wire name, or null. */
    public static Field byWireName(String name) {
        return BY_WIRE.get(name);
    }

    /** All wire names, in schema order. */
    public static Set<String> wireNames() {
        return Collections.unmodifiableSet(BY_WIRE.keySet());
    }
}
