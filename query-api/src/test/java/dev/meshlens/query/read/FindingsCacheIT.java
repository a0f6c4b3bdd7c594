package dev.meshlens.query.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.it.TestEvents;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.testkit.RealServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The findings first-page cache and the {@code _source} filtering against the real Elasticsearch
 * node: a finding written after a first page was served is invisible inside the TTL (the second
 * request did not reach Elasticsearch) and visible after it; scopes never share a page.
 */
class FindingsCacheIT {
    static final String PREFIX = "fc" + UUID.randomUUID().toString().substring(0, 6);
    static final String MESH_A = PREFIX + "-mesh-a";
    static final String MESH_B = PREFIX + "-mesh-b";
    static ElasticStore store;
    static final PageCacheTest.ManualClock CLOCK = new PageCacheTest.ManualClock();
    static ReadModel read;

    @BeforeAll
    static void start() throws Exception {
        store = new ElasticStore(
                List.of(RealServices.elasticsearch().url()), null, null, null, new IndexNames(PREFIX), 1, 0, "1s");
        store.ensureSchema();
        CLOCK.now = Instant.now();
        read = new ReadModel(new QueryClient(store.rest()), store.names(), CLOCK);
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            // the node refuses wildcard deletes: name the indices this test wrote (findings history is daily)
            String listed = new String(
                    store.rest()
                            .performRequest(new Request("GET", "/_cat/indices/" + PREFIX + "-*?h=index"))
                            .getEntity()
                            .getContent()
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            String names = String.join(",", listed.strip().split("\\s+"));
            if (!names.isBlank()) {
                store.rest().performRequest(new Request("DELETE", "/" + names + "?ignore_unavailable=true"));
            }
            store.close();
        }
    }

    static void index(Finding f) throws Exception {
        Request req = new Request("PUT", "/" + store.names().findings() + "/_doc/" + f.id() + "?refresh=true");
        req.setJsonEntity(Documents.finding(f, CLOCK.now).toString());
        store.rest().performRequest(req);
    }

    static Finding finding(String clientMesh, String client, String serverMesh) {
        Instant t = CLOCK.now.minusSeconds(60);
        return TestEvents.finding(
                clientMesh,
                client,
                serverMesh,
                "backend",
                FailureCategory.UNTRUSTED_ROOT,
                FindingState.OPEN,
                3,
                t,
                t,
                List.of(),
                List.of());
    }

    static ReadModel.FindingFilter open() {
        return new ReadModel.FindingFilter(Set.of(), Set.of(), "open", null, 0, 50);
    }

    static Set<String> ids(ObjectNode page) {
        Set<String> s = new HashSet<>();
        page.path("items").forEach(i -> s.add(i.path("id").asText()));
        return s;
    }

    @Test
    void aSecondRequestInsideTheTtlIsServedFromMemoryOneAfterItReachesElasticsearch() throws Exception {
        Scope admin = Scope.admin("cache-it-admin");
        Finding first = finding(MESH_A, "spiffe://a/ns/x/sa/one", MESH_B);
        index(first);
        ObjectNode before = read.findings(open(), admin).get();
        assertTrue(ids(before).contains(first.id()), before::toString);

        Finding second = finding(MESH_A, "spiffe://a/ns/x/sa/two", MESH_B);
        index(second); // visible to any search from now on
        CLOCK.now = CLOCK.now.plusMillis(900);
        ObjectNode cached = read.findings(open(), admin).get();
        assertFalse(ids(cached).contains(second.id()), "inside the TTL the page must not be searched again");
        assertEquals(before, cached);

        CLOCK.now = CLOCK.now.plus(ReadModel.FINDINGS_PAGE_TTL);
        ObjectNode fresh = read.findings(open(), admin).get();
        assertTrue(ids(fresh).contains(second.id()), "after the TTL the page is searched again: " + fresh);

        ObjectNode page2 = read.findings(new ReadModel.FindingFilter(Set.of(), Set.of(), "open", null, 1, 1), admin)
                .get();
        assertEquals(1, page2.path("items").size(), "pages after the first are not cached and still work");
    }

    @Test
    void aCachedFirstPageIsTheSerialisedResponseNotWrittenAgain() throws Exception {
        index(finding(MESH_A, "spiffe://a/ns/x/sa/bytes", MESH_B));
        CLOCK.now = CLOCK.now.plusSeconds(5);
        Scope admin = Scope.admin("bytes");
        byte[] first = read.findingsJson(open(), admin).get();
        byte[] second = read.findingsJson(open(), admin).get();
        assertSame(first, second, "inside the TTL the very bytes are served again");
        assertEquals(read.findings(open(), admin).get(), QueryClient.mapper().readTree(first));
        byte[] page2 = read.findingsJson(new ReadModel.FindingFilter(Set.of(), Set.of(), "open", null, 1, 1), admin)
                .get();
        assertNotSame(
                page2,
                read.findingsJson(new ReadModel.FindingFilter(Set.of(), Set.of(), "open", null, 1, 1), admin)
                        .get(),
                "pages after the first are not cached");
    }

    @Test
    void twoScopesNeverShareAPage() throws Exception {
        Finding onlyB = finding(MESH_B, "spiffe://b/ns/y/sa/solo", MESH_B);
        index(onlyB);
        CLOCK.now = CLOCK.now.plusSeconds(5); // no entry of another test is fresh
        Scope teamA = Scope.meshes("team-a", Set.of(MESH_A));
        Scope teamB = Scope.meshes("team-b", Set.of(MESH_B));
        ObjectNode pageB = read.findings(open(), teamB).get();
        assertTrue(ids(pageB).contains(onlyB.id()), pageB::toString);
        ObjectNode pageA = read.findings(open(), teamA).get(); // same filters, inside the TTL
        assertFalse(ids(pageA).contains(onlyB.id()), "team-a must never get team-b's cached page: " + pageA);
    }

    @Test
    void findingsCarryOnlyTheFieldsTheApiReturns() throws Exception {
        index(finding(MESH_A, "spiffe://a/ns/x/sa/fields", MESH_B));
        CLOCK.now = CLOCK.now.plusSeconds(5);
        ObjectNode page = read.findings(open(), Scope.admin("fields")).get();
        assertTrue(page.path("items").size() > 0, page::toString);
        for (JsonNode item : page.path("items")) {
            for (String derived : List.of("meshes", "updated_at", "client_service")) {
                assertFalse(item.has(derived), derived + " is an index-only field: " + item);
            }
            assertTrue(item.has("id") && item.has("category") && item.has("client_mesh"), item::toString);
        }
    }
}
