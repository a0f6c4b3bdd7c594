package dev.meshlens.testkit;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URI;
import java.util.Objects;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * Builds the project's Elasticsearch client: {@code co.elastic.clients:elasticsearch-java} of the
 * 8.19 line over the low-level REST client. An 8.x client sends
 * {@code compatible-with=8} headers, which 9.x servers honour (REST API compatibility), so this
 * one client works against 8.19 and 9.x clusters; a 9.x client would not work against 8.19.
 * (query-api has the production twin of this factory in its own store package.)
 */
public final class ElasticsearchClients {
    private ElasticsearchClients() {}

    /** A client for {@code url} (e.g. {@code http://127.0.0.1:9200}); closing it closes the transport. */
    public static ElasticsearchClient create(String url) {
        Objects.requireNonNull(url, "url");
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("Invalid Elasticsearch URL " + url + ": expected http(s)://host:port");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : (uri.getScheme().equals("https") ? 443 : 9200);
        RestClient rest = RestClient.builder(new HttpHost(uri.getHost(), port, uri.getScheme()))
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(5_000).setSocketTimeout(60_000))
                .build();
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new ElasticsearchClient(new RestClientTransport(rest, new JacksonJsonpMapper(mapper)));
    }
}
