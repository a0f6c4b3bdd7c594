package dev.meshlens.query.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Elasticsearch documents: the event or finding exactly as {@link EventCodec} writes it, plus a
 * few derived, indexed fields the queries need ({@code client_service}, {@code server_service},
 * {@code destination_service}, {@code category}, {@code failure}, {@code trust_domain}, {@code meshes}).
 * Derived fields never replace wire fields.
 */
public final class Documents {
    private static final ObjectMapper MAPPER = EventCodec.get().mapper();

    private Documents() {}

    /**
     * Index-only field of an event document: the Kafka record ({@code topic/partition/offset}) that wrote it
     * first. Ingest writes events with {@code create}; after a 409 it tells a redelivery of the same record
     * (whose roll-up contribution may still be missing) from another record carrying the same event id (whose
     * contribution must not count twice). Not mapped (kept in {@code _source} only), never served.
     */
    public static final String INGEST_ORIGIN = "ingest_origin";

    /** The indexed document of an event. */
    public static byte[] event(MeshEvent e, String traceId, Instant ingestedAt) {
        return event(e, traceId, ingestedAt, null);
    }

    /** The indexed document of an event, with the record it came from ({@link #INGEST_ORIGIN}) when not null. */
    public static byte[] event(MeshEvent e, String traceId, Instant ingestedAt, String origin) {
        ObjectNode doc = MAPPER.valueToTree(e);
        String dest = CorrelationKeys.destinationService(e);
        putIfAbsent(doc, "destination_service", dest);
        putIfAbsent(doc, "server_service", dest);
        putIfAbsent(doc, "client_service", clientService(e));
        if (e.tls() != null) {
            putIfAbsent(doc, "category", e.tls().category().name());
        }
        doc.put("failure", e.isFailure());
        putIfAbsent(doc, "trust_domain", trustDomain(e));
        putIfAbsent(doc, "trace_id", traceId);
        doc.put("ingested_at", ingestedAt.toString());
        putIfAbsent(doc, INGEST_ORIGIN, origin);
        return bytes(doc);
    }

    private static final Set<String> DERIVED = Set.of(
            "destination_service",
            "server_service",
            "client_service",
            "category",
            "trust_domain",
            "trace_id",
            "ingested_at",
            INGEST_ORIGIN);
    private static final int CONFLICT = 1;
    private static final int HAS_FAILURE = 2;
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    /**
     * The indexed document of an event, spliced from the bytes as received: the derived fields are
     * appended before the closing brace, so the event is not serialised again (and fields a newer
     * writer added survive in {@code _source}). Falls back to {@link #event(MeshEvent, String, Instant)}
     * when the bytes already carry a top-level field of a derived name.
     */
    public static byte[] event(byte[] wire, MeshEvent e, String traceId, Instant ingestedAt) {
        return event(wire, e, traceId, ingestedAt, null);
    }

    /** As {@link #event(byte[], MeshEvent, String, Instant)}, with the record it came from when not null. */
    public static byte[] event(byte[] wire, MeshEvent e, String traceId, Instant ingestedAt, String origin) {
        int end = wire.length - 1;
        while (end > 0 && (wire[end] == ' ' || wire[end] == '\n' || wire[end] == '\r' || wire[end] == '\t')) {
            end--;
        }
        int scan = end < 1 || wire[end] != '}' ? CONFLICT : scanTopLevel(wire);
        if ((scan & CONFLICT) != 0) {
            return event(e, traceId, ingestedAt, origin);
        }
        StringBuilder sb = new StringBuilder(256);
        String dest = CorrelationKeys.destinationService(e);
        field(sb, "destination_service", dest);
        field(sb, "server_service", dest);
        field(sb, "client_service", clientService(e));
        if (e.tls() != null) {
            field(sb, "category", e.tls().category().name());
        }
        if ((scan & HAS_FAILURE) == 0) {
            sb.append(",\"failure\":").append(e.isFailure()); // EventCodec writes it; other writers may not
        }
        field(sb, "trust_domain", trustDomain(e));
        field(sb, "trace_id", traceId);
        field(sb, "ingested_at", ingestedAt.toString());
        field(sb, INGEST_ORIGIN, origin);
        byte[] suffix = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[end + suffix.length + 1];
        System.arraycopy(wire, 0, out, 0, end);
        System.arraycopy(suffix, 0, out, end, suffix.length);
        out[out.length - 1] = '}';
        return out;
    }

    private static void field(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":\"");
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(value, sb);
            sb.append('"');
        }
    }

    static boolean hasDerivedTopLevelField(byte[] wire) {
        return (scanTopLevel(wire) & CONFLICT) != 0;
    }

    private static int scanTopLevel(byte[] wire) {
        int flags = 0;
        try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(wire)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return CONFLICT;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (DERIVED.contains(name)) {
                    return CONFLICT;
                }
                if ("failure".equals(name)) {
                    if (!v.isBoolean()) {
                        return CONFLICT;
                    }
                    flags |= HAS_FAILURE;
                }
                p.skipChildren();
            }
            return flags;
        } catch (IOException ex) {
            return CONFLICT;
        }
    }

    /** The client workload of an observation: a client's own identity, or a server's peer. */
    public static String clientService(MeshEvent e) {
        String san = e.observerRole() == ObserverRole.SERVER ? e.peerUriSan() : e.localUriSan();
        SpiffeId id = SpiffeId.tryParse(san);
        String w = id == null ? null : id.workloadName();
        return w == null ? null : w.toLowerCase(Locale.ROOT);
    }

    public static String trustDomain(MeshEvent e) {
        if (e.trustBundle() != null && e.trustBundle().trustDomain() != null) {
            return e.trustBundle().trustDomain();
        }
        SpiffeId id = SpiffeId.tryParse(e.localUriSan());
        return id == null ? null : id.trustDomain();
    }

    /** The indexed document of a finding (current state). */
    public static ObjectNode finding(Finding f, Instant updatedAt) {
        ObjectNode doc = MAPPER.valueToTree(f);
        putIfAbsent(doc, "client_service", serviceOf(f.clientIdentity()));
        var meshes = doc.putArray("meshes");
        if (f.clientMesh() != null) {
            meshes.add(f.clientMesh());
        }
        if (f.serverMesh() != null && !f.serverMesh().equals(f.clientMesh())) {
            meshes.add(f.serverMesh());
        }
        doc.put("updated_at", updatedAt.toString());
        return doc;
    }

    /** Service name of a SPIFFE ID or a service-like name (host, cluster name), lower case. */
    public static String serviceOf(String identityOrName) {
        if (identityOrName == null || identityOrName.isBlank()) {
            return null;
        }
        SpiffeId id = SpiffeId.tryParse(identityOrName);
        if (id != null) {
            String w = id.workloadName();
            return w == null ? null : w.toLowerCase(Locale.ROOT);
        }
        String s = CorrelationKeys.serviceFromCluster(identityOrName);
        return s == null ? identityOrName.toLowerCase(Locale.ROOT) : s;
    }

    /** External version of a finding: the newest time it carries (newest state wins). */
    public static long versionOf(Finding f) {
        long v = 0;
        if (f.firstSeen() != null) {
            v = Math.max(v, f.firstSeen().toEpochMilli());
        }
        if (f.lastSeen() != null) {
            v = Math.max(v, f.lastSeen().toEpochMilli());
        }
        for (Finding.StateChange c : f.history()) {
            if (c.at() != null) {
                v = Math.max(v, c.at().toEpochMilli());
            }
        }
        return v;
    }

    /** One history document per finding version. */
    public static ObjectNode findingHistory(Finding f, ObjectNode findingDoc) {
        ObjectNode h = MAPPER.createObjectNode();
        h.put("finding_id", f.id());
        h.put("state", f.state().wireName());
        h.put("category", f.category().name());
        h.set("meshes", findingDoc.get("meshes"));
        h.put("version_time", Instant.ofEpochMilli(versionOf(f)).toString());
        if (f.lastSeen() != null) {
            h.put("last_seen", f.lastSeen().toString());
        }
        h.put("count", f.count());
        h.set("finding", findingDoc);
        return h;
    }

    public static String historyId(Finding f) {
        return f.id() + "@" + versionOf(f) + "/" + f.state().wireName() + "/" + f.count();
    }

    public static byte[] bytes(ObjectNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void putIfAbsent(ObjectNode doc, String field, String value) {
        if (value != null && !doc.has(field)) {
            doc.put(field, value);
        }
    }
}
