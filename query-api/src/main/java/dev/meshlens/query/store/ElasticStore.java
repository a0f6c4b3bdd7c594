package dev.meshlens.query.store;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.config.Secret;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.config.QueryApiKeys;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
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
    /** Days a daily index is kept after its day (ILM delete phase); 0: no retention policy. */
    private final int retentionDays;

    private final ElasticTrust trust;
    private final String endpoints;
    /** Which keys hold the credentials, for an error that names them (never their values). */
    private final String credentialKeys;

    public ElasticStore(
            List<String> urls,
            String username,
            String password,
            String apiKey,
            IndexNames names,
            int shards,
            int replicas,
            String refreshInterval) {
        this(urls, username, password, apiKey, names, shards, replicas, refreshInterval, 0);
    }

    public ElasticStore(
            List<String> urls,
            String username,
            String password,
            String apiKey,
            IndexNames names,
            int shards,
            int replicas,
            String refreshInterval,
            int retentionDays) {
        this(
                urls,
                username,
                password,
                apiKey,
                ElasticTrust.JVM_DEFAULT,
                names,
                shards,
                replicas,
                refreshInterval,
                retentionDays);
    }

    public ElasticStore(
            List<String> urls,
            String username,
            String password,
            String apiKey,
            ElasticTrust trust,
            IndexNames names,
            int shards,
            int replicas,
            String refreshInterval,
            int retentionDays) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.endpoints = String.join(",", urls);
        this.credentialKeys = apiKey != null
                ? QueryApiKeys.ES_API_KEY.name()
                : username != null ? QueryApiKeys.ES_USERNAME.name() + " / " + QueryApiKeys.ES_PASSWORD.name() : null;
        this.retentionDays = retentionDays;
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
        BasicCredentialsProvider creds = null;
        if (username != null) {
            creds = new BasicCredentialsProvider();
            creds.setCredentials(
                    AuthScope.ANY, new UsernamePasswordCredentials(username, password == null ? "" : password));
        }
        BasicCredentialsProvider basic = creds;
        SSLContext ssl = trust.sslContext();
        b.setHttpClientConfigCallback(h -> {
            if (basic != null) {
                h.setDefaultCredentialsProvider(basic);
            }
            if (ssl != null) {
                // this client's context only: the JVM's default trust store stays as it is
                h.setSSLContext(ssl);
            }
            return h.setMaxConnTotal(64).setMaxConnPerRoute(64);
        });
        this.rest = b.build();
        RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper(new ObjectMapper()));
        this.client = new ElasticsearchClient(transport);
        this.async = new ElasticsearchAsyncClient(transport);
    }

    /** A secret's value for the client, or null. */
    private static String reveal(Secret s) {
        return s == null ? null : s.reveal();
    }

    public static ElasticStore fromConfig(QueryApiConfig c) {
        return new ElasticStore(
                c.get(QueryApiKeys.ES_URLS),
                c.get(QueryApiKeys.ES_USERNAME),
                reveal(c.get(QueryApiKeys.ES_PASSWORD)),
                reveal(c.get(QueryApiKeys.ES_API_KEY)),
                new ElasticTrust(c.get(QueryApiKeys.ES_CA_FILE), c.get(QueryApiKeys.ES_CA_FINGERPRINT)),
                new IndexNames(c.get(QueryApiKeys.ES_INDEX_PREFIX)),
                c.get(QueryApiKeys.ES_SHARDS),
                c.get(QueryApiKeys.ES_REPLICAS),
                durationSetting(c.get(QueryApiKeys.ES_REFRESH_INTERVAL)),
                c.get(QueryApiKeys.INGEST_RETENTION_DAYS));
    }

    static String durationSetting(Duration d) {
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
     * Installs the retention policy (an ILM policy: Elasticsearch deletes a daily events, roll-ups or findings-history
     * index {@code retentionDays} after its day, once, whatever the number of query-api replicas, and
     * meshlens needs no delete privilege), the composable templates of the daily indices, and creates the
     * findings index when missing. Idempotent; safe to call from several instances.
     */
    public void ensureSchema() throws IOException {
        try {
            installSchema();
        } catch (IOException | RuntimeException e) {
            IOException named = explain(e);
            if (named != null) {
                throw named;
            }
            throw e;
        }
    }

    /**
     * An error naming the configuration key to change when {@code e} is a TLS failure (which CA is trusted) or a
     * refusal of the credentials (401), else null.
     */
    public IOException explain(Throwable e) {
        IOException tls = trust.explain(e, endpoints);
        if (tls != null) {
            return tls;
        }
        if (status(e) == 401) {
            return new IOException(
                    "Elasticsearch at " + endpoints + " refused the request as unauthenticated (401). Fix: "
                            + (credentialKeys == null
                                    ? "set " + QueryApiKeys.ES_API_KEY.name() + " or " + QueryApiKeys.ES_USERNAME.name()
                                            + " / " + QueryApiKeys.ES_PASSWORD.name()
                                    : "check " + credentialKeys),
                    e);
        }
        return null;
    }

    private static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException ee) {
                return ee.status();
            }
            if (t instanceof ResponseException re) {
                return re.getResponse().getStatusLine().getStatusCode();
            }
        }
        return 0;
    }

    private void installSchema() throws IOException {
        boolean retention = retentionDays > 0 && lifecycleManagement();
        if (retention) {
            ObjectNode policy = Mappings.retentionPolicy(retentionDays);
            try {
                client.ilm()
                        .putLifecycle(
                                r -> r.name(names.retentionPolicy()).withJson(new StringReader(policy.toString())));
            } catch (ElasticsearchException e) {
                if (e.status() != 403) {
                    throw e;
                }
                // least privilege: an administrator created the policy (docs/production.md); ILM runs its delete
                // with the administrator's rights, and this user needs neither manage_ilm nor delete_index
                LOG.info("not allowed to write ILM policy {}: using it as the cluster has it", names.retentionPolicy());
                warnIfPolicyMissing();
            }
        }
        ObjectNode tpl = Mappings.eventsTemplate(names, shards, replicas, refreshInterval, retention);
        client.indices()
                .putIndexTemplate(r -> r.name(names.eventsTemplate()).withJson(new StringReader(tpl.toString())));
        ObjectNode rollups = Mappings.rollupsTemplate(names, shards, replicas, refreshInterval, retention);
        client.indices()
                .putIndexTemplate(r -> r.name(names.rollupsTemplate()).withJson(new StringReader(rollups.toString())));
        ObjectNode hist = Mappings.findingsHistoryTemplate(names, replicas, retention);
        client.indices()
                .putIndexTemplate(
                        r -> r.name(names.findingsHistoryTemplate()).withJson(new StringReader(hist.toString())));
        createIfMissing(names.findings(), Mappings.findingsIndex(replicas));
        createIfMissing(names.meta(), Mappings.metaIndex(replicas));
        markRollupsSince(Instant.now(), false);
        if (retention) {
            // daily indices created before the policy existed come under it too
            putLifecycleOnExisting();
        }
    }

    /**
     * The templates name the policy whether or not it exists; without it ILM deletes nothing, which nobody would
     * notice for {@code retentionDays} days: say so at start.
     */
    private void warnIfPolicyMissing() throws IOException {
        try {
            client.ilm().getLifecycle(g -> g.name(names.retentionPolicy()));
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                LOG.warn(
                        "ILM policy {} does not exist and this user may not create it: nothing deletes old {} / {}"
                                + " indices until an administrator creates it (docs/production.md, \"Role and API key\")",
                        names.retentionPolicy(),
                        names.eventsPattern(),
                        names.findingsHistoryPattern());
            } else if (e.status() == 403) {
                LOG.info(
                        "not allowed to read ILM policy {} (cluster privilege read_ilm): cannot check that it exists",
                        names.retentionPolicy());
            } else {
                throw e;
            }
        }
    }

    private void putLifecycleOnExisting() throws IOException {
        try {
            client.indices()
                    .putSettings(
                            s -> s.index(names.eventsPattern(), names.rollupsPattern(), names.findingsHistoryPattern())
                                    .allowNoIndices(true)
                                    .ignoreUnavailable(true)
                                    .withJson(new StringReader("{\"index.lifecycle.name\":\"" + names.retentionPolicy()
                                            + "\",\"index.lifecycle.parse_origination_date\":true}")));
        } catch (ElasticsearchException e) {
            if (e.status() != 403) {
                throw e;
            }
            // the role of docs/production.md has no index privilege manage (it would include delete_index): the
            // administrator who creates the policy puts the indices of older releases under it once
            LOG.warn(
                    "not allowed to put existing daily indices under ILM policy {}; new ones are (index template);"
                            + " an administrator puts older ones under it once (docs/production.md, \"Role and API key\")",
                    names.retentionPolicy());
        }
    }

    /**
     * Whether the cluster runs index lifecycle management. A node without it (like the tests' own, assembled from
     * Maven Central jars, where ILM's module is not published) gets no policy: a warning says that nothing deletes
     * old daily indices there, rather than ingest failing to start.
     */
    public boolean lifecycleManagement() throws IOException {
        try {
            rest.performRequest(new Request("GET", "/_ilm/status"));
            return true;
        } catch (ResponseException e) {
            int code = e.getResponse().getStatusLine().getStatusCode();
            if (code == 403) {
                // security refuses only routes that exist (a cluster without ILM answers 400, "no handler found",
                // whoever asks): ILM runs, this user just lacks read_ilm (a role made from older docs)
                LOG.info("not allowed to read the ILM status (cluster privilege read_ilm): the cluster has ILM");
                return true;
            }
            if (code == 400 || code == 404 || code == 405) {
                LOG.warn(
                        "{} = {} but this Elasticsearch has no index lifecycle management (ILM):"
                                + " nothing deletes old daily indices; use a cluster with ILM (8.19/9.x default distribution,"
                                + " ECK, Elastic Cloud) or delete {} / {} indices with your own tooling",
                        QueryApiKeys.INGEST_RETENTION_DAYS.name(),
                        retentionDays,
                        names.eventsPattern(),
                        names.findingsHistoryPattern());
                return false;
            }
            throw e;
        }
    }

    /** What the cluster's index lifecycle says about {@code index} (age, phase), as Elasticsearch returns it. */
    public String explainLifecycle(String index) throws IOException {
        var r = client.ilm().explainLifecycle(e -> e.index(index));
        return String.valueOf(r.indices().get(index));
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

    /** Id of the document in {@link IndexNames#meta()} saying since when roll-ups are written. */
    public static final String ROLLUPS_SINCE_ID = "rollups";

    /**
     * Records since when ingest writes roll-ups: the first call wins (a later start, another instance, finds it
     * there), unless {@code replace} (a benchmark or test that wrote the roll-ups of older events itself).
     * Diagnose reads raw events for the part of a window before it, so the answer stays exact across the
     * upgrade that introduced roll-ups.
     */
    public void markRollupsSince(Instant since, boolean replace) throws IOException {
        Request req = new Request("PUT", "/" + names.meta() + (replace ? "/_doc/" : "/_create/") + ROLLUPS_SINCE_ID);
        req.addParameter("refresh", "true");
        req.setJsonEntity("{\"rollups_since\":\"" + since + "\"}");
        try {
            rest.performRequest(req);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                throw e;
            }
        }
    }

    /** Makes everything indexed so far searchable (tests, benchmarks). */
    public void refreshAll() throws IOException {
        client.indices()
                .refresh(
                        r -> r.index(names.prefix() + "-*").allowNoIndices(true).ignoreUnavailable(true));
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
