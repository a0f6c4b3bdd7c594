package dev.meshlens.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Elasticsearch side of the plumbing, written once and run against both server lines:
 * a composable index template with explicit mappings over daily index names, bulk indexing with
 * document id = event id, and a search with a {@code terms} aggregation.
 */
final class EventsIndexFixture {
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ElasticsearchClient client;
    private final String prefix;

    EventsIndexFixture(ElasticsearchClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    String templateName() {
        return prefix + "meshlens-events";
    }

    String pattern() {
        return prefix + "meshlens-events-*";
    }

    /** Composable template: one shard, no replicas, explicit mappings, unmapped fields kept only in _source. */
    void putTemplate() throws IOException {
        Map<String, Property> tls = new LinkedHashMap<>();
        tls.put("category", keyword());
        tls.put("rejected_by", keyword());
        tls.put("code", Property.of(p -> p.long_(l -> l)));
        tls.put("reason", keyword());
        tls.put("raw_text", Property.of(p -> p.text(t -> t)));
        client.indices()
                .putIndexTemplate(t -> t.name(templateName())
                        .indexPatterns(pattern())
                        .priority(500L)
                        .template(tt -> tt.settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                                .mappings(m -> m.dynamic(DynamicMapping.False)
                                        .properties("event_id", keyword())
                                        .properties("observed_time", Property.of(p -> p.date(d -> d)))
                                        .properties("mesh_id", keyword())
                                        .properties("mesh_kind", keyword())
                                        .properties("cluster", keyword())
                                        .properties("source_kind", keyword())
                                        .properties("direction", keyword())
                                        .properties("observer_role", keyword())
                                        .properties("requested_server_name", keyword())
                                        .properties("authority", keyword())
                                        .properties("response_code", Property.of(p -> p.integer(i -> i)))
                                        .properties("response_flags", keyword())
                                        .properties("upstream_cluster", keyword())
                                        .properties("local_uri_san", keyword())
                                        .properties("peer_uri_san", keyword())
                                        .properties("duration_ms", Property.of(p -> p.long_(l -> l)))
                                        .properties("tls", Property.of(p -> p.object(o -> o.properties(tls)))))));
    }

    private static Property keyword() {
        return Property.of(p -> p.keyword(k -> k));
    }

    /** Bulk-indexes codec JSON documents into daily indices, id = event id; refreshes; fails on any item error. */
    BulkResponse bulkIndex(List<byte[]> encodedEvents) throws IOException {
        BulkRequest.Builder br = new BulkRequest.Builder().refresh(Refresh.True);
        for (byte[] json : encodedEvents) {
            MeshEvent e = EventCodec.get().decodeEvent(json);
            Map<String, Object> doc = EventCodec.get().mapper().readValue(json, MAP);
            String index = TestNames.dailyEventsIndex(prefix, e.observedTime());
            br.operations(op -> op.index(i -> i.index(index).id(e.eventId()).document(doc)));
        }
        BulkResponse r = client.bulk(br.build());
        if (r.errors()) {
            String firstError = r.items().stream()
                    .filter(i -> i.error() != null)
                    .map(BulkResponseItem::error)
                    .map(err -> err.type() + ": " + err.reason())
                    .findFirst()
                    .orElse("?");
            throw new AssertionError("bulk had item errors, first: " + firstError);
        }
        return r;
    }

    /** {@code terms} aggregation on tls.category for one mesh's failures. */
    Map<String, Long> failureCountsByCategory(String meshId) throws IOException {
        SearchResponse<Void> r = client.search(
                s -> s.index(pattern())
                        .size(0)
                        .query(q -> q.bool(b -> b.filter(
                                        f -> f.term(t -> t.field("mesh_id").value(meshId)))
                                .filter(f -> f.exists(x -> x.field("tls.category")))))
                        .aggregations(
                                "by_category",
                                a -> a.terms(t -> t.field("tls.category").size(50))),
                Void.class);
        return r.aggregations().get("by_category").sterms().buckets().array().stream()
                .collect(Collectors.toMap(b -> b.key().stringValue(), StringTermsBucket::docCount));
    }

    long count() throws IOException {
        return client.count(c -> c.index(pattern())).count();
    }

    /** Index names that exist for the pattern. */
    List<String> indices() throws IOException {
        return client.indices().get(g -> g.index(pattern())).result().keySet().stream()
                .sorted()
                .toList();
    }

    /** The mapping type of tls.category in {@code index}, as applied by the template (e.g. "keyword"). */
    String categoryMappingType(String index) throws IOException {
        var mapping = client.indices()
                .getMapping(g -> g.index(index))
                .result()
                .get(index)
                .mappings();
        return mapping.properties()
                .get("tls")
                .object()
                .properties()
                .get("category")
                ._kind()
                .jsonValue();
    }

    /** Deletes this fixture's indices by name (wildcard deletes are refused by default) and its template. */
    void deleteAll() throws IOException {
        List<String> names = indices();
        if (!names.isEmpty()) {
            client.indices().delete(d -> d.index(names));
        }
        client.indices().deleteIndexTemplate(d -> d.name(templateName()));
    }
}
