package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.security.CreateApiKeyResponse;
import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.testkit.TestCa;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's store against a real secured Elasticsearch node (X-Pack security, TLS on HTTP with a private CA
 * made here, basic auth, API keys): it installs its schema, indexes and reads with a CA file and the {@code elastic}
 * user's password (read from a {@code password_file}, as Kubernetes mounts it), with an API key the node created and
 * the CA's fingerprint, and refuses a CA that did not sign the node's certificate with an error naming the key to
 * change. No JVM-wide trust store is set: each store trusts only what its configuration names.
 */
class ElasticTlsIT {
    private static final String PASSWORD = "elastic-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    static TestCa ca;
    static TestCa otherCa;
    static Path caFile;
    static Path otherCaFile;
    static LocalElasticsearch node;

    @BeforeAll
    static void startSecuredNode() throws Exception {
        ca = TestCa.create("meshlens test Elasticsearch CA");
        otherCa = TestCa.create("some other CA");
        caFile = ca.writePem(dir.resolve("http_ca.crt"));
        otherCaFile = otherCa.writePem(dir.resolve("other_ca.crt"));
        node = ca.startSecuredElasticsearch(dir, caFile, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void indexesAndReadsWithCaFileAndBasicAuthFromAPasswordFile() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("es-password"), PASSWORD + "\n");
        QueryApiConfig c = QueryApiConfig.parse("""
                kafka:
                  bootstrap_servers: 127.0.0.1:9
                elasticsearch:
                  urls: [%s]
                  username: elastic
                  password_file: %s
                  ca_file: %s
                  index_prefix: %s
                  replicas: 0
                ingest:
                  retention_days: 0
                """.formatted(node.url(), passwordFile, caFile, prefix()));
        try (ElasticStore store = ElasticStore.fromConfig(c)) {
            assertIndexesAndReads(store);
        }
    }

    @Test
    void indexesAndReadsWithAnApiKeyAndTheCaFingerprint() throws Exception {
        String encoded;
        try (ElasticStore admin = basicAuthStore(caFile.toString(), null, PASSWORD)) {
            CreateApiKeyResponse key =
                    admin.client().security().createApiKey(k -> k.name("meshlens-query-api-" + UUID.randomUUID()));
            encoded = key.encoded();
        }
        try (ElasticStore store = new ElasticStore(
                List.of(node.url()),
                null,
                null,
                encoded,
                new ElasticTrust(null, colonSeparated(ca.sha256Fingerprint())),
                new IndexNames(prefix()),
                1,
                0,
                "1s",
                0)) {
            assertIndexesAndReads(store);
            assertEquals(
                    "api_key",
                    store.client().security().authenticate().authenticationType(),
                    "the node authenticated the API key, not some other credential");
        }
    }

    @Test
    void aCaThatDidNotSignTheNodeIsRefusedNamingTheKey() {
        try (ElasticStore store = basicAuthStore(otherCaFile.toString(), null, PASSWORD)) {
            IOException e = assertThrows(IOException.class, store::ensureSchema);
            assertTrue(e.getMessage().contains("elasticsearch.ca_file"), e.getMessage());
            assertTrue(e.getMessage().contains(otherCaFile.toString()), e.getMessage());
        }
    }

    @Test
    void aWrongFingerprintIsRefusedNamingTheKey() {
        try (ElasticStore store = basicAuthStore(null, otherCa.sha256Fingerprint(), PASSWORD)) {
            IOException e = assertThrows(IOException.class, store::ensureSchema);
            assertTrue(e.getMessage().contains("elasticsearch.ca_fingerprint"), e.getMessage());
        }
    }

    @Test
    void withoutACaTheJvmDefaultTrustStoreRefusesThePrivateCa() {
        try (ElasticStore store = basicAuthStore(null, null, PASSWORD)) {
            IOException e = assertThrows(IOException.class, store::ensureSchema);
            assertTrue(e.getMessage().contains("elasticsearch.ca_file"), e.getMessage());
            assertTrue(e.getMessage().contains("elasticsearch.ca_fingerprint"), e.getMessage());
        }
    }

    @Test
    void aWrongPasswordIsRefusedNamingTheKeysButNotTheValue() {
        String wrong = "not-" + PASSWORD;
        try (ElasticStore store = basicAuthStore(caFile.toString(), null, wrong)) {
            IOException e = assertThrows(IOException.class, store::ensureSchema);
            assertTrue(e.getMessage().contains("401"), e.getMessage());
            assertTrue(e.getMessage().contains("elasticsearch.password"), e.getMessage());
            assertFalse(e.getMessage().contains(wrong), e.getMessage());
        }
    }

    private static ElasticStore basicAuthStore(String caFile, String fingerprint, String password) {
        return new ElasticStore(
                List.of(node.url()),
                "elastic",
                password,
                null,
                new ElasticTrust(caFile, fingerprint),
                new IndexNames(prefix()),
                1,
                0,
                "1s",
                0);
    }

    /** The schema, one event document written and found again, all over the store's own client. */
    private static void assertIndexesAndReads(ElasticStore store) throws IOException {
        store.ensureSchema();
        String index = store.names().eventsIndex(Instant.now());
        String id = UUID.randomUUID().toString();
        store.client().index(i -> i.index(index).id(id).withJson(new StringReader("""
                {"event_id":"%s","mesh_id":"istio-east","observed_time":"%s"}
                """.formatted(id, Instant.now()))));
        store.refreshAll();
        var hits = store.client()
                .search(s -> s.index(store.names().eventsPattern()).query(q -> q.ids(i -> i.values(id))), Map.class)
                .hits()
                .hits();
        assertEquals(1, hits.size(), "the indexed event is found again");
        assertEquals("istio-east", hits.get(0).source().get("mesh_id"));
    }

    private static String prefix() {
        return "tls-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code AB:CD:…}, as openssl prints it: accepted like Elasticsearch's plain hex. */
    private static String colonSeparated(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            b.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }
}
