package dev.meshlens.query.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.rollup.RollupKey.Kind;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * What diagnose asks of the events in a window [since, now], answered from the roll-ups
 * ({@code dev.meshlens.query.rollup}) instead of aggregating the window's raw events:
 *
 * <ul>
 *   <li>{@link #pairEvents}: the pair's failure count and categories, and the meshes whose clients called the
 *       server. Whole 5-minute buckets come from the pair roll-ups; the partial buckets at both edges
 *       ({@code [since, first whole bucket)} and {@code [last bucket start, now]}) from a raw-event query, so
 *       the counts are exact for any {@code since}. The ten latest failures (evidence) are one sorted raw
 *       search.
 *   <li>{@link #meshesOf}: in which meshes the client appears as a client, the server as a server, and the
 *       trust domains at all. From the hourly presence roll-ups: a bucket's first/last seen decide whether it
 *       has an event inside the window, which is exact whenever {@code since} is at or before the start of
 *       {@code now}'s hour (the edge buckets then lie on one side of the window's edge); a shorter window goes
 *       to the raw events.
 * </ul>
 *
 * Both answer in the shape of the raw aggregation's response, which they still produce without roll-ups: for a
 * window starting before roll-ups were first written (the marker {@code rollupsSince}; for the pair counts, only
 * the part before it), and when built with {@code rollups = false} (the test that holds both to one answer).
 */
final class PairWindow {
    private final QueryClient es;
    private final IndexNames names;
    private final boolean rollups;

    /**
     * @param rollups read roll-ups (the service's setting); false: aggregate the window's raw events, as before
     *     roll-ups existed
     */
    PairWindow(QueryClient es, IndexNames names, boolean rollups) {
        this.es = es;
        this.names = names;
        this.rollups = rollups;
    }

    // ---- the pair's events ----

    /**
     * Response shaped like the raw aggregation: {@code aggregations.failures} ({@code doc_count},
     * {@code categories.buckets}, {@code latest.hits.hits}) and {@code aggregations.from_meshes.m.buckets}.
     */
    CompletableFuture<JsonNode> pairEvents(String from, String to, Instant since, Instant now, Instant rollupsSince) {
        if (!rollups || rollupsSince == null) {
            return es.search(names.eventsPattern(), rawPairBody(from, to, window(since, now), true), "aggregations");
        }
        // whole buckets from the roll-ups, and only those written since roll-ups exist
        Instant mid0 = max(Kind.PAIR.ceil(since), Kind.PAIR.ceil(rollupsSince));
        Instant mid1 = Kind.PAIR.floor(now);
        if (!mid0.isBefore(mid1)) {
            // no whole bucket inside the window: the raw events of the pair are few
            return es.search(names.eventsPattern(), rawPairBody(from, to, window(since, now), true), "aggregations");
        }
        ObjectNode edges = QueryDsl.bool()
                .should(rangeLt("observed_time", since, mid0))
                .should(QueryDsl.range("observed_time", mid1, now))
                .build();
        CompletableFuture<JsonNode> edgeF =
                es.search(names.eventsPattern(), rawPairBody(from, to, edges, false), "aggregations");
        CompletableFuture<JsonNode> latestF =
                es.search(names.eventsPattern(), latestBody(from, to, since, now), "hits");
        CompletableFuture<JsonNode> midF =
                es.search(names.rollupsPattern(), rollupPairBody(from, to, mid0, mid1), "aggregations");
        return CompletableFuture.allOf(edgeF, latestF, midF)
                .thenApply(v -> mergePair(edgeF.join(), midF.join(), latestF.join()));
    }

    private static ObjectNode pairFilter(ObjectNode time, String from, String to) {
        return QueryDsl.bool()
                .filter(time)
                .filter(QueryDsl.term("server_service", to))
                .filter(QueryDsl.bool()
                        .should(QueryDsl.term("client_service", from))
                        .should(QueryDsl.bool()
                                .mustNot(QueryDsl.exists("client_service"))
                                .build())
                        .build())
                .build();
    }

    /** Today's (and the edges') aggregation over raw events; with the evidence when {@code latest}. */
    static ObjectNode rawPairBody(String from, String to, ObjectNode time, boolean latest) {
        ObjectNode eBody = QueryDsl.obj();
        eBody.set("query", pairFilter(time, from, to));
        eBody.put("size", 0);
        eBody.put("track_total_hits", false); // only the aggregations are read: skip counting hits
        ObjectNode aggs = eBody.putObject("aggs");
        ObjectNode fails = aggs.putObject("failures");
        fails.set("filter", QueryDsl.term("failure", true));
        ObjectNode fa = fails.putObject("aggs");
        fa.putObject("categories").putObject("terms").put("field", "category").put("size", 20);
        if (latest) {
            ObjectNode top = fa.putObject("latest").putObject("top_hits");
            top.put("size", EVIDENCE);
            top.putArray("sort").addObject().putObject("observed_time").put("order", "desc");
            top.putObject("_source")
                    .putArray("excludes")
                    .add("search_text")
                    .add("search_words")
                    .add(Documents.INGEST_ORIGIN);
        }
        ObjectNode clientMeshes = aggs.putObject("from_meshes");
        clientMeshes.set("filter", QueryDsl.term("observer_role", "client"));
        clientMeshes
                .putObject("aggs")
                .putObject("m")
                .putObject("terms")
                .put("field", "mesh_id")
                .put("size", 20);
        return eBody;
    }

    /** How many of the latest failures diagnose shows as evidence. */
    static final int EVIDENCE = 10;

    private static ObjectNode latestBody(String from, String to, Instant since, Instant now) {
        ObjectNode b = QueryDsl.obj();
        b.set(
                "query",
                QueryDsl.bool()
                        .filter(pairFilter(window(since, now), from, to))
                        .filter(QueryDsl.term("failure", true))
                        .build());
        b.put("size", EVIDENCE);
        b.put("track_total_hits", false);
        QueryDsl.sortDesc(b, "observed_time");
        b.putObject("_source")
                .putArray("excludes")
                .add("search_text")
                .add("search_words")
                .add(Documents.INGEST_ORIGIN);
        return b;
    }

    private static ObjectNode rollupPairBody(String from, String to, Instant mid0, Instant mid1) {
        ObjectNode b = QueryDsl.obj();
        b.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("kind", Kind.PAIR.wireName()))
                        .filter(pairFilter(rangeLt("bucket", mid0, mid1), from, to))
                        .build());
        b.put("size", 0);
        b.put("track_total_hits", false);
        ObjectNode aggs = b.putObject("aggs");
        ObjectNode fails = aggs.putObject("failures");
        fails.set("filter", QueryDsl.term("failure", true));
        ObjectNode fa = fails.putObject("aggs");
        fa.putObject("n").putObject("sum").put("field", "count");
        ObjectNode cats = fa.putObject("categories");
        cats.putObject("terms").put("field", "category").put("size", 100);
        cats.putObject("aggs").putObject("n").putObject("sum").put("field", "count");
        ObjectNode clientMeshes = aggs.putObject("from_meshes");
        clientMeshes.set("filter", QueryDsl.term("observer_role", "client"));
        clientMeshes
                .putObject("aggs")
                .putObject("m")
                .putObject("terms")
                .put("field", "mesh_id")
                .put("size", 100);
        return b;
    }

    private static JsonNode mergePair(JsonNode edge, JsonNode mid, JsonNode latest) {
        JsonNode ef = edge.path("aggregations").path("failures");
        JsonNode mf = mid.path("aggregations").path("failures");
        long failures =
                ef.path("doc_count").asLong() + mf.path("n").path("value").asLong();
        Map<String, Long> cats = new TreeMap<>();
        for (JsonNode c : ef.path("categories").path("buckets")) {
            cats.merge(c.path("key").asText(), c.path("doc_count").asLong(), Long::sum);
        }
        for (JsonNode c : mf.path("categories").path("buckets")) {
            cats.merge(c.path("key").asText(), c.path("n").path("value").asLong(), Long::sum);
        }
        // as a terms aggregation orders: count descending, then key ascending
        List<Map.Entry<String, Long>> ordered = new ArrayList<>(cats.entrySet());
        ordered.sort((a, b) -> a.getValue().equals(b.getValue())
                ? a.getKey().compareTo(b.getKey())
                : Long.compare(b.getValue(), a.getValue()));
        Set<String> clientMeshes = new TreeSet<>();
        keys(edge.path("aggregations").path("from_meshes").path("m"), clientMeshes);
        keys(mid.path("aggregations").path("from_meshes").path("m"), clientMeshes);

        ObjectNode out = QueryDsl.obj();
        ObjectNode aggs = out.putObject("aggregations");
        ObjectNode f = aggs.putObject("failures");
        f.put("doc_count", failures);
        ArrayNode cb = f.putObject("categories").putArray("buckets");
        for (Map.Entry<String, Long> e : ordered.subList(0, Math.min(20, ordered.size()))) {
            cb.addObject().put("key", e.getKey()).put("doc_count", e.getValue());
        }
        f.putObject("latest").set("hits", latest.path("hits"));
        buckets(aggs.putObject("from_meshes").putObject("m"), clientMeshes);
        return out;
    }

    // ---- where the endpoints appear ----

    /**
     * Response shaped like the raw aggregation: {@code aggregations.td.buckets[].m.buckets} (meshes per trust
     * domain), {@code aggregations.from_svc.m.buckets}, {@code aggregations.to_svc.m.buckets}.
     */
    CompletableFuture<JsonNode> meshesOf(
            String from, String to, Collection<String> tds, Instant since, Instant now, Instant rollupsSince) {
        if (!rollups
                || rollupsSince == null
                || since.isBefore(rollupsSince)
                || since.isAfter(Kind.PRESENCE.floor(now))) {
            return es.search(names.eventsPattern(), rawPresenceBody(from, to, tds, since, now), "aggregations");
        }
        ObjectNode b = QueryDsl.obj();
        b.put("size", 0);
        b.put("track_total_hits", false);
        QueryDsl.Bool any = QueryDsl.bool();
        if (!tds.isEmpty()) {
            any.should(QueryDsl.terms("trust_domain", tds));
        }
        any.should(roleService("client", from));
        any.should(roleService("server", to));
        b.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("kind", Kind.PRESENCE.wireName()))
                        .filter(QueryDsl.range("bucket", Kind.PRESENCE.floor(since), now))
                        // the bucket has an event inside [since, now] (exact, see the class comment)
                        .filter(QueryDsl.range("last_seen", since, null))
                        .filter(QueryDsl.range("first_seen", null, now))
                        .filter(any.build())
                        .build());
        ObjectNode ta = b.putObject("aggs");
        ObjectNode byTd = ta.putObject("td");
        byTd.putObject("terms").put("field", "trust_domain").put("size", 20);
        meshTerms(byTd);
        meshTerms(ta.putObject("from_svc").set("filter", roleService("client", from)));
        meshTerms(ta.putObject("to_svc").set("filter", roleService("server", to)));
        return es.search(names.rollupsPattern(), b, "aggregations");
    }

    private static ObjectNode roleService(String role, String service) {
        return QueryDsl.bool()
                .filter(QueryDsl.term("observer_role", role))
                .filter(QueryDsl.term("service", service))
                .build();
    }

    private static void meshTerms(JsonNode agg) {
        ((ObjectNode) agg)
                .putObject("aggs")
                .putObject("m")
                .putObject("terms")
                .put("field", "mesh_id")
                .put("size", 20);
    }

    static ObjectNode rawPresenceBody(String from, String to, Collection<String> tds, Instant since, Instant now) {
        ObjectNode tBody = QueryDsl.obj();
        tBody.put("size", 0);
        tBody.put("track_total_hits", false);
        QueryDsl.Bool tq = QueryDsl.bool().filter(window(since, now));
        QueryDsl.Bool any = QueryDsl.bool();
        if (!tds.isEmpty()) {
            any.should(QueryDsl.terms("trust_domain", tds));
        }
        any.should(rawRole("client", "client_service", from));
        any.should(rawRole("server", "server_service", to));
        tq.filter(any.build());
        tBody.set("query", tq.build());
        ObjectNode ta = tBody.putObject("aggs");
        ObjectNode byTd = ta.putObject("td");
        byTd.putObject("terms").put("field", "trust_domain").put("size", 20);
        meshTerms(byTd);
        meshTerms(ta.putObject("from_svc").set("filter", rawRole("client", "client_service", from)));
        meshTerms(ta.putObject("to_svc").set("filter", rawRole("server", "server_service", to)));
        return tBody;
    }

    private static ObjectNode rawRole(String role, String field, String service) {
        return QueryDsl.bool()
                .filter(QueryDsl.term("observer_role", role))
                .filter(QueryDsl.term(field, service))
                .build();
    }

    // ---- helpers ----

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static ObjectNode window(Instant since, Instant now) {
        return QueryDsl.range("observed_time", since, now);
    }

    /** {@code field} in [from, to): a half-open range, so adjacent ranges never count an event twice. */
    private static ObjectNode rangeLt(String field, Instant from, Instant to) {
        ObjectNode o = QueryDsl.obj();
        ObjectNode r = o.putObject("range").putObject(field);
        r.put("gte", from.toString());
        r.put("lt", to.toString());
        return o;
    }

    private static void keys(JsonNode terms, Set<String> into) {
        terms.path("buckets").forEach(b -> into.add(b.path("key").asText()));
    }

    private static void buckets(ObjectNode terms, Set<String> keys) {
        ArrayNode a = terms.putArray("buckets");
        keys.forEach(k -> a.addObject().put("key", k));
    }
}
