package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observation from one mesh: an access-log line, an OTLP log record, a change of Envoy
 * {@code ssl.*} counters, a certificate inventory, or a trust bundle. Immutable; build one with
 * {@link #builder()}.
 *
 * <p>Field names on the wire are snake_case (see {@link EventCodec}). Required: schema_version,
 * event_id, observed_time, mesh_id, source_kind. Everything else may be absent.
 */
public record MeshEvent(
        int schemaVersion,
        String eventId,
        Instant observedTime,
        String meshId,
        MeshKind meshKind,
        String cluster,
        SourceKind sourceKind,
        Direction direction,
        ObserverRole observerRole,
        String downstreamRemoteAddress,
        String downstreamLocalAddress,
        String upstreamHost,
        String upstreamLocalAddress,
        String requestedServerName,
        String authority,
        String method,
        String path,
        String protocol,
        String userAgent,
        String requestId,
        String forwardedFor,
        Integer responseCode,
        String responseFlags,
        String responseCodeDetails,
        String connectionTerminationDetails,
        String upstreamTransportFailureReason,
        String downstreamTransportFailureReason,
        String upstreamCluster,
        String localUriSan,
        String peerUriSan,
        String peerIssuer,
        String peerSubject,
        String tlsVersion,
        Long durationMs,
        Long bytesReceived,
        Long bytesSent,
        TlsFailure tls,
        StatsDelta stats,
        List<CertificateInfo> certificates,
        TrustBundle trustBundle,
        Map<String, String> attributes,
        Redaction redaction,
        Rollup rollup) {

    public MeshEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(observedTime, "observedTime");
        Objects.requireNonNull(meshId, "meshId");
        Objects.requireNonNull(sourceKind, "sourceKind");
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * True when this observation carries a TLS or connection failure. Written on the wire as
     * {@code failure} (derived, ignored when read) so consumers and Elasticsearch can filter failures
     * without looking inside {@code tls}.
     */
    @JsonProperty(value = "failure", access = JsonProperty.Access.READ_ONLY)
    public boolean isFailure() {
        return tls != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this event's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schemaVersion = schemaVersion;
        b.eventId = eventId;
        b.observedTime = observedTime;
        b.meshId = meshId;
        b.meshKind = meshKind;
        b.cluster = cluster;
        b.sourceKind = sourceKind;
        b.direction = direction;
        b.observerRole = observerRole;
        b.downstreamRemoteAddress = downstreamRemoteAddress;
        b.downstreamLocalAddress = downstreamLocalAddress;
        b.upstreamHost = upstreamHost;
        b.upstreamLocalAddress = upstreamLocalAddress;
        b.requestedServerName = requestedServerName;
        b.authority = authority;
        b.method = method;
        b.path = path;
        b.protocol = protocol;
        b.userAgent = userAgent;
        b.requestId = requestId;
        b.forwardedFor = forwardedFor;
        b.responseCode = responseCode;
        b.responseFlags = responseFlags;
        b.responseCodeDetails = responseCodeDetails;
        b.connectionTerminationDetails = connectionTerminationDetails;
        b.upstreamTransportFailureReason = upstreamTransportFailureReason;
        b.downstreamTransportFailureReason = downstreamTransportFailureReason;
        b.upstreamCluster = upstreamCluster;
        b.localUriSan = localUriSan;
        b.peerUriSan = peerUriSan;
        b.peerIssuer = peerIssuer;
        b.peerSubject = peerSubject;
        b.tlsVersion = tlsVersion;
        b.durationMs = durationMs;
        b.bytesReceived = bytesReceived;
        b.bytesSent = bytesSent;
        b.tls = tls;
        b.stats = stats;
        b.certificates = certificates;
        b.trustBundle = trustBundle;
        b.attributes = attributes;
        b.redaction = redaction;
        b.rollup = rollup;
        return b;
    }

    /** Mutable builder; stays inside a stage, the record travels between stages. */
    public static final class Builder {
        private int schemaVersion = SchemaVersion.CURRENT;
        private String eventId;
        private Instant observedTime;
        private String meshId;
        private MeshKind meshKind;
        private String cluster;
        private SourceKind sourceKind;
        private Direction direction;
        private ObserverRole observerRole;
        private String downstreamRemoteAddress;
        private String downstreamLocalAddress;
        private String upstreamHost;
        private String upstreamLocalAddress;
        private String requestedServerName;
        private String authority;
        private String method;
        private String path;
        private String protocol;
        private String userAgent;
        private String requestId;
        private String forwardedFor;
        private Integer responseCode;
        private String responseFlags;
        private String responseCodeDetails;
        private String connectionTerminationDetails;
        private String upstreamTransportFailureReason;
        private String downstreamTransportFailureReason;
        private String upstreamCluster;
        private String localUriSan;
        private String peerUriSan;
        private String peerIssuer;
        private String peerSubject;
        private String tlsVersion;
        private Long durationMs;
        private Long bytesReceived;
        private Long bytesSent;
        private TlsFailure tls;
        private StatsDelta stats;
        private List<CertificateInfo> certificates;
        private TrustBundle trustBundle;
        private Map<String, String> attributes;
        private Redaction redaction;
        private Rollup rollup;

        private Builder() {}

        public Builder schemaVersion(int v) {
            this.schemaVersion = v;
            return this;
        }

        public Builder eventId(String v) {
            this.eventId = v;
            return this;
        }

        public Builder observedTime(Instant v) {
            this.observedTime = v;
            return this;
        }

        public Builder meshId(String v) {
            this.meshId = v;
            return this;
        }

        public Builder meshKind(MeshKind v) {
            this.meshKind = v;
            return this;
        }

        public Builder cluster(String v) {
            this.cluster = v;
            return this;
        }

        public Builder sourceKind(SourceKind v) {
            this.sourceKind = v;
            return this;
        }

        public Builder direction(Direction v) {
            this.direction = v;
            return this;
        }

        public Builder observerRole(ObserverRole v) {
            this.observerRole = v;
            return this;
        }

        public Builder downstreamRemoteAddress(String v) {
            this.downstreamRemoteAddress = v;
            return this;
        }

        public Builder downstreamLocalAddress(String v) {
            this.downstreamLocalAddress = v;
            return this;
        }

        public Builder upstreamHost(String v) {
            this.upstreamHost = v;
            return this;
        }

        public Builder upstreamLocalAddress(String v) {
            this.upstreamLocalAddress = v;
            return this;
        }

        public Builder requestedServerName(String v) {
            this.requestedServerName = v;
            return this;
        }

        public Builder authority(String v) {
            this.authority = v;
            return this;
        }

        public Builder method(String v) {
            this.method = v;
            return this;
        }

        public Builder path(String v) {
            this.path = v;
            return this;
        }

        public Builder protocol(String v) {
            this.protocol = v;
            return this;
        }

        public Builder userAgent(String v) {
            this.userAgent = v;
            return this;
        }

        public Builder requestId(String v) {
            this.requestId = v;
            return this;
        }

        public Builder forwardedFor(String v) {
            this.forwardedFor = v;
            return this;
        }

        public Builder responseCode(Integer v) {
            this.responseCode = v;
            return this;
        }

        public Builder responseFlags(String v) {
            this.responseFlags = v;
            return this;
        }

        public Builder responseCodeDetails(String v) {
            this.responseCodeDetails = v;
            return this;
        }

        public Builder connectionTerminationDetails(String v) {
            this.connectionTerminationDetails = v;
            return this;
        }

        public Builder upstreamTransportFailureReason(String v) {
            this.upstreamTransportFailureReason = v;
            return this;
        }

        public Builder downstreamTransportFailureReason(String v) {
            this.downstreamTransportFailureReason = v;
            return this;
        }

        public Builder upstreamCluster(String v) {
            this.upstreamCluster = v;
            return this;
        }

        public Builder localUriSan(String v) {
            this.localUriSan = v;
            return this;
        }

        public Builder peerUriSan(String v) {
            this.peerUriSan = v;
            return this;
        }

        public Builder peerIssuer(String v) {
            this.peerIssuer = v;
            return this;
        }

        public Builder peerSubject(String v) {
            this.peerSubject = v;
            return this;
        }

        public Builder tlsVersion(String v) {
            this.tlsVersion = v;
            return this;
        }

        public Builder durationMs(Long v) {
            this.durationMs = v;
            return this;
        }

        public Builder bytesReceived(Long v) {
            this.bytesReceived = v;
            return this;
        }

        public Builder bytesSent(Long v) {
            this.bytesSent = v;
            return this;
        }

        public Builder tls(TlsFailure v) {
            this.tls = v;
            return this;
        }

        public Builder stats(StatsDelta v) {
            this.stats = v;
            return this;
        }

        public Builder certificates(List<CertificateInfo> v) {
            this.certificates = v;
            return this;
        }

        public Builder trustBundle(TrustBundle v) {
            this.trustBundle = v;
            return this;
        }

        public Builder attributes(Map<String, String> v) {
            this.attributes = v;
            return this;
        }

        public Builder redaction(Redaction v) {
            this.redaction = v;
            return this;
        }

        public Builder rollup(Rollup v) {
            this.rollup = v;
            return this;
        }

        public MeshEvent build() {
            return new MeshEvent(
                    schemaVersion,
                    eventId,
                    observedTime,
                    meshId,
                    meshKind,
                    cluster,
                    sourceKind,
                    direction,
                    observerRole,
                    downstreamRemoteAddress,
                    downstreamLocalAddress,
                    upstreamHost,
                    upstreamLocalAddress,
                    requestedServerName,
                    authority,
                    method,
                    path,
                    protocol,
                    userAgent,
                    requestId,
                    forwardedFor,
                    responseCode,
                    responseFlags,
                    responseCodeDetails,
                    connectionTerminationDetails,
                    upstreamTransportFailureReason,
                    downstreamTransportFailureReason,
                    upstreamCluster,
                    localUriSan,
                    peerUriSan,
                    peerIssuer,
                    peerSubject,
                    tlsVersion,
                    durationMs,
                    bytesReceived,
                    bytesSent,
                    tls,
                    stats,
                    certificates,
                    trustBundle,
                    attributes,
                    redaction,
                    rollup);
        }
    }
}
