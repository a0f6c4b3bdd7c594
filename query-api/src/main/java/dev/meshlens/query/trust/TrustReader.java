package dev.meshlens.query.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the matrix needs from Elasticsearch, with aggregations rather than every event: the
 * newest bundle versions per mesh; per certificate serial, its first and newest sighting and one
 * event that carries it; successful requests per client mesh and server service; the meshes that
 * serve each service; open UNTRUSTED_ROOT findings; the server identities clients accepted (what-if naming).
 * Five searches run in parallel.
 */
public final class TrustReader {
    private static final Logger LOG = LoggerFactory.getLogger(TrustReader.class);
    static final int BUNDLE_VERSIONS = 100;
    static final int SERIALS = 2000;

    /**
     * How far back each part reads.
     *
     * @param bundleHistory trust-bundle versions (how far back "since" can see)
     * @param certs /certs events (chains in use and their first sighting)
     * @param traffic successes between pairs
     */
    public record Windows(Duration bundleHistory, Duration certs, Duration traffic) {
        public static Windows defaults() {
            return new Windows(Duration.ofDays(30), Duration.ofHours(48), Duration.ofHours(24));
        }
    }

    /** What was read. */
    public record Loaded(TrustInventory inventory, Traffic traffic) {}

    private final QueryClient es;
    private final IndexNames names;
    private final Windows windows;

    public TrustReader(QueryClient es, IndexNames names, Windows windows) {
        this.es = es;
        this.names = names;
        this.windows = windows;
    }

    public CompletableFuture<Loaded> load(Instant now) {
        CompletableFuture<JsonNode> bundles = es.search(names.eventsPattern(), bundlesQuery(now));
        CompletableFuture<JsonNode> certs = es.search(names.eventsPattern(), certsQuery(now));
        CompletableFuture<JsonNode> traffic = es.search(names.eventsPattern(), trafficQuery(now));
        CompletableFuture<JsonNode> findings = es.search(names.findings(), findingsQuery());
        CompletableFuture<JsonNode> accepted = es.search(names.eventsPattern(), acceptedQuery(now))
                .exceptionally(e -> {
                    LOG.debug("accepted server identities not read (what-if naming sees none): {}", e.toString());
                    return null;
                });
        return CompletableFuture.allOf(bundles, certs, traffic, findings, accepted)
                .thenApply(v -> {
                    InventoryBuilder b = new InventoryBuilder();
                    addBundles(b, bundles.join());
                    addCerts(b, certs.join());
                    TrustInventory inv = b.build();
                    return new Loaded(
                            inv,
                            new Traffic(
                                    successes(traffic.join(), inv),
                                    openFindings(findings.join()),
                                    accepted(accepted.join())));
                });
    }

    // ---- queries ----

    ObjectNode bundlesQuery(Instant now) {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("source_kind", "trust-bundle"))
                        .filter(QueryDsl.range("observed_time", now.minus(windows.bundleHistory()), now))
                        .build());
        ObjectNode meshes = body.putObject("aggs").putObject("meshes");
        meshes.putObject("terms").put("field", "mesh_id").put("size", 1000);
        ObjectNode th = meshes.putObject("aggs").putObject("versions").putObject("top_hits");
        th.put("size", BUNDLE_VERSIONS);
        th.putArray("sort").addObject().putObject("observed_time").put("order", "desc");
        excludeDerived(th);
        return body;
    }

    ObjectNode certsQuery(Instant now) {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("source_kind", "envoy-certs"))
                        .filter(QueryDsl.range("observed_time", now.minus(windows.certs()), now))
                        .build());
        ObjectNode meshes = body.putObject("aggs").putObject("meshes");
        meshes.putObject("terms").put("field", "mesh_id").put("size", 1000);
        // one bucket per certificate serial: a leaf's first and newest sighting, and one event carrying it
        ObjectNode serials = meshes.putObject("aggs").putObject("serials");
        serials.putObject("terms")
                .put("field", "certificates.serial_number")
                .put("size", SERIALS)
                .putObject("order")
                .put("last", "desc");
        ObjectNode sa = serials.putObject("aggs");
        sa.putObject("first").putObject("min").put("field", "observed_time");
        sa.putObject("last").putObject("max").put("field", "observed_time");
        ObjectNode th = sa.putObject("sample").putObject("top_hits");
        th.put("size", 1);
        th.putArray("sort").addObject().putObject("observed_time").put("order", "desc");
        excludeDerived(th);
        return body;
    }

    /** A success as the correlator counts one: a client-side request with a response and no failure flag. */
    private static JsonNode successFilter() {
        ObjectNode okRange = QueryDsl.obj();
        okRange.putObject("range").putObject("response_code").put("gt", 0);
        return QueryDsl.bool()
                .filter(QueryDsl.term("observer_role", "client"))
                .filter(QueryDsl.term("failure", false))
                .filter(QueryDsl.terms("source_kind", List.of("access-log", "otel-log")))
                .filter(okRange)
                .filter(QueryDsl.bool()
                        .should(QueryDsl.terms("response_flags", List.of("-", "UT", "DC")))
                        .should(QueryDsl.bool()
                                .mustNot(QueryDsl.exists("response_flags"))
                                .build())
                        .build())
                .build();
    }

    /**
     * The server identities each client accepted in the traffic window (SAN expectations a naming change can
     * break): its own search, so that a federation with more (client, server identity) pairs than the
     * cluster's bucket limit loses only the SAN checks, never the matrix.
     */
    ObjectNode acceptedQuery(Instant now) {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.range("observed_time", now.minus(windows.traffic()), now))
                        .filter(successFilter())
                        .filter(QueryDsl.exists("peer_uri_san"))
                        .build());
        ObjectNode accMesh = body.putObject("aggs").putObject("accepted");
        accMesh.putObject("terms").put("field", "mesh_id").put("size", 1000);
        ObjectNode accPeer = accMesh.putObject("aggs").putObject("peers");
        accPeer.putObject("terms").put("field", "peer_uri_san").put("size", 2000);
        ObjectNode accLocal = accPeer.putObject("aggs").putObject("clients");
        accLocal.putObject("terms")
                .put("field", "local_uri_san")
                .put("size", 50)
                .put("missing", "");
        accLocal.putObject("aggs").putObject("last").putObject("max").put("field", "observed_time");
        return body;
    }

    ObjectNode trafficQuery(Instant now) {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set("query", QueryDsl.range("observed_time", now.minus(windows.traffic()), now));
        ObjectNode aggs = body.putObject("aggs");
        // a success as the correlator counts one: a client-side request with a response and no failure flag
        ObjectNode ok = aggs.putObject("successes");
        ok.set("filter", successFilter());
        ObjectNode byMesh = ok.putObject("aggs").putObject("meshes");
        byMesh.putObject("terms").put("field", "mesh_id").put("size", 1000);
        ObjectNode bySvc = byMesh.putObject("aggs").putObject("services");
        bySvc.putObject("terms").put("field", "server_service").put("size", 5000);
        bySvc.putObject("aggs").putObject("last").putObject("max").put("field", "observed_time");
        // which meshes serve a service: any server-side observation of it
        ObjectNode servers = aggs.putObject("servers");
        servers.set("filter", QueryDsl.term("observer_role", "server"));
        ObjectNode ss = servers.putObject("aggs").putObject("services");
        ss.putObject("terms").put("field", "server_service").put("size", 5000);
        ss.putObject("aggs")
                .putObject("meshes")
                .putObject("terms")
                .put("field", "mesh_id")
                .put("size", 50);
        return body;
    }

    ObjectNode findingsQuery() {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 1000);
        body.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("state", "open"))
                        .filter(QueryDsl.term("category", "UNTRUSTED_ROOT"))
                        .build());
        body.putArray("_source")
                .add("id")
                .add("category")
                .add("client_mesh")
                .add("server_mesh")
                .add("rejected_by")
                .add("first_seen")
                .add("last_seen");
        QueryDsl.sortDesc(body, "last_seen");
        return body;
    }

    private static void excludeDerived(ObjectNode topHits) {
        topHits.putObject("_source")
                .putArray("excludes")
                .add("search_text")
                .add("search_words")
                .add(Documents.INGEST_ORIGIN);
    }

    // ---- answers ----

    static void addBundles(InventoryBuilder b, JsonNode resp) {
        for (JsonNode m : resp.path("aggregations").path("meshes").path("buckets")) {
            for (JsonNode h : m.path("versions").path("hits").path("hits")) {
                MeshEvent e = decode(h);
                if (e != null) {
                    b.add(e);
                }
            }
        }
    }

    static void addCerts(InventoryBuilder b, JsonNode resp) {
        for (JsonNode m : resp.path("aggregations").path("meshes").path("buckets")) {
            String mesh = m.path("key").asText();
            Set<String> seen = new HashSet<>();
            List<JsonNode> serials = new ArrayList<>();
            for (JsonNode s : m.path("serials").path("buckets")) {
                serials.add(s);
                for (JsonNode h : s.path("sample").path("hits").path("hits")) {
                    if (seen.add(h.path("_id").asText())) {
                        MeshEvent e = decode(h);
                        if (e != null) {
                            b.add(e);
                        }
                    }
                }
            }
            for (JsonNode s : serials) {
                Instant first = instant(s.path("first"));
                Instant last = instant(s.path("last"));
                if (first != null && last != null) {
                    b.seen(mesh, s.path("key").asText(), first, last);
                }
            }
        }
    }

    /**
     * Successes per (client mesh, server mesh). Access logs name the server service, not its mesh:
     * the server mesh is the one that serves the service (server-side observations, else the
     * workloads of its /certs inventory). A service the client's own mesh also serves stays
     * unattributed, as a request to it may never have left the mesh.
     */
    static List<Traffic.PairSuccess> successes(JsonNode resp, TrustInventory inv) {
        Map<String, Set<String>> servedBy = new HashMap<>();
        for (JsonNode s :
                resp.path("aggregations").path("servers").path("services").path("buckets")) {
            for (JsonNode m : s.path("meshes").path("buckets")) {
                servedBy.computeIfAbsent(s.path("key").asText(), k -> new HashSet<>())
                        .add(m.path("key").asText());
            }
        }
        for (MeshInventory m : inv.meshes().values()) {
            for (Chain c : m.chains()) {
                SpiffeId id = SpiffeId.tryParse(c.workload());
                if (id != null && id.workloadName() != null) {
                    servedBy.computeIfAbsent(id.workloadName().toLowerCase(Locale.ROOT), k -> new HashSet<>())
                            .add(m.meshId());
                }
            }
        }
        Map<String, Traffic.PairSuccess> out = new LinkedHashMap<>();
        for (JsonNode m :
                resp.path("aggregations").path("successes").path("meshes").path("buckets")) {
            String client = m.path("key").asText();
            for (JsonNode s : m.path("services").path("buckets")) {
                Set<String> servers = servedBy.getOrDefault(s.path("key").asText(), Set.of());
                if (servers.contains(client)) {
                    continue;
                }
                Instant last = instant(s.path("last"));
                for (String server : servers) {
                    out.merge(
                            client + '\u0000' + server,
                            new Traffic.PairSuccess(
                                    client, server, s.path("doc_count").asLong(), last),
                            (a, b) -> new Traffic.PairSuccess(
                                    client,
                                    server,
                                    a.count() + b.count(),
                                    a.last() == null
                                                    || (b.last() != null
                                                            && b.last().isAfter(a.last()))
                                            ? b.last()
                                            : a.last()));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** The server identities each client mesh (and client identity, when logged) accepted. */
    static List<AcceptedSan> accepted(JsonNode resp) {
        List<AcceptedSan> out = new ArrayList<>();
        if (resp == null) {
            return out;
        }
        for (JsonNode m : resp.path("aggregations").path("accepted").path("buckets")) {
            for (JsonNode p : m.path("peers").path("buckets")) {
                for (JsonNode c : p.path("clients").path("buckets")) {
                    String client = c.path("key").asText("");
                    out.add(new AcceptedSan(
                            m.path("key").asText(),
                            client.isEmpty() ? null : client,
                            p.path("key").asText(),
                            c.path("doc_count").asLong(),
                            instant(c.path("last"))));
                }
            }
        }
        return out;
    }

    static List<Traffic.OpenFinding> openFindings(JsonNode resp) {
        List<Traffic.OpenFinding> out = new ArrayList<>();
        for (JsonNode h : resp.path("hits").path("hits")) {
            JsonNode s = h.path("_source");
            RejectedBy rb;
            try {
                rb = RejectedBy.fromWire(s.path("rejected_by").asText("unknown"));
            } catch (IllegalArgumentException e) {
                rb = RejectedBy.UNKNOWN;
            }
            out.add(new Traffic.OpenFinding(
                    s.path("id").asText(h.path("_id").asText()),
                    s.path("category").asText(),
                    s.path("client_mesh").asText(null),
                    s.path("server_mesh").asText(null),
                    rb,
                    parse(s.path("first_seen").asText(null)),
                    parse(s.path("last_seen").asText(null))));
        }
        return out;
    }

    private static MeshEvent decode(JsonNode hit) {
        try {
            return EventCodec.get().decode(hit.path("_source").toString());
        } catch (RuntimeException e) {
            LOG.debug(
                    "skipping undecodable inventory event {}: {}",
                    hit.path("_id").asText(),
                    e.toString());
            return null;
        }
    }

    private static Instant instant(JsonNode agg) {
        String s = agg.path("value_as_string").asText(null);
        if (s != null) {
            return parse(s);
        }
        return agg.path("value").isNumber()
                ? Instant.ofEpochMilli(agg.path("value").asLong())
                : null;
    }

    private static Instant parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
