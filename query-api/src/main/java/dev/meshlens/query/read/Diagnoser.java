package dev.meshlens.query.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "Why can't A reach B?": resolves both endpoints (SPIFFE ID or service name), looks up the pair's
 * findings and recent failure events, finds which meshes each endpoint lives in, and tells a
 * healthy pair ("no failures seen") from a blind one ("no data from mesh X").
 *
 * <p>Three reads run in parallel (findings of the pair; the pair's events in the window; meshes of the
 * trust domains and services, the last two from the roll-ups, see {@link PairWindow}), then the shared
 * presence cache says, per involved mesh, whether it reported anything at all and whether it reports
 * {@code ssl.*} stats.
 */
public final class Diagnoser {
    /** Verdicts, a public contract (page, docs). */
    public static final String FAILING = "FAILING";

    public static final String FAILING_UNCORRELATED = "FAILING_UNCORRELATED";
    public static final String RECOVERED = "RECOVERED";
    public static final String NO_FAILURES_SEEN = "NO_FAILURES_SEEN";
    public static final String BLIND = "BLIND";
    public static final String UNKNOWN_ENDPOINTS = "UNKNOWN_ENDPOINTS";

    private final QueryClient es;
    private final IndexNames names;
    private final PairWindow window;

    public Diagnoser(ReadModel read) {
        this(read, true);
    }

    /**
     * @param rollups answer from the roll-ups (false: aggregate the window's raw events, as before roll-ups
     *     existed; the test that holds both to one answer uses it)
     */
    public Diagnoser(ReadModel read, boolean rollups) {
        this.es = read.es();
        this.names = read.names();
        this.window = new PairWindow(es, names, rollups);
    }

    /** Since when ingest writes roll-ups; null until the marker is there (then: raw events only). */
    private final AtomicReference<Instant> rollupsSince = new AtomicReference<>();

    private CompletableFuture<Instant> rollupsSince() {
        Instant known = rollupsSince.get();
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return es.get(names.meta(), ElasticStore.ROLLUPS_SINCE_ID).thenApply(doc -> {
            String t = doc == null
                    ? null
                    : doc.path("_source").path("rollups_since").asText(null);
            if (t == null) {
                return null;
            }
            Instant at = Instant.parse(t);
            rollupsSince.set(at);
            return at;
        });
    }

    /** One resolved endpoint. */
    public record Endpoint(String input, String service, SpiffeId spiffe) {
        public static Endpoint parse(String parameter, String input) {
            if (input == null || input.isBlank()) {
                throw ReadRefused.badParameter(parameter, "required: a SPIFFE ID (spiffe://…) or a service name");
            }
            String in = input.trim();
            if (in.length() > 2048) {
                throw ReadRefused.badParameter(parameter, "longer than 2048 characters");
            }
            if (in.regionMatches(true, 0, "spiffe://", 0, 9)) {
                SpiffeId id;
                try {
                    id = SpiffeId.parse(in);
                } catch (IllegalArgumentException e) {
                    throw ReadRefused.badParameter(parameter, e.getMessage());
                }
                String svc = Documents.serviceOf(in);
                return new Endpoint(in, svc, id);
            }
            String svc = Documents.serviceOf(in);
            if (svc == null || svc.isBlank()) {
                throw ReadRefused.badParameter(parameter, "'" + in + "' names no service");
            }
            return new Endpoint(in, svc, null);
        }

        ObjectNode json(Set<String> meshes) {
            ObjectNode o = QueryDsl.obj();
            o.put("input", input);
            if (service != null) {
                o.put("service", service);
            }
            if (spiffe != null) {
                o.put("spiffe_id", spiffe.uri());
                o.put("trust_domain", spiffe.trustDomain());
                o.put("template", spiffe.template());
            }
            ArrayNode a = o.putArray("meshes");
            meshes.forEach(a::add);
            return o;
        }
    }

    public CompletableFuture<ObjectNode> diagnose(Endpoint from, Endpoint to, Instant since, Instant now, Scope scope) {
        // 1. findings of the pair (any state), newest first
        // unscoped on purpose: the pair's meshes decide 403; only findings the token may see are returned
        QueryDsl.Bool fb = QueryDsl.bool();
        fb.filter(
                to.spiffe() != null
                        ? QueryDsl.bool()
                                .should(QueryDsl.term("server_service", nz(to.service())))
                                .should(QueryDsl.term("server_identity", to.input()))
                                .build()
                        : QueryDsl.term("server_service", to.service()));
        fb.filter(QueryDsl.bool()
                .should(QueryDsl.term("client_service", nz(from.service())))
                .should(QueryDsl.term("client_identity", from.input()))
                .build());
        ObjectNode fBody = QueryDsl.obj();
        fBody.set("query", fb.build());
        fBody.put("size", 20);
        QueryDsl.sortDesc(fBody, "last_seen");
        ReadModel.sourceExcludes(fBody, ReadModel.DERIVED_FINDING_FIELDS);

        // 2. the pair's events in the window (failures, their categories, the latest as evidence, the meshes whose
        // clients called B) and 3. the meshes of the trust domains and of the services: from the roll-ups
        Set<String> tds = new LinkedHashSet<>();
        if (from.spiffe() != null) {
            tds.add(from.spiffe().trustDomain());
        }
        if (to.spiffe() != null) {
            tds.add(to.spiffe().trustDomain());
        }
        return rollupsSince()
                .thenCompose(rs -> answer(
                        from,
                        to,
                        since,
                        now,
                        scope,
                        es.search(names.findings(), fBody, "hits.hits._source"),
                        window.pairEvents(nz(from.service()), to.service(), since, now, rs),
                        window.meshesOf(nz(from.service()), nz(to.service()), tds, since, now, rs)));
    }

    private CompletableFuture<ObjectNode> answer(
            Endpoint from,
            Endpoint to,
            Instant since,
            Instant now,
            Scope scope,
            CompletableFuture<JsonNode> findingsF,
            CompletableFuture<JsonNode> eventsF,
            CompletableFuture<JsonNode> tdF) {
        return CompletableFuture.allOf(findingsF, eventsF, tdF).thenCompose(v -> {
            JsonNode fr = findingsF.join();
            JsonNode er = eventsF.join();
            JsonNode tr = tdF.join();
            Set<String> fromMeshes = new TreeSet<>();
            Set<String> toMeshes = new TreeSet<>();
            List<JsonNode> findings = new ArrayList<>();
            for (JsonNode h : fr.path("hits").path("hits")) {
                JsonNode f = h.get("_source");
                if (scope.canSee(f.path("client_mesh").asText(null))
                        || scope.canSee(f.path("server_mesh").asText(null))) {
                    findings.add(f);
                }
                add(fromMeshes, f.path("client_mesh"));
                add(toMeshes, f.path("server_mesh"));
            }
            for (JsonNode b : tr.path("aggregations").path("td").path("buckets")) {
                String td = b.path("key").asText();
                for (JsonNode m : b.path("m").path("buckets")) {
                    if (from.spiffe() != null && td.equals(from.spiffe().trustDomain())) {
                        fromMeshes.add(m.path("key").asText());
                    }
                    if (to.spiffe() != null && td.equals(to.spiffe().trustDomain())) {
                        toMeshes.add(m.path("key").asText());
                    }
                }
            }
            tr.path("aggregations")
                    .path("from_svc")
                    .path("m")
                    .path("buckets")
                    .forEach(m -> fromMeshes.add(m.path("key").asText()));
            tr.path("aggregations")
                    .path("to_svc")
                    .path("m")
                    .path("buckets")
                    .forEach(m -> toMeshes.add(m.path("key").asText()));
            if (fromMeshes.isEmpty()) {
                // the caller's own identity is unknown: the meshes whose clients called B are the candidates
                er.path("aggregations")
                        .path("from_meshes")
                        .path("m")
                        .path("buckets")
                        .forEach(m -> fromMeshes.add(m.path("key").asText()));
            }
            Set<String> involved = new TreeSet<>(fromMeshes);
            involved.addAll(toMeshes);
            if (!scope.admin() && !involved.isEmpty() && !scope.canSeeAny(involved)) {
                throw ReadRefused.forbidden("the pair involves no mesh granted to token '" + scope.tokenName() + "'");
            }
            // 4. per involved mesh: any data in the window? ssl stats? (from the shared presence cache)
            return presence(now).thenApply(pres -> {
                Set<String> silent = new TreeSet<>();
                Set<String> noStats = new TreeSet<>();
                for (String m : involved) {
                    long[] p = pres.get(m);
                    if (p == null || p[0] < since.toEpochMilli()) {
                        silent.add(m);
                    }
                    if (p == null || p[1] < since.toEpochMilli()) {
                        noStats.add(m);
                    }
                }
                return verdict(from, to, since, now, findings, er, fromMeshes, toMeshes, silent, noStats);
            });
        });
    }

    /** How long the per-mesh presence (newest event, newest envoy-stats event) is reused. */
    static final long PRESENCE_TTL_MS = 5_000;

    private final AtomicReference<Presence> presence = new AtomicReference<>();

    private record Presence(long at, CompletableFuture<Map<String, long[]>> value) {}

    /**
     * mesh -> {newest observed_time, newest envoy-stats observed_time} in epoch ms, shared by every
     * diagnose call for {@link #PRESENCE_TTL_MS} (one aggregation instead of a probe per mesh and call).
     */
    CompletableFuture<Map<String, long[]>> presence(Instant now) {
        Presence p = presence.get();
        if (p != null
                && now.toEpochMilli() - p.at() < PRESENCE_TTL_MS
                && !p.value().isCompletedExceptionally()) {
            return p.value();
        }
        ObjectNode body = QueryDsl.obj();
        body.put("size", 0);
        body.put("track_total_hits", false);
        ObjectNode aggs = body.putObject("aggs");
        ObjectNode m = aggs.putObject("m");
        m.putObject("terms").put("field", "mesh_id").put("size", 1000);
        m.putObject("aggs").putObject("last").putObject("max").put("field", "observed_time");
        ObjectNode st = aggs.putObject("stats");
        st.set("filter", QueryDsl.term("source_kind", "envoy-stats"));
        ObjectNode sm = st.putObject("aggs").putObject("m");
        sm.putObject("terms").put("field", "mesh_id").put("size", 1000);
        sm.putObject("aggs").putObject("last").putObject("max").put("field", "observed_time");
        CompletableFuture<JsonNode> search = es.search(names.eventsPattern(), body, "aggregations");
        CompletableFuture<Map<String, long[]>> f = search.thenApply(r -> {
            Map<String, long[]> out = new HashMap<>();
            for (JsonNode b : r.path("aggregations").path("m").path("buckets")) {
                out.put(
                        b.path("key").asText(),
                        new long[] {b.path("last").path("value").asLong(), Long.MIN_VALUE});
            }
            for (JsonNode b : r.path("aggregations").path("stats").path("m").path("buckets")) {
                out.computeIfAbsent(b.path("key").asText(), k -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE})[1] =
                        b.path("last").path("value").asLong();
            }
            return out;
        });
        presence.set(new Presence(now.toEpochMilli(), f));
        return f;
    }

    private static ObjectNode verdict(
            Endpoint from,
            Endpoint to,
            Instant since,
            Instant now,
            List<JsonNode> findings,
            JsonNode er,
            Set<String> fromMeshes,
            Set<String> toMeshes,
            Set<String> silent,
            Set<String> noStats) {
        ObjectNode out = QueryDsl.obj();
        out.set("from", from.json(fromMeshes));
        out.set("to", to.json(toMeshes));
        ObjectNode w = out.putObject("window");
        w.put("since", since.toString());
        w.put("until", now.toString());
        JsonNode fails = er.path("aggregations").path("failures");
        long failureEvents = fails.path("doc_count").asLong();
        ArrayNode evidence = out.putArray("evidence");
        for (JsonNode h : fails.path("latest").path("hits").path("hits")) {
            evidence.add(h.get("_source"));
        }
        ArrayNode fa = out.putArray("findings");
        List<JsonNode> open = new ArrayList<>();
        List<JsonNode> resolved = new ArrayList<>();
        for (JsonNode f : findings) {
            fa.add(ReadModel.cleanFinding((ObjectNode) f));
            if ("open".equals(f.path("state").asText())) {
                open.add(f);
            } else {
                resolved.add(f);
            }
        }
        Set<String> blind = new TreeSet<>(silent);
        ArrayNode notes = out.putArray("notes");
        for (String m : toMeshes) {
            if (noStats.contains(m) && !silent.contains(m)) {
                notes.add("mesh " + m
                        + " (server side) sends no ssl.* stats: failed inbound handshakes that write no access "
                        + "log are invisible there; turn on the ssl stats matcher or listener access logs");
            }
        }
        for (JsonNode f : open) {
            if (f.path("one_sided").asBoolean() && f.hasNonNull("blind_side")) {
                blind.add(f.path("blind_side").asText());
            }
        }
        String verdict;
        StringBuilder why = new StringBuilder();
        String remediation;
        String a = label(from);
        String b = label(to);
        if (!open.isEmpty()) {
            verdict = FAILING;
            JsonNode f = open.get(0);
            why.append(a)
                    .append(" cannot reach ")
                    .append(b)
                    .append(": ")
                    .append(f.path("category").asText())
                    .append(" — ")
                    .append(f.path("direction").asText("handshakes fail"))
                    .append(" (")
                    .append(f.path("count").asLong())
                    .append(" failures, first ")
                    .append(f.path("first_seen").asText("?"))
                    .append(", last ")
                    .append(f.path("last_seen").asText("?"))
                    .append(").");
            if (open.size() > 1) {
                why.append(" ").append(open.size() - 1).append(" more open finding(s) for this pair.");
            }
            if (f.path("one_sided").asBoolean()) {
                why.append(" Only one side reported it")
                        .append(
                                f.hasNonNull("blind_side")
                                        ? "; mesh " + f.path("blind_side").asText()
                                                + " is blind (not reporting), not healthy."
                                        : ".");
            }
            remediation = f.path("remediation").asText("");
        } else if (failureEvents > 0) {
            verdict = FAILING_UNCORRELATED;
            List<String> cats = new ArrayList<>();
            fails.path("categories")
                    .path("buckets")
                    .forEach(c -> cats.add(
                            c.path("key").asText() + " x" + c.path("doc_count").asLong()));
            why.append(failureEvents)
                    .append(" failed handshake observation(s) between ")
                    .append(a)
                    .append(" and ")
                    .append(b)
                    .append(" since ")
                    .append(since)
                    .append(" (")
                    .append(String.join(", ", cats))
                    .append(
                            "), not yet correlated into a finding (the other side may not be reporting, or the correlator "
                                    + "is behind).");
            remediation =
                    "Look at the evidence below; once both sides report, the finding names which side must change.";
        } else if (!resolved.isEmpty()) {
            verdict = RECOVERED;
            JsonNode f = resolved.get(0);
            why.append("The last failure between ")
                    .append(a)
                    .append(" and ")
                    .append(b)
                    .append(" (")
                    .append(f.path("category").asText())
                    .append(") was at ")
                    .append(f.path("last_seen").asText("?"))
                    .append("; the finding is resolved and no failure was seen since ")
                    .append(since)
                    .append('.');
            remediation = "Nothing to do; the pair recovered.";
        } else if (fromMeshes.isEmpty() && toMeshes.isEmpty()) {
            verdict = UNKNOWN_ENDPOINTS;
            why.append("Neither ")
                    .append(a)
                    .append(" nor ")
                    .append(b)
                    .append(" appears in any mesh's data since ")
                    .append(since)
                    .append(". Check the names (SPIFFE ID or service name) or widen 'since'.");
            remediation = "Check the spelling, or widen the window with since=7d.";
        } else if (!blind.isEmpty() || toMeshes.isEmpty() || fromMeshes.isEmpty()) {
            verdict = BLIND;
            if (!blind.isEmpty()) {
                why.append("Blind: no data from mesh ")
                        .append(String.join(", ", blind))
                        .append(" since ")
                        .append(since)
                        .append(". No failure was seen, but that side is not reporting, so healthy cannot be claimed.");
            } else if (toMeshes.isEmpty()) {
                why.append("Blind: no mesh reports serving ")
                        .append(b)
                        .append(" since ")
                        .append(since)
                        .append(
                                " (no server-side data for it). No failure was seen on the client side, but the server side "
                                        + "is not reporting.");
                blind.add("(server of " + b + ")");
            } else {
                why.append("Blind: no mesh reports ")
                        .append(a)
                        .append(" as a client since ")
                        .append(since)
                        .append(". No failure was seen on the server side.");
                blind.add("(client " + a + ")");
            }
            remediation = "Check the collector of the blind mesh (topic meshlens.events.<mesh>, /metrics "
                    + "meshlens_mesh_last_seen_timestamp_seconds) and that its listener logs / ssl stats are on.";
        } else {
            verdict = NO_FAILURES_SEEN;
            why.append("No failures seen between ")
                    .append(a)
                    .append(" and ")
                    .append(b)
                    .append(" since ")
                    .append(since)
                    .append("; meshes ")
                    .append(new TreeSet<>(union(fromMeshes, toMeshes)))
                    .append(" are reporting.");
            remediation = "If calls still fail, the failure is probably not in mTLS (check authorization policies, "
                    + "routing, application errors).";
        }
        out.put("verdict", verdict);
        out.put("explanation", why.toString());
        out.put("remediation", remediation);
        ArrayNode bl = out.putArray("blind_meshes");
        blind.forEach(bl::add);
        out.put("failure_events", failureEvents);
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.addAll(b);
        return s;
    }

    private static String label(Endpoint e) {
        return e.spiffe() != null ? e.spiffe().uri() : e.service();
    }

    private static void add(Set<String> s, JsonNode n) {
        if (n != null && n.isTextual() && !n.asText().isBlank()) {
            s.add(n.asText());
        }
    }

    private static String nz(String s) {
        return s == null ? "\u0000none" : s;
    }

    /** Default window when {@code since} is not given. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
}
