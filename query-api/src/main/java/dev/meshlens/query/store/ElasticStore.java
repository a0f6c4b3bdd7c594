package dev.meshlens.query.store;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.config.QueryApiKeys;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch side: one low-level REST client shared by a blocking client (ingest thread,
 * jobs) and an async client (HTTP handlers). The 8.19 Java client sends {@code compatible-with=8},
 * so it talks to 8.19 and 9.x clusters alike.
 */
public final class ElasticStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticStore.class);

  private final RestClient rest;
  private final ElasticsearchClient client;
  private final ElasticsearchAsyncClient async;
  private final IndexNames names;
  private final int shards;
  private final int replicas;
  private final String refreshInterval;

  public ElasticStore(List<String> urls, String username, String password, String apiKey, IndexNames names,
      int shards, int replicas, String refreshInterval) {
    this.names = Objects.requireNonNull(names, "names");
    this.shards = shards;
    this.replicas = replicas;
    this.refreshInterval = refreshInterval;
    HttpHost[] hosts = urls.stream().map(HttpHost::create).toArray(HttpHost[]::new);
    RestClientBuilder b = RestClient.builder(hosts)
        .setRequestConfigCallback(rc -> rc.setConnectTimeout(2_000).setSocketTimeout(30_000));
    if (apiKey != null) {
      b.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey)});
    }
    if (username != null) {
      BasicCredentialsProvider creds = new BasicCredentialsProvider();
      creds.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password == null ? "" : password));
      b.setHttpClientConfigCallback(h -> h.setDefaultCredentialsProvider(creds).setMaxConnTotal(64)
          .setMaxConnPerRoute(64));
    } else {
      b.setHttpClientConfigCallback(h -> h.setMaxConnTotal(64).setMaxConnPerRoute(64));
    }
    this.rest = b.build();
    RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper(new ObjectMapper()));
    this.client = new ElasticsearchClient(transport);
    this.async = new ElasticsearchAsyncClient(transport);
  }

  /** A secret's value for the client, or null. */
  private static String reveal(dev.meshlens.config.Secret s) {
    return s == null ? null : s.reveal();
  }

  public static ElasticStore fromConfig(QueryApiConfig c) {
    return new ElasticStore(c.get(QueryApiKeys.ES_URLS), c.get(QueryApiKeys.ES_USERNAME),
        reveal(c.get(QueryApiKeys.ES_PASSWORD)), reveal(c.get(QueryApiKeys.ES_API_KEY)),
        new IndexNames(c.get(QueryApiKeys.ES_INDEX_PREFIX)), c.get(QueryApiKeys.ES_SHARDS),
        c.get(QueryApiKeys.ES_REPLICAS), durationSetting(c.get(QueryApiKeys.ES_REFRESH_INTERVAL)));
  }

  static String durationSetting(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  public ElasticsearchClient client() {
    return client;
  }

  public ElasticsearchAsyncClient async() {
    return async;
  }

  public RestClient rest() {
    return rest;
  }

  public IndexNames names() {
    return names;
  }

  /** True when the cluster answers. */
  public boolean reachable() {
    try {
      client.cluster().health(h -> h.timeout(t -> t.time("1s")));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Installs the composable events template and creates the findings indices when missing.
   * Idempotent; safe to call from several instances.
   */
  public void ensureSchema() throws IOException {
    ObjectNode tpl = Mappings.eventsTemplate(names, shards, replicas, refreshInterval);
    client.indices().putIndexTemplate(r -> r.name(names.eventsTemplate()).withJson(new StringReader(tpl.toString())));
    createIfMissing(names.findings(), Mappings.findingsIndex(replicas));
    createIfMissing(names.findingsHistory(), Mappings.findingsHistoryIndex(replicas));
  }

  private void createIfMissing(String index, ObjectNode body) throws IOException {
    if (client.indices().exists(e -> e.index(index)).value()) {
      return;
    }
    try {
      client.indices().create(c -> c.index(index).withJson(new StringReader(body.toString())));
    } catch (ElasticsearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e;
      }
    }
  }

  /**
   * Deletes whole event indices whose day is more than {@code days} days before today (UTC).
   *
   * @return the deleted index names
   */
  public List<String> deleteEventIndicesOlderThan(int days, LocalDate today) throws IOException {
    LocalDate cutoff = today.minusDays(days);
    List<String> old = new ArrayList<>();
    var resp = client.indices().get(g -> g.index(names.eventsPattern()).allowNoIndices(true).ignoreUnavailable(true));
    for (String idx : resp.result().keySet()) {
      LocalDate d = names.dayOf(idx);
      if (d != null && d.isBefore(cutoff)) {
        old.add(idx);
      }
    }
    if (!old.isEmpty()) {
      client.indices().delete(d -> d.index(old));
      LOG.info("retention: deleted {} event indices older than {} days: {}", old.size(), days, old);
    }
    return old;
  }

  public List<String> deleteEventIndicesOlderThan(int days) throws IOException {
    return deleteEventIndicesOlderThan(days, LocalDate.now(ZoneOffset.UTC));
  }

  /** Makes everything indexed so far searchable (tests, benchmarks). */
  public void refreshAll() throws IOException {
    client.indices().refresh(r -> r.index(names.prefix() + "-*").allowNoIndices(true).ignoreUnavailable(true));
  }

  @Override
  public void close() {
    try {
      rest.close();
    } catch (IOException e) {
      LOG.debug("closing the Elasticsearch client", e);
    }
  }
}
