package dev.meshlens.redactor;

import dev.meshlens.events.MeshEvent;
import java.util.LinkedHashMap;
import java.util.Map;
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
  OBSERVER_ROLE("observer_role", Kind.VALUE, MeshEvent::observerRole,
      (b, v) -> b.observerRole((dev.meshlens.events.ObserverRole) v)),
  DOWNSTREAM_REMOTE_ADDRESS("downstream_remote_address", Kind.ADDRESS, MeshEvent::downstreamRemoteAddress,
      (b, v) -> b.downstreamRemoteAddress((String) v)),
  DOWNSTREAM_LOCAL_ADDRESS("downstream_local_address", Kind.ADDRESS, MeshEvent::downstreamLocalAddress,
      (b, v) -> b.downstreamLocalAddress((String) v)),
  UPSTREAM_HOST("upstream_host", Kind.ADDRESS, MeshEvent::upstreamHost, (b, v) -> b.upstreamHost((String) v)),
  UPSTREAM_LOCAL_ADDRESS("upstream_local_address", Kind.ADDRESS, MeshEvent::upstreamLocalAddress,
      (b, v) -> b.upstreamLocalAddress((String) v)),
  REQUESTED_SERVER_NAME("requested_server_name", Kind.STRING, MeshEvent::requestedServerName,
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
  RESPONSE_CODE_DETAILS("response_code_details", Kind.STRING, MeshEvent::responseCodeDetails,
      (b, v) -> b.responseCodeDetails((String) v)),
  CONNECTION_TERMINATION_DETAILS("connection_termination_details", Kind.STRING,
      MeshEvent::connectionTerminationDetails, (b, v) -> b.connectionTerminationDetails((String) v)),
  UPSTREAM_TRANSPORT_FAILURE_REASON("upstream_transport_failure_reason", Kind.STRING,
      MeshEvent::upstreamTransportFailureReason, (b, v) -> b.upstreamTransportFailureReason((String) v)),
  DOWNSTREAM_TRANSPORT_FAILURE_REASON("downstream_transport_failure_reason", Kind.STRING,
      MeshEvent::downstreamTransportFailureReason, (b, v) -> b.downstreamTransportFailureReason((String) v)),
  UPSTREAM_CLUSTER("upstream_cluster", Kind.STRING, MeshEvent::upstreamCluster,
      (b, v) -> b.upstreamCluster((String) v)),
  LOCAL_URI_SAN("local_uri_san", Kind.STRING, MeshEvent::localUriSan, (b, v) -> b.localUriSan((String) v)),
  PEER_URI_SAN("peer_uri_san", Kind.STRING, MeshEvent::peerUriSan, (b, v) -> b.peerUriSan((String) v)),
  PEER_ISSUER("peer_issuer", Kind.STRING, MeshEvent::peerIssuer, (b, v) -> b.peerIssuer((String) v)),
  PEER_SUBJECT("peer_subject", Kind.STRING, MeshEvent::peerSubject, (b, v) -> b.peerSubject((String) v)),
  TLS_VERSION("tls_version", Kind.STRING, MeshEvent::tlsVersion, (b, v) -> b.tlsVersion((String) v)),
  DURATION_MS("duration_ms", Kind.VALUE, MeshEvent::durationMs, (b, v) -> b.durationMs((Long) v)),
  BYTES_RECEIVED("bytes_received", Kind.VALUE, MeshEvent::bytesReceived, (b, v) -> b.bytesReceived((Long) v)),
  BYTES_SENT("bytes_sent", Kind.VALUE, MeshEvent::bytesSent, (b, v) -> b.bytesSent((Long) v)),
  TLS_CATEGORY("tls.category", Kind.TLS_VALUE, e -> e.tls() == null ? null : e.tls().category(), null),
  TLS_REJECTED_BY("tls.rejected_by", Kind.TLS_VALUE, e -> e.tls() == null ? null : e.tls().rejectedBy(), null),
  TLS_CODE("tls.code", Kind.TLS_VALUE, e -> e.tls() == null ? null : e.tls().code(), null),
  TLS_REASON("tls.reason", Kind.TLS_STRING, e -> e.tls() == null ? null : e.tls().reason(), null),
  TLS_DETAIL("tls.detail", Kind.TLS_STRING, e -> e.tls() == null ? null : e.tls().detail(), null),
  TLS_RAW_TEXT("tls.raw_text", Kind.TLS_STRING, e -> e.tls() == null ? null : e.tls().rawText(), null),
  STATS("stats", Kind.STRUCT, MeshEvent::stats, null),
  CERTIFICATES("certificates", Kind.STRUCT, e -> e.certificates().isEmpty() ? null : e.certificates(), null),
  TRUST_BUNDLE("trust_bundle", Kind.STRUCT, MeshEvent::trustBundle, null);

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

  /** The value in {@code e}, or null when absent (required fields that are not strings return null). */
  Object get(MeshEvent e) {
    return getter == null ? null : getter.apply(e);
  }

  void set(MeshEvent.Builder b, Object v) {
    setter.accept(b, v);
  }

  /** The field with this wire name, or null. */
  public static Field byWireName(String name) {
    return BY_WIRE.get(name);
  }

  /** All wire names, in schema order. */
  public static java.util.Set<String> wireNames() {
    return java.util.Collections.unmodifiableSet(BY_WIRE.keySet());
  }
}
