package dev.meshlens.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import dev.meshlens.localstack.process.ChildProcesses;
import dev.meshlens.localstack.process.Dirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The project's Elasticsearch client (8.19 line) against an Elasticsearch 8.19 node: the same
 * template / bulk / search code as {@link PlumbingIT} (which runs against 9.x), plus ping and
 * info. The last test stops the node and checks that its child JVM is really gone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Elasticsearch8SmokeIT {
    private LocalElasticsearch node;
    private ElasticsearchClient client;

    @BeforeAll
    void start() throws Exception {
        node = Es8Smoke.start();
        client = ElasticsearchClients.create(node.url());
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void pingAndInfoReportAn819Node() throws Exception {
        assertTrue(client.ping().value(), "ping");
        var info = client.info();
        assertEquals(node.version(), info.version().number());
        assertTrue(info.version().number().startsWith("8.19."), info.version().number());
        assertEquals("meshlens-local", info.clusterName());
    }

    @Test
    @Order(2)
    void templateBulkAndTermsAggregationWorkOn819() throws Exception {
        String mesh = TestNames.meshId("consul");
        String prefix = TestNames.indexPrefix();
        List<byte[]> docs = new ArrayList<>();
        Instant t = Instant.parse("2026-11-28T10:00:00Z");
        for (int i = 0; i < 30; i++) {
            FailureCategory c = i % 3 == 0 ? FailureCategory.CLIENT_CERT_MISSING : FailureCategory.UNTRUSTED_ROOT;
            docs.add(EventCodec.get().encodeBytes(TestEvents.clientFailure(mesh, i, c, t.plusSeconds(i))));
        }
        MeshEvent ok = TestEvents.clientSuccess(mesh, 1000, t);
        docs.add(EventCodec.get().encodeBytes(ok));
        docs.add(docs.get(0)); // replay: same id

        EventsIndexFixture index = new EventsIndexFixture(client, prefix);
        index.putTemplate();
        index.bulkIndex(docs);
        assertEquals(List.of(prefix + "meshlens-events-2026.11.28"), index.indices());
        assertEquals("keyword", index.categoryMappingType(index.indices().get(0)));
        assertEquals(31, index.count());
        Map<String, Long> byCategory = index.failureCountsByCategory(mesh);
        assertEquals(2, byCategory.size(), byCategory.toString());
        assertEquals(30, byCategory.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(byCategory.containsValue(10L) && byCategory.containsValue(20L), byCategory.toString());
        index.deleteAll();
    }

    @Test
    @Order(3)
    void stoppedNodeLeavesNoProcessPortOrFolder() throws Exception {
        ProcessHandle handle = node.processHandle();
        List<ProcessHandle> descendants = handle.descendants().toList();
        int port = node.httpPort();
        Path dir = node.instanceDir();
        assertTrue(handle.isAlive());

        client.close();
        client = null;
        node.close();

        assertFalse(handle.isAlive(), "child JVM " + handle.pid() + " still alive");
        assertTrue(descendants.stream().noneMatch(ProcessHandle::isAlive), "a descendant survived");
        assertFalse(Dirs.accepts(port), "port " + port + " still accepts connections");
        assertFalse(Files.exists(dir), "temporary node folder " + dir + " left behind");
        assertTrue(ChildProcesses.running().stream().noneMatch(c -> c.pid() == handle.pid()), "child still registered");
        node = null;
    }
}
