package dev.meshlens.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MeshEvent} as the codec's JSON with Jackson's streaming generator instead of its
 * reflective record serialiser, which was a third of a collector's per-line CPU time (accessors
 * called through {@code Method.invoke} for 44 components per event). Same wire format as
 * {@link EventCodec}'s mapper: snake_case names, ISO-8601 times, null and empty values left out,
 * the derived {@code failure}. {@code EventJsonWriterProperties} checks every field against the
 * mapper on random events, so a component added to the record and forgotten here fails a test.
 *
 * <p>The kinds that are rare on the hot path (certificate inventories, trust bundles, stats deltas)
 * are handed to the mapper: they are one event per poll, not one per request.
 */
final class EventJsonWriter {
    private static final SerializedString SCHEMA_VERSION = name("schema_version");
    private static final SerializedString EVENT_ID = name("event_id");
    private static final SerializedString OBSERVED_TIME = name("observed_time");
    private static final SerializedString MESH_ID = name("mesh_id");
    private static final SerializedString MESH_KIND = name("mesh_kind");
    private static final SerializedString CLUSTER = name("cluster");
    private static final SerializedString SOURCE_KIND = name("source_kind");
    private static final SerializedString DIRECTION = name("direction");
    private static final SerializedString OBSERVER_ROLE = name("observer_role");
    private static final SerializedString DOWNSTREAM_REMOTE_ADDRESS = name("downstream_remote_address");
    private static final SerializedString DOWNSTREAM_LOCAL_ADDRESS = name("downstream_local_address");
    private static final SerializedString UPSTREAM_HOST = name("upstream_host");
    private static final SerializedString UPSTREAM_LOCAL_ADDRESS = name("upstream_local_address");
    private static final SerializedString REQUESTED_SERVER_NAME = name("requested_server_name");
    private static final SerializedString AUTHORITY = name("authority");
    private static final SerializedString METHOD = name("method");
    private static final SerializedString PATH = name("path");
    private static final SerializedString PROTOCOL = name("protocol");
    private static final SerializedString USER_AGENT = name("user_agent");
    private static final SerializedString REQUEST_ID = name("request_id");
    private static final SerializedString FORWARDED_FOR = name("forwarded_for");
    private static final SerializedString RESPONSE_CODE = name("response_code");
    private static final SerializedString RESPONSE_FLAGS = name("response_flags");
    private static final SerializedString RESPONSE_CODE_DETAILS = name("response_code_details");
    private static final SerializedString CONNECTION_TERMINATION_DETAILS = name("connection_termination_details");
    private static final SerializedString UPSTREAM_TRANSPORT_FAILURE_REASON = name("upstream_transport_failure_reason");
    private static final SerializedString DOWNSTREAM_TRANSPORT_FAILURE_REASON =
            name("downstream_transport_failure_reason");
    private static final SerializedString UPSTREAM_CLUSTER = name("upstream_cluster");
    private static final SerializedString LOCAL_URI_SAN = name("local_uri_san");
    private static final SerializedString PEER_URI_SAN = name("peer_uri_san");
    private static final SerializedString PEER_ISSUER = name("peer_issuer");
    private static final SerializedString PEER_SUBJECT = name("peer_subject");
    private static final SerializedString TLS_VERSION = name("tls_version");
    private static final SerializedString DURATION_MS = name("duration_ms");
    private static final SerializedString BYTES_RECEIVED = name("bytes_received");
    private static final SerializedString BYTES_SENT = name("bytes_sent");
    private static final SerializedString TLS = name("tls");
    private static final SerializedString STATS = name("stats");
    private static final SerializedString CERTIFICATES = name("certificates");
    private static final SerializedString TRUST_BUNDLE = name("trust_bundle");
    private static final SerializedString ATTRIBUTES = name("attributes");
    private static final SerializedString REDACTION = name("redaction");
    private static final SerializedString ROLLUP = name("rollup");
    private static final SerializedString FAILURE = name("failure");
    // TlsFailure
    private static final SerializedString CATEGORY = name("category");
    private static final SerializedString REJECTED_BY = name("rejected_by");
    private static final SerializedString CODE = name("code");
    private static final SerializedString REASON = name("reason");
    private static final SerializedString DETAIL = name("detail");
    private static final SerializedString RAW_TEXT = name("raw_text");
    // Redaction
    private static final SerializedString POLICY_ID = name("policy_id");
    private static final SerializedString POLICY_VERSION = name("policy_version");
    private static final SerializedString COUNTS = name("counts");
    // Rollup
    private static final SerializedString COUNT = name("count");
    private static final SerializedString FIRST_TIME = name("first_time");
    private static final SerializedString LAST_TIME = name("last_time");

    private final ObjectMapper mapper;

    EventJsonWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(MeshEvent e) throws IOException {
        // 512 bytes holds a typical access-log event (~450 bytes of JSON) without growing the buffer.
        try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
            try (JsonGenerator g = mapper.createGenerator(out)) {
                write(g, e);
            }
            return out.toByteArray();
        }
    }

    private void write(JsonGenerator g, MeshEvent e) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SCHEMA_VERSION);
        g.writeNumber(e.schemaVersion());
        string(g, EVENT_ID, e.eventId());
        instant(g, OBSERVED_TIME, e.observedTime());
        string(g, MESH_ID, e.meshId());
        if (e.meshKind() != null) {
            string(g, MESH_KIND, e.meshKind().wireName());
        }
        string(g, CLUSTER, e.cluster());
        string(g, SOURCE_KIND, e.sourceKind().wireName());
        if (e.direction() != null) {
            string(g, DIRECTION, e.direction().wireName());
        }
        if (e.observerRole() != null) {
            string(g, OBSERVER_ROLE, e.observerRole().wireName());
        }
        string(g, DOWNSTREAM_REMOTE_ADDRESS, e.downstreamRemoteAddress());
        string(g, DOWNSTREAM_LOCAL_ADDRESS, e.downstreamLocalAddress());
        string(g, UPSTREAM_HOST, e.upstreamHost());
        string(g, UPSTREAM_LOCAL_ADDRESS, e.upstreamLocalAddress());
        string(g, REQUESTED_SERVER_NAME, e.requestedServerName());
        string(g, AUTHORITY, e.authority());
        string(g, METHOD, e.method());
        string(g, PATH, e.path());
        string(g, PROTOCOL, e.protocol());
        string(g, USER_AGENT, e.userAgent());
        string(g, REQUEST_ID, e.requestId());
        string(g, FORWARDED_FOR, e.forwardedFor());
        if (e.responseCode() != null) {
            g.writeFieldName(RESPONSE_CODE);
            g.writeNumber(e.responseCode().intValue());
        }
        string(g, RESPONSE_FLAGS, e.responseFlags());
        string(g, RESPONSE_CODE_DETAILS, e.responseCodeDetails());
        string(g, CONNECTION_TERMINATION_DETAILS, e.connectionTerminationDetails());
        string(g, UPSTREAM_TRANSPORT_FAILURE_REASON, e.upstreamTransportFailureReason());
        string(g, DOWNSTREAM_TRANSPORT_FAILURE_REASON, e.downstreamTransportFailureReason());
        string(g, UPSTREAM_CLUSTER, e.upstreamCluster());
        string(g, LOCAL_URI_SAN, e.localUriSan());
        string(g, PEER_URI_SAN, e.peerUriSan());
        string(g, PEER_ISSUER, e.peerIssuer());
        string(g, PEER_SUBJECT, e.peerSubject());
        string(g, TLS_VERSION, e.tlsVersion());
        number(g, DURATION_MS, e.durationMs());
        number(g, BYTES_RECEIVED, e.bytesReceived());
        number(g, BYTES_SENT, e.bytesSent());
        if (e.tls() != null) {
            g.writeFieldName(TLS);
            tls(g, e.tls());
        }
        if (e.stats() != null) {
            g.writeFieldName(STATS);
            mapper.writeValue(g, e.stats());
        }
        if (!e.certificates().isEmpty()) {
            g.writeFieldName(CERTIFICATES);
            mapper.writeValue(g, e.certificates());
        }
        if (e.trustBundle() != null) {
            g.writeFieldName(TRUST_BUNDLE);
            mapper.writeValue(g, e.trustBundle());
        }
        if (!e.attributes().isEmpty()) {
            g.writeFieldName(ATTRIBUTES);
            stringMap(g, e.attributes());
        }
        if (e.redaction() != null) {
            g.writeFieldName(REDACTION);
            redaction(g, e.redaction());
        }
        if (e.rollup() != null) {
            g.writeFieldName(ROLLUP);
            rollup(g, e.rollup());
        }
        g.writeFieldName(FAILURE);
        g.writeBoolean(e.isFailure());
        g.writeEndObject();
    }

    private static void tls(JsonGenerator g, TlsFailure t) throws IOException {
        g.writeStartObject();
        string(g, CATEGORY, t.category().name());
        string(g, REJECTED_BY, t.rejectedBy().wireName());
        number(g, CODE, t.code());
        string(g, REASON, t.reason());
        string(g, DETAIL, t.detail());
        string(g, RAW_TEXT, t.rawText());
        g.writeEndObject();
    }

    private static void redaction(JsonGenerator g, Redaction r) throws IOException {
        g.writeStartObject();
        string(g, POLICY_ID, r.policyId());
        string(g, POLICY_VERSION, r.policyVersion());
        if (!r.counts().isEmpty()) {
            g.writeFieldName(COUNTS);
            g.writeStartObject();
            for (Map.Entry<String, Integer> c : r.counts().entrySet()) {
                if (c.getValue() != null) {
                    g.writeFieldName(c.getKey());
                    g.writeNumber(c.getValue().intValue());
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void rollup(JsonGenerator g, Rollup r) throws IOException {
        g.writeStartObject();
        g.writeFieldName(COUNT);
        g.writeNumber(r.count());
        instant(g, FIRST_TIME, r.firstTime());
        instant(g, LAST_TIME, r.lastTime());
        g.writeEndObject();
    }

    private static void stringMap(JsonGenerator g, Map<String, String> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> a : map.entrySet()) {
            // Inside maps the mapper leaves out null values only (NON_NULL content inclusion).
            if (a.getValue() != null) {
                g.writeFieldName(a.getKey());
                g.writeString(a.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void number(JsonGenerator g, SerializableString name, Long value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value.longValue());
        }
    }

    private static void instant(JsonGenerator g, SerializableString name, Instant value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value.toString()); // ISO_INSTANT, as the JavaTimeModule writes it
        }
    }

    private static SerializedString name(String s) {
        return new SerializedString(s);
    }

    /** Every name this writer emits at the top level; the property test checks the record has no other. */
    static List<String> topLevelNames() {
        return List.of(
                        SCHEMA_VERSION,
                        EVENT_ID,
                        OBSERVED_TIME,
                        MESH_ID,
                        MESH_KIND,
                        CLUSTER,
                        SOURCE_KIND,
                        DIRECTION,
                        OBSERVER_ROLE,
                        DOWNSTREAM_REMOTE_ADDRESS,
                        DOWNSTREAM_LOCAL_ADDRESS,
                        UPSTREAM_HOST,
                        UPSTREAM_LOCAL_ADDRESS,
                        REQUESTED_SERVER_NAME,
                        AUTHORITY,
                        METHOD,
                        PATH,
                        PROTOCOL,
                        USER_AGENT,
                        REQUEST_ID,
                        FORWARDED_FOR,
                        RESPONSE_CODE,
                        RESPONSE_FLAGS,
                        RESPONSE_CODE_DETAILS,
                        CONNECTION_TERMINATION_DETAILS,
                        UPSTREAM_TRANSPORT_FAILURE_REASON,
                        DOWNSTREAM_TRANSPORT_FAILURE_REASON,
                        UPSTREAM_CLUSTER,
                        LOCAL_URI_SAN,
                        PEER_URI_SAN,
                        PEER_ISSUER,
                        PEER_SUBJECT,
                        TLS_VERSION,
                        DURATION_MS,
                        BYTES_RECEIVED,
                        BYTES_SENT,
                        TLS,
                        STATS,
                        CERTIFICATES,
                        TRUST_BUNDLE,
                        ATTRIBUTES,
                        REDACTION,
                        ROLLUP,
                        FAILURE)
                .stream()
                .map(SerializedString::getValue)
                .toList();
    }
}
