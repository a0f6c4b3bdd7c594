package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonData;
import dev.meshlens.testkit.ElasticsearchService;
import dev.meshlens.testkit.RealServices;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Retention the Elasticsearch way against a real node: ensureSchema installs an ILM policy that
 * Elasticsearch itself runs; daily events and findings-history indices are aged from the day in their
 * name (an index created today for an old day goes at once), recent ones stay, and indices that existed
 * before the policy come under it. meshlens deletes nothing itself.
 *
 * <p>The suite's own nodes have no ILM and cannot have it offline: they are assembled from Maven Central jars, and
 * ILM's module ({@code org.elasticsearch.plugin:x-pack-ilm}) is not published there ({@code x-pack-core} holds
 * ILM's policy and step classes, not the service that runs them: such a node answers {@code _ilm/*} with "no handler
 * found" and refuses {@code index.lifecycle.*} settings). There the first test checks that ingest still sets up
 * (templates without a lifecycle, a warning) and the deletion half runs against a cluster given by {@code
 * MESHLENS_ES_URL} that has ILM (any 8.19/9.x default distribution). What the suite does prove on a real secured
 * node is that the least-privilege role needs neither {@code delete_index} nor {@code manage_ilm}: {@link
 * RetentionPrivilegesIT}.
 */
class RetentionIT {
    /** How often ILM looks at indices (10 minutes by default): 1 s on the test's cluster. */
    static final String POLL_INTERVAL = "indices.lifecycle.poll_interval";

    @Test
    void withoutLifecycleManagementTheSchemaIsStillInstalled() throws Exception {
        ElasticsearchService node = RealServices.elasticsearch();
        String prefix = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        IndexNames names = new IndexNames(prefix);
        try (ElasticsearchClient es = node.newClient();
                ElasticStore store = new ElasticStore(List.of(node.url()), null, null, null, names, 1, 0, "1s", 30)) {
            Assumptions.assumeFalse(store.lifecycleManagement(), "this cluster has ILM: the other test covers it");
            try {
                store.ensureSchema();
                String today = names.eventsIndex(Instant.now());
                index(es, today);
                index(es, names.findingsHistoryIndex(Instant.now()));
                var settings = es.indices()
                        .getSettings(g -> g.index(today))
                        .result()
                        .get(today)
                        .settings();
                assertTrue(
                        settings.index() == null || settings.index().lifecycle() == null,
                        "no lifecycle on a cluster without ILM: " + settings);
            } finally {
                deleteAll(es, prefix);
            }
        }
    }

    @Test
    void oldDailyIndicesAreDeletedByTheClusterRecentOnesKept() throws Exception {
        ElasticsearchService node = RealServices.elasticsearch();
        String prefix = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        IndexNames names = new IndexNames(prefix);
        Instant now = Instant.now();
        Instant old = now.minus(400, ChronoUnit.DAYS);
        String oldEvents = names.eventsIndex(old);
        String preExisting = names.eventsIndex(old.minus(1, ChronoUnit.DAYS));
        String oldHistory = names.findingsHistoryIndex(old);
        String recentEvents = names.eventsIndex(now);
        String recentHistory = names.findingsHistoryIndex(now);
        try (ElasticsearchClient es = node.newClient();
                ElasticStore store = new ElasticStore(List.of(node.url()), null, null, null, names, 1, 0, "1s", 30)) {
            Assumptions.assumeTrue(
                    store.lifecycleManagement(),
                    "this Elasticsearch has no ILM (the suite's own node: x-pack-ilm is not on Maven Central);"
                            + " set MESHLENS_ES_URL to a cluster with ILM");
            // ILM checks every 10 minutes by default; this node is the tests' own
            es.cluster().putSettings(s -> s.transient_(Map.of(POLL_INTERVAL, JsonData.of("1s"))));
            try {
                index(es, preExisting); // before the policy: no lifecycle yet
                store.ensureSchema();
                for (String i : List.of(oldEvents, oldHistory, recentEvents, recentHistory)) {
                    index(es, i);
                }
                assertTrue(
                        store.explainLifecycle(recentEvents).contains(names.retentionPolicy()),
                        "new daily indices are under the policy: " + store.explainLifecycle(recentEvents));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline
                        && (exists(es, oldEvents) || exists(es, oldHistory) || exists(es, preExisting))) {
                    Thread.sleep(500);
                }
                assertFalse(exists(es, oldEvents), "events index of a day 400 days ago deleted by ILM");
                assertFalse(exists(es, oldHistory), "findings-history index of a day 400 days ago deleted by ILM");
                assertFalse(exists(es, preExisting), "an index older than the policy came under it");
                assertTrue(exists(es, recentEvents) && exists(es, recentHistory), "today's indices are kept");
            } finally {
                es.cluster().putSettings(s -> s.transient_(Map.of(POLL_INTERVAL, JsonData.of(null))));
                deleteAll(es, prefix);
            }
        }
    }

    /** Deletes this test's indices by name (the node refuses wildcard deletes). */
    private static void deleteAll(ElasticsearchClient es, String prefix) throws Exception {
        List<String> mine = List.copyOf(es.indices()
                .get(g -> g.index(prefix + "-*").allowNoIndices(true).ignoreUnavailable(true))
                .result()
                .keySet());
        if (!mine.isEmpty()) {
            es.indices().delete(d -> d.index(mine));
        }
    }

    private static void index(ElasticsearchClient es, String index) throws Exception {
        es.index(i -> i.index(index).withJson(new StringReader("{\"observed_time\":\"" + Instant.now() + "\"}")));
    }

    private static boolean exists(ElasticsearchClient es, String index) throws Exception {
        return es.indices().exists(e -> e.index(index)).value();
    }
}
