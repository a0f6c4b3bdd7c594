package dev.meshlens.query.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The Elasticsearch trust keys: a fingerprint in either spelling, and errors that name the key and the fix. */
class ElasticTrustKeysTest {
    static final String ES = """
      kafka:
        bootstrap_servers: 127.0.0.1:9092
      elasticsearch:
        urls: [https://es.example:9200]
      """;
    static final String HEX = "3d4f8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7";

    @Test
    void aFingerprintIsAcceptedAsElasticsearchAndOpensslPrintIt() {
        String colons = HEX.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        for (String f : new String[] {HEX, colons}) {
            QueryApiConfig c = QueryApiConfig.parse(ES + "  ca_fingerprint: \"" + f + "\"\n");
            assertEquals(f, c.get(QueryApiKeys.ES_CA_FINGERPRINT));
        }
    }

    @Test
    void aMalformedFingerprintNamesTheKeyAndWhereToFindTheRightOne() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> QueryApiConfig.parse(ES + "  ca_fingerprint: \"" + HEX + "ff\"\n"));
        String m = e.getMessage();
        assertTrue(m.contains("elasticsearch.ca_fingerprint"), m);
        assertTrue(m.contains("64 hex digits"), m);
    }

    @Test
    void aCaFileAndAFingerprintTogetherAreOneProblemNamingBoth() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> QueryApiConfig.parse(ES + "  ca_file: /etc/es/ca.crt\n  ca_fingerprint: \"" + HEX + "\"\n"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals("elasticsearch.ca_fingerprint", e.problems().get(0).key());
        assertTrue(e.getMessage().contains("elasticsearch.ca_file"), e.getMessage());
    }
}
