package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import dev.meshlens.testkit.TestCa;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The least-privilege role of docs/production.md ("Role and API key"), taken from the doc as written, against a
 * real secured Elasticsearch node (X-Pack security decides): an API key made with the documented request runs the
 * query API's store (templates, findings index, a daily index written and read back), may read ILM policies and
 * status ({@code read_ilm}, which {@link ElasticStore#lifecycleManagement()} and the missing-policy warning use),
 * and can neither manage ILM nor delete an index: retention is the cluster's, run with the rights of the
 * administrator who wrote the policy.
 *
 * <p>The local node has no ILM (x-pack-ilm is not published to Maven Central), so the deletion itself is {@link
 * RetentionIT}'s, against a cluster given by {@code MESHLENS_ES_URL}.
 */
class RetentionPrivilegesIT {
    private static final String PASSWORD = "elastic-" + UUID.randomUUID();
    private static final Path DOC = Path.of("..", "docs", "production.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The names the documented role covers ({@code meshlens-*}): the node is this class's own. */
    private static final IndexNames NAMES = new IndexNames("meshlens");

    @TempDir
    static Path dir;

    static TestCa ca;
    static Path caFile;
    static LocalElasticsearch node;

    @BeforeAll
    static void startSecuredNode() throws Exception {
        ca = TestCa.create("meshlens retention privileges CA");
        caFile = ca.writePem(dir.resolve("http_ca.crt"));
        node = ca.startSecuredElasticsearch(dir, caFile, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theDocumentedRoleAndApiKeyAreTheSameAndAcceptedByElasticsearch() throws Exception {
        JsonNode role = documentedRole();
        JsonNode keyRequest = documentedApiKeyRequest();
        assertEquals(
                role,
                keyRequest.path("role_descriptors").path("meshlens_writer"),
                "docs/production.md: the API key's role descriptor and the role are one definition");
        try (ElasticStore admin = adminStore()) {
            JsonNode created = call(admin, "PUT", "/_security/role/meshlens_writer", role.toString());
            assertTrue(created.path("role").path("created").asBoolean(), created.toString());
        }
    }

    @Test
    void theDocumentedKeyRunsTheStoreButMayNotManageIlmOrDeleteIndices() throws Exception {
        String key;
        try (ElasticStore admin = adminStore()) {
            JsonNode answer = call(
                    admin,
                    "POST",
                    "/_security/api_key",
                    documentedApiKeyRequest().toString());
            key = answer.path("encoded").asText();
            assertFalse(key.isEmpty(), answer.toString());
        }
        String today = NAMES.eventsIndex(Instant.now());
        try (ElasticStore store = new ElasticStore(
                List.of(node.url()),
                null,
                null,
                key,
                new ElasticTrust(caFile.toString(), null),
                NAMES,
                1,
                0,
                "1s",
                30)) {
            // what the query API does at start and while ingesting, with retention on
            store.ensureSchema();
            String id = UUID.randomUUID().toString();
            store.client()
                    .index(i -> i.index(today).id(id).withJson(new StringReader("""
                    {"event_id":"%s","mesh_id":"istio-east","observed_time":"%s"}
                    """.formatted(id, Instant.now()))));
            store.client()
                    .index(i -> i.index(NAMES.findingsHistoryIndex(Instant.now()))
                            .withJson(new StringReader("{\"finding_id\":\"f-1\"}")));
            // a realtime get: the query API never refreshes (that would need the index privilege maintenance)
            assertTrue(
                    store.client().get(g -> g.index(today).id(id), Map.class).found(),
                    "the key writes a daily index and reads it back");

            JsonNode has = call(store, "POST", "/_security/user/_has_privileges", """
                    {"cluster": ["read_ilm", "manage_ilm", "manage"],
                     "index": [{"names": ["%s"], "privileges": ["delete_index", "manage", "manage_ilm"]}]}
                    """.formatted(today));
            assertTrue(has.at("/cluster/read_ilm").asBoolean(), "reads ILM status and policy: " + has);
            assertFalse(has.at("/cluster/manage_ilm").asBoolean(), "may not write ILM policies: " + has);
            assertFalse(has.at("/cluster/manage").asBoolean(), has.toString());
            JsonNode onIndex = has.path("index").path(today);
            assertFalse(onIndex.path("delete_index").asBoolean(), "may not delete its indices: " + has);
            assertFalse(onIndex.path("manage").asBoolean(), "manage would include delete_index: " + has);
            assertFalse(onIndex.path("manage_ilm").asBoolean(), has.toString());

            assertEquals(403, status(store, "DELETE", "/" + today), "the node refuses the key an index deletion");
            assertTrue(store.client().indices().exists(e -> e.index(today)).value(), "the daily index is still there");
        }
    }

    /** The JSON body under {@code PUT _security/role/meshlens_writer} in docs/production.md. */
    private static JsonNode documentedRole() throws IOException {
        Matcher m = Pattern.compile("PUT _security/role/meshlens_writer\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertTrue(m.find(), "docs/production.md has the meshlens_writer role");
        return JSON.readTree(m.group(1));
    }

    /** The body of the documented {@code POST $ES/_security/api_key} request (curl's {@code -d '...'}). */
    private static JsonNode documentedApiKeyRequest() throws IOException {
        Matcher m = Pattern.compile("_security/api_key\" -d '(.*?)'", Pattern.DOTALL)
                .matcher(Files.readString(DOC));
        assertTrue(m.find(), "docs/production.md has the API key request");
        JsonNode body = JSON.readTree(m.group(1));
        assertNotNull(body.get("role_descriptors"), body.toString());
        return body;
    }

    private static ElasticStore adminStore() {
        return new ElasticStore(
                List.of(node.url()),
                "elastic",
                PASSWORD,
                null,
                new ElasticTrust(caFile.toString(), null),
                NAMES,
                1,
                0,
                "1s",
                0);
    }

    private static JsonNode call(ElasticStore store, String method, String path, String body) throws IOException {
        Request r = new Request(method, path);
        r.setJsonEntity(body);
        return JSON.readTree(EntityUtils.toString(store.rest().performRequest(r).getEntity()));
    }

    private static int status(ElasticStore store, String method, String path) throws IOException {
        try {
            return store.rest()
                    .performRequest(new Request(method, path))
                    .getStatusLine()
                    .getStatusCode();
        } catch (ResponseException e) {
            return e.getResponse().getStatusLine().getStatusCode();
        }
    }
}
