package dev.meshlens.query.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The read side of the API: findings, one finding with both sides' evidence, event search and
 * the mesh inventory. Every method is non-blocking (futures of JSON) and applies the caller's
 * {@link Scope} inside the Elasticsearch query, so data of other meshes never leaves the cluster.
 */
public final class ReadModel {
    /** Fields derived at index time that are not part of the wire records. */
    static final List<String> DERIVED_FINDING_FIELDS = List.of("meshes", "updated_at", "client_service");
    /** Fields of an event document that exist for search only. */
    private static final List<String> INDEX_ONLY_EVENT_FIELDS =
            List.of("search_text", "search_words", "ingested_at", Documents.INGEST_ORIGIN);

    /**
     * How long a first page of findings is served from memory: the on-call page and its viewers ask
     * the same page many times a second, and a finding a second late is still on time (the
     * correlator's own delay is larger).
     */
    public static final Duration FINDINGS_PAGE_TTL = Duration.ofSeconds(1);
    /** Distinct (scope, filters) first pages kept; a few tokens times a few filter sets. */
    static final int FINDINGS_PAGE_ENTRIES = 256;
    /** What Elasticsearch returns of a findings or events search: the API uses nothing else. */
    static final String HITS_ONLY = "hits.total,hits.hits._id,hits.hits._source";

    private final QueryClient es;
    private final IndexNames names;
    private final Clock clock;
    /** First pages as the serialised response: a cache hit costs no JSON writing, only the copy to the socket. */
    private final PageCache<FindingsKey, byte[]> firstPages;

    public ReadModel(QueryClient es, IndexNames names, Clock clock) {
        this(es, names, clock, new PageCache<>(FINDINGS_PAGE_TTL, FINDINGS_PAGE_ENTRIES, clock));
    }

    /** With a given first-page cache (tests: another TTL; {@code Duration.ZERO} disables it). */
    public ReadModel(QueryClient es, IndexNames names, Clock clock, PageCache<FindingsKey, byte[]> firstPages) {
        this.es = es;
        this.names = names;
        this.clock = clock;
        this.firstPages = firstPages;
    }

    public QueryClient es() {
        return es;
    }

    public IndexNames names() {
        return names;
    }

    public Clock clock() {
        return clock;
    }

    /** Filters of {@code GET /findings}. */
    public record FindingFilter(
            Set<String> meshes, Set<String> categories, String state, Instant since, int page, int size) {}

    /** Filters of {@code GET /events}. */
    public record EventFilter(
            Set<String> meshes,
            Set<String> categories,
            Set<String> sourceKinds,
            String q,
            Instant since,
            Instant until,
            int size) {}

    static ObjectNode scopeFilter(Scope scope, String field) {
        return scope.admin() ? null : QueryDsl.terms(field, scope.meshes());
    }

    public static void requireMeshesInScope(Scope scope, Set<String> meshes) {
        if (scope.admin()) {
            return;
        }
        for (String m : meshes) {
            if (!scope.meshes().contains(m)) {
                throw ReadRefused.forbidden("token '" + scope.tokenName() + "' is not granted mesh '" + m + "'");
            }
        }
    }

    /** A cached first page: the scope is part of the key, so two scopes never share an answer. */
    public record FindingsKey(Scope scope, FindingFilter filter) {}

    /**
     * A page of findings. The first page (page 0) is cached per scope and filters for
     * {@link #FINDINGS_PAGE_TTL}; a relative {@code since} ("24h") is rounded down to the second
     * so that requests within the same second share the entry (the window grows by under a second).
     */
    public CompletableFuture<ObjectNode> findings(FindingFilter f, Scope scope) {
        return findingsJson(f, scope).thenApply(ReadModel::parse);
    }

    /**
     * {@link #findings} as the response body's bytes, what the HTTP API sends: the cached first page is the
     * serialised page (a ~33 kB page of 50 findings is written once per TTL, not once per request).
     */
    public CompletableFuture<byte[]> findingsJson(FindingFilter f, Scope scope) {
        requireMeshesInScope(scope, f.meshes());
        if (f.page() != 0) {
            return searchFindings(f, scope).thenApply(Documents::bytes);
        }
        FindingFilter keyed = f.since() == null
                ? f
                : new FindingFilter(
                        f.meshes(),
                        f.categories(),
                        f.state(),
                        f.since().truncatedTo(ChronoUnit.SECONDS),
                        f.page(),
                        f.size());
        return firstPages.get(
                new FindingsKey(scope, keyed),
                () -> searchFindings(keyed, scope).thenApply(Documents::bytes));
    }

    private static ObjectNode parse(byte[] json) {
        try {
            return (ObjectNode) QueryClient.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // bytes this class wrote itself
        }
    }

    private CompletableFuture<ObjectNode> searchFindings(FindingFilter f, Scope scope) {
        QueryDsl.Bool b = QueryDsl.bool().filter(scopeFilter(scope, "meshes"));
        if (!f.meshes().isEmpty()) {
            b.filter(QueryDsl.terms("meshes", f.meshes()));
        }
        if (!f.categories().isEmpty()) {
            b.filter(QueryDsl.terms("category", f.categories()));
        }
        if (f.state() != null) {
            b.filter(QueryDsl.term("state", f.state()));
        }
        if (f.since() != null) {
            b.filter(QueryDsl.range("last_seen", f.since(), null));
        }
        ObjectNode body = QueryDsl.obj();
        body.set("query", b.build());
        body.put("from", f.page() * f.size());
        body.put("size", f.size());
        body.put("track_total_hits", true);
        QueryDsl.sortDesc(body, "last_seen");
        sourceExcludes(body, DERIVED_FINDING_FIELDS);
        return es.search(names.findings(), body, HITS_ONLY).thenApply(resp -> {
            ObjectNode out = QueryDsl.obj();
            out.put("total", total(resp));
            out.put("page", f.page());
            out.put("size", f.size());
            ArrayNode items = out.putArray("items");
            for (JsonNode h : resp.path("hits").path("hits")) {
                ObjectNode src = (ObjectNode) h.get("_source");
                src.remove(DERIVED_FINDING_FIELDS); // already excluded at the source; kept for older indices' documents
                items.add(src);
            }
            return out;
        });
    }

    /** Elasticsearch leaves these fields out of {@code _source}: they are not part of the answer. */
    static void sourceExcludes(ObjectNode body, List<String> fields) {
        ArrayNode ex = body.putObject("_source").putArray("excludes");
        fields.forEach(ex::add);
    }

    static ObjectNode cleanFinding(ObjectNode src) {
        ObjectNode c = src.deepCopy();
        DERIVED_FINDING_FIELDS.forEach(c::remove);
        return c;
    }

    static long total(JsonNode resp) {
        JsonNode t = resp.path("hits").path("total");
        return t.isObject() ? t.path("value").asLong() : t.asLong();
    }

    /** The finding record itself (404 when unknown, 403 outside the scope), as the correlator wrote it. */
    public CompletableFuture<dev.meshlens.events.Finding> findingRecord(String id, Scope scope) {
        return es.get(names.findings(), id).thenApply(doc -> {
            if (doc == null || !doc.path("found").asBoolean()) {
                throw ReadRefused.notFound("no finding with id '" + id + "'");
            }
            ObjectNode src = (ObjectNode) doc.get("_source");
            Set<String> meshes = new HashSet<>();
            src.path("meshes").forEach(m -> meshes.add(m.asText()));
            if (!scope.canSeeAny(meshes)) {
                throw ReadRefused.forbidden(
                        "finding '" + id + "' involves no mesh granted to token '" + scope.tokenName() + "'");
            }
            return dev.meshlens.events.EventCodec.get()
                    .decodeFinding(cleanFinding(src).toString());
        });
    }

    /** One finding with the evidence events of both sides and its history. */
    public CompletableFuture<ObjectNode> finding(String id, Scope scope) {
        return es.get(names.findings(), id).thenCompose(doc -> {
            if (doc == null || !doc.path("found").asBoolean()) {
                throw ReadRefused.notFound("no finding with id '" + id + "'");
            }
            ObjectNode src = (ObjectNode) doc.get("_source");
            Set<String> meshes = new HashSet<>();
            src.path("meshes").forEach(m -> meshes.add(m.asText()));
            if (!scope.canSeeAny(meshes)) {
                throw ReadRefused.forbidden(
                        "finding '" + id + "' involves no mesh granted to token '" + scope.tokenName() + "'");
            }
            List<String> evidenceIds = new ArrayList<>();
            src.path("evidence_ids").forEach(e -> evidenceIds.add(e.asText()));
            ObjectNode evBody = QueryDsl.obj();
            evBody.set("query", QueryDsl.ids(evidenceIds));
            evBody.put("size", Math.max(1, evidenceIds.size()));
            QueryDsl.sortDesc(evBody, "observed_time");
            ObjectNode histBody = QueryDsl.obj();
            histBody.set("query", QueryDsl.term("finding_id", id));
            histBody.put("size", 200);
            histBody.putArray("_source")
                    .add("state")
                    .add("version_time")
                    .add("count")
                    .add("last_seen")
                    .add("finding.history");
            histBody.putArray("sort").addObject().putObject("version_time").put("order", "asc");
            CompletableFuture<JsonNode> ev = evidenceIds.isEmpty()
                    ? CompletableFuture.completedFuture(QueryDsl.obj())
                    : es.search(names.eventsPattern(), evBody);
            CompletableFuture<JsonNode> hist = es.search(names.findingsHistory(), histBody);
            return ev.thenCombine(hist, (evResp, histResp) -> {
                ObjectNode out = QueryDsl.obj();
                out.set("finding", cleanFinding(src));
                ObjectNode evidence = out.putObject("evidence");
                ArrayNode client = evidence.putArray("client_side");
                ArrayNode server = evidence.putArray("server_side");
                ArrayNode other = QueryDsl.obj().arrayNode();
                Set<String> found = new HashSet<>();
                String clientMesh = src.path("client_mesh").asText(null);
                String serverMesh = src.path("server_mesh").asText(null);
                for (JsonNode h : evResp.path("hits").path("hits")) {
                    JsonNode e = h.get("_source");
                    found.add(h.path("_id").asText());
                    String mesh = e.path("mesh_id").asText();
                    String role = e.path("observer_role").asText();
                    if (mesh.equals(clientMesh) && (!mesh.equals(serverMesh) || !"server".equals(role))) {
                        client.add(e);
                    } else if (mesh.equals(serverMesh)) {
                        server.add(e);
                    } else {
                        other.add(e);
                    }
                }
                if (!other.isEmpty()) {
                    evidence.set("other", other);
                }
                ArrayNode missing = evidence.putArray("missing_ids");
                evidenceIds.stream().filter(x -> !found.contains(x)).forEach(missing::add);
                ArrayNode history = out.putArray("history");
                for (JsonNode h : histResp.path("hits").path("hits")) {
                    JsonNode s = h.get("_source");
                    ObjectNode v = history.addObject();
                    v.put("at", s.path("version_time").asText());
                    v.put("state", s.path("state").asText());
                    v.put("count", s.path("count").asLong());
                    if (s.has("last_seen")) {
                        v.put("last_seen", s.path("last_seen").asText());
                    }
                    JsonNode changes = s.path("finding").path("history");
                    if (changes.isArray() && !changes.isEmpty()) {
                        v.put(
                                "reason",
                                changes.get(changes.size() - 1).path("reason").asText(""));
                    }
                }
                return out;
            });
        });
    }

    public CompletableFuture<ObjectNode> events(EventFilter f, Scope scope) {
        requireMeshesInScope(scope, f.meshes());
        QueryDsl.Bool b = QueryDsl.bool().filter(scopeFilter(scope, "mesh_id"));
        if (!f.meshes().isEmpty()) {
            b.filter(QueryDsl.terms("mesh_id", f.meshes()));
        }
        if (!f.categories().isEmpty()) {
            b.filter(QueryDsl.terms("category", f.categories()));
        }
        if (!f.sourceKinds().isEmpty()) {
            b.filter(QueryDsl.terms("source_kind", f.sourceKinds()));
        }
        b.filter(QueryDsl.range("observed_time", f.since(), f.until()));
        if (f.q() != null && !f.q().isBlank()) {
            ObjectNode sqs = QueryDsl.obj();
            ObjectNode s = sqs.putObject("simple_query_string");
            s.put("query", f.q());
            s.putArray("fields").add("search_text").add("search_words");
            s.put("default_operator", "and");
            b.must(sqs);
        }
        ObjectNode body = QueryDsl.obj();
        body.set("query", b.build());
        body.put("size", f.size());
        body.put("track_total_hits", true);
        QueryDsl.sortDesc(body, "observed_time");
        sourceExcludes(body, INDEX_ONLY_EVENT_FIELDS);
        return es.search(names.eventsPattern(), body, HITS_ONLY).thenApply(resp -> {
            ObjectNode out = QueryDsl.obj();
            out.put("total", total(resp));
            ArrayNode items = out.putArray("items");
            for (JsonNode h : resp.path("hits").path("hits")) {
                ObjectNode src = (ObjectNode) h.get("_source");
                src.remove(INDEX_ONLY_EVENT_FIELDS);
                items.add(src);
            }
            return out;
        });
    }

    /** Open findings per category (for the {@code meshlens.findings.open} gauge). */
    public CompletableFuture<Map<String, Long>> openFindingsByCategory() {
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.set("query", QueryDsl.term("state", "open"));
        body.putObject("aggs")
                .putObject("c")
                .putObject("terms")
                .put("field", "category")
                .put("size", 100);
        return es.search(names.findings(), body).thenApply(resp -> {
            Map<String, Long> m = new LinkedHashMap<>();
            for (JsonNode b : resp.path("aggregations").path("c").path("buckets")) {
                m.put(b.path("key").asText(), b.path("doc_count").asLong());
            }
            return m;
        });
    }

    // ---- mesh inventory ----

    /** Settings of the inventory: how near is "near expiry", when is a mesh silent, the window. */
    public record InventorySettings(int certWarningDays, Duration blindAfter, Duration window) {}

    public CompletableFuture<ObjectNode> meshes(Scope scope, InventorySettings s) {
        Instant now = clock.instant();
        Instant windowStart = now.minus(s.window());
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        ObjectNode scopeQ = scopeFilter(scope, "mesh_id");
        if (scopeQ != null) {
            body.set("query", scopeQ);
        }
        ObjectNode meshes = body.putObject("aggs").putObject("meshes");
        meshes.putObject("terms").put("field", "mesh_id").put("size", 1000);
        ObjectNode aggs = meshes.putObject("aggs");
        aggs.putObject("last_seen").putObject("max").put("field", "observed_time");
        aggs.putObject("kind").putObject("terms").put("field", "mesh_kind").put("size", 1);
        aggs.putObject("trust_domains")
                .putObject("terms")
                .put("field", "trust_domain")
                .put("size", 20);
        ObjectNode recent = aggs.putObject("recent");
        recent.set("filter", QueryDsl.range("observed_time", windowStart, null));
        ObjectNode ra = recent.putObject("aggs");
        ra.putObject("failures").set("filter", QueryDsl.term("failure", true));
        ObjectNode sources = ra.putObject("sources");
        sources.putObject("terms").put("field", "source_kind").put("size", 10);
        sources.putObject("aggs").putObject("last").putObject("max").put("field", "observed_time");
        ObjectNode bundles = aggs.putObject("bundles");
        bundles.set("filter", QueryDsl.term("source_kind", "trust-bundle"));
        ObjectNode bth = bundles.putObject("aggs").putObject("latest").putObject("top_hits");
        bth.put("size", 5);
        bth.putArray("sort").addObject().putObject("observed_time").put("order", "desc");
        bth.putArray("_source").add("trust_bundle").add("observed_time");
        ObjectNode certs = aggs.putObject("certs");
        certs.set("filter", QueryDsl.term("source_kind", "envoy-certs"));
        ObjectNode cth = certs.putObject("aggs").putObject("latest").putObject("top_hits");
        cth.put("size", 20);
        cth.putArray("sort").addObject().putObject("observed_time").put("order", "desc");
        cth.putArray("_source").add("certificates").add("cluster").add("observed_time");

        return es.search(names.eventsPattern(), body).thenApply(resp -> {
            ObjectNode out = QueryDsl.obj();
            out.put("generated_at", now.toString());
            ArrayNode list = out.putArray("meshes");
            for (JsonNode b : resp.path("aggregations").path("meshes").path("buckets")) {
                list.add(meshEntry(b, now, s));
            }
            return out;
        });
    }

    private static ObjectNode meshEntry(JsonNode b, Instant now, InventorySettings s) {
        ObjectNode m = QueryDsl.obj();
        String mesh = b.path("key").asText();
        m.put("mesh_id", mesh);
        JsonNode kind = b.path("kind").path("buckets");
        if (kind.size() > 0) {
            m.put("mesh_kind", kind.get(0).path("key").asText());
        }
        ArrayNode tds = m.putArray("trust_domains");
        b.path("trust_domains")
                .path("buckets")
                .forEach(t -> tds.add(t.path("key").asText()));
        String lastSeen = b.path("last_seen").path("value_as_string").asText(null);
        if (lastSeen != null) {
            m.put("last_seen", lastSeen);
        }
        JsonNode recent = b.path("recent");
        m.put("events_24h", recent.path("doc_count").asLong());
        m.put("failures_24h", recent.path("failures").path("doc_count").asLong());
        ObjectNode sk = m.putObject("source_kinds");
        for (JsonNode sb : recent.path("sources").path("buckets")) {
            sk.put(
                    sb.path("key").asText(),
                    sb.path("last").path("value_as_string").asText());
        }
        // trust bundles: newest per (source, trust domain)
        ArrayNode bundles = m.putArray("bundles");
        Set<String> seenBundles = new HashSet<>();
        List<ObjectNode> nearExpiry = new ArrayList<>();
        for (JsonNode h : b.path("bundles").path("latest").path("hits").path("hits")) {
            JsonNode tb = h.path("_source").path("trust_bundle");
            String key =
                    tb.path("source").asText() + "|" + tb.path("trust_domain").asText();
            if (!seenBundles.add(key)) {
                continue;
            }
            ObjectNode bo = bundles.addObject();
            copy(tb, bo, "source", "trust_domain");
            bo.put("observed_time", h.path("_source").path("observed_time").asText());
            ArrayNode roots = bo.putArray("roots");
            for (JsonNode r : tb.path("roots")) {
                ObjectNode ro = roots.addObject();
                copy(r, ro, "subject", "sha256_fingerprint", "not_before", "not_after");
                Long days = daysLeft(r.path("not_after").asText(null), now);
                if (days != null) {
                    ro.put("days_left", days);
                    if (days <= s.certWarningDays()) {
                        ObjectNode ne = QueryDsl.obj();
                        copy(r, ne, "subject", "sha256_fingerprint", "not_after");
                        ne.put("kind", "root");
                        ne.put("days_left", days);
                        nearExpiry.add(ne);
                    }
                }
            }
        }
        // certificates: newest sighting per fingerprint
        Set<String> seenCerts = new HashSet<>();
        for (JsonNode h : b.path("certs").path("latest").path("hits").path("hits")) {
            for (JsonNode c : h.path("_source").path("certificates")) {
                String fp = c.path("sha256_fingerprint")
                        .asText(c.path("serial_number").asText(""));
                if (!seenCerts.add(fp)) {
                    continue;
                }
                Long days = daysLeft(c.path("not_after").asText(null), now);
                if (days != null && days <= s.certWarningDays()) {
                    ObjectNode ne = QueryDsl.obj();
                    copy(c, ne, "subject", "issuer", "sha256_fingerprint", "uri_sans", "not_after");
                    ne.put("kind", c.path("ca").asBoolean() ? "root" : "leaf");
                    ne.put("days_left", days);
                    if (h.path("_source").has("cluster")) {
                        ne.put("cluster", h.path("_source").path("cluster").asText());
                    }
                    nearExpiry.add(ne);
                }
            }
        }
        nearExpiry.sort((x, y) ->
                Long.compare(x.path("days_left").asLong(), y.path("days_left").asLong()));
        ArrayNode ne = m.putArray("certificates_near_expiry");
        nearExpiry.forEach(ne::add);
        ArrayNode blind = m.putArray("blind_spots");
        if (lastSeen != null && Instant.parse(lastSeen).isBefore(now.minus(s.blindAfter()))) {
            blind.add(blindSpot(
                    "silent",
                    "no event from mesh " + mesh + " since " + lastSeen
                            + ": its collector or Kafka path is down; findings involving it may be one-sided"));
        }
        if (!sk.has("access-log") && !sk.has("otel-log")) {
            blind.add(blindSpot(
                    "no_access_logs",
                    "no access-log or OTLP log events in the window: client-side failures " + "of mesh " + mesh
                            + " are invisible"));
        }
        if (!sk.has("envoy-stats")) {
            blind.add(blindSpot(
                    "no_ssl_stats",
                    "no envoy-stats (ssl.*) events in the window: failed inbound handshakes " + "of mesh " + mesh
                            + " are invisible unless listener access logs are on"));
        }
        if (!sk.has("envoy-certs")) {
            blind.add(blindSpot("no_certs", "no envoy /certs inventory in the window: certificate expiry is unknown"));
        }
        if (!sk.has("trust-bundle")) {
            blind.add(blindSpot(
                    "no_trust_bundle",
                    "no trust bundle in the window: which roots mesh " + mesh + " trusts is unknown"));
        }
        return m;
    }

    private static ObjectNode blindSpot(String kind, String detail) {
        ObjectNode o = QueryDsl.obj();
        o.put("kind", kind);
        o.put("detail", detail);
        return o;
    }

    static Long daysLeft(String notAfter, Instant now) {
        if (notAfter == null || notAfter.isEmpty()) {
            return null;
        }
        try {
            return Math.floorDiv(Duration.between(now, Instant.parse(notAfter)).toSeconds(), 86_400L);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void copy(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            JsonNode v = from.get(f);
            if (v != null && !v.isNull()) {
                to.set(f, v);
            }
        }
    }

    /** Distinct values helper. */
    static Set<String> texts(JsonNode arr) {
        Set<String> s = new LinkedHashSet<>();
        arr.forEach(n -> s.add(n.asText()));
        return s;
    }
}
