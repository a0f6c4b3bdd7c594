package dev.meshlens.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

/** A real Elasticsearch cluster for tests: a child-JVM node from local-stack, or an external one. */
public interface ElasticsearchService {
    /** Base URL, e.g. {@code http://127.0.0.1:9200}. */
    String url();

    /** True when this is an external cluster given by {@code MESHLENS_ES_URL}. */
    boolean external();

    /** The server version when known up front (the local node), else "external". */
    String version();

    /** A new client for {@link #url()}; the caller closes it. */
    default ElasticsearchClient newClient() {
        return ElasticsearchClients.create(url());
    }
}
