package dev.meshlens.query.config;

import static dev.meshlens.query.config.QueryApiKeys.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ConfigException;
import dev.meshlens.correlator.CorrelatorKeys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryApiConfigTest {
    static final String HASH = "a".repeat(64);
    static final String MINIMAL = """
      kafka:
        bootstrap_servers: 127.0.0.1:9092
      elasticsearch:
        urls: [http://127.0.0.1:9200]
      """;

    @Test
    void minimalConfigGetsDefaults() {
        QueryApiConfig c = QueryApiConfig.parse(MINIMAL);
        assertEquals("127.0.0.1:9092", c.get(CorrelatorKeys.BOOTSTRAP_SERVERS));
        assertEquals(List.of("http://127.0.0.1:9200"), c.get(ES_URLS));
        assertEquals("meshlens\\.events\\..*", c.get(CorrelatorKeys.EVENTS_TOPIC_PATTERN));
        assertEquals(8080, c.get(HTTP_PORT));
        assertEquals(Duration.ofMillis(500), c.get(INGEST_POLL_TIMEOUT));
        assertEquals(30, c.get(INGEST_RETENTION_DAYS));
        assertTrue(c.tokens().isEmpty());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
    }

    @Test
    void kebabCaseKeysStillWorkWithAWarningNamingTheNewKey() {
        QueryApiConfig c = QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: 127.0.0.1:9092
          metadata-max-age: 5s
        elasticsearch:
          urls: [http://127.0.0.1:9200]
        ingest: {gauge-refresh-interval: 10s}
        correlation:
          settings: {stats-interval: 10s, state-dir: /tmp/x}
        """);
        assertEquals("127.0.0.1:9092", c.get(CorrelatorKeys.BOOTSTRAP_SERVERS));
        assertEquals(Duration.ofSeconds(5), c.get(METADATA_MAX_AGE));
        assertEquals(Duration.ofSeconds(10), c.get(INGEST_GAUGE_REFRESH));
        assertEquals(Duration.ofSeconds(10), c.correlation().statsInterval());
        assertEquals("/tmp/x", c.correlation().stateDir().toString());
        String w = c.warnings().toString();
        assertTrue(
                w.contains("line 2: configuration key 'kafka.bootstrap-servers' is deprecated. Fix: write"
                        + " 'kafka.bootstrap_servers' instead"),
                w);
        assertTrue(
                w.contains("'correlation.settings.stats-interval' is deprecated. Fix: write"
                        + " 'correlation.stats_interval'"),
                w);
        assertEquals(5, c.warnings().size(), w);
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
        ingest:
          retention_dayz: 3
        """));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("line 6: unknown configuration key 'ingest.retention_dayz' (did you mean"
                                + " 'ingest.retention_days'?)"),
                e.getMessage());
    }

    @Test
    void wrongTypesAndMissingValuesAreAllReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse("""
        kafka:
          group_id: [a, b]
        http:
          port: eighty
        ingest:
          poll_timeout: soon
          enabled: maybe
        """));
        String m = e.getMessage();
        assertTrue(m.contains("Missing required configuration kafka.bootstrap_servers"), m);
        assertTrue(m.contains("Missing required configuration elasticsearch.urls"), m);
        assertTrue(m.contains("line 2: Invalid value '[a, b]' for configuration kafka.group_id"), m);
        assertTrue(m.contains("line 4: Invalid value 'eighty' for configuration http.port"), m);
        assertTrue(
                m.contains("line 6: Invalid value 'soon' for configuration ingest.poll_timeout") && m.contains("500ms"),
                m);
        assertTrue(
                m.contains("line 7: Invalid value 'maybe' for configuration ingest.enabled: expected true or false"),
                m);
        assertEquals(6, e.problems().size(), m);
    }

    @Test
    void secretsAreHiddenAndOutputIsSorted() {
        QueryApiConfig c = QueryApiConfig.parse("""
        elasticsearch:
          urls: [http://127.0.0.1:9200]
          username: elastic
          password: s3cr3t-pw
        kafka:
          bootstrap_servers: 127.0.0.1:9092
          properties:
            sasl.jaas.config: "org.apache.kafka.common.security.plain.PlainLoginModule required password=\\"x\\";"
            security.protocol: SASL_SSL
        auth:
          tokens:
            - {name: oncall, sha256: %s, admin: true}
        """.formatted(HASH));
        String d = c.describe() + c + c.tokens();
        assertFalse(d.contains("s3cr3t-pw"), d);
        assertFalse(d.contains("PlainLoginModule"), d);
        assertFalse(d.contains(HASH), d);
        assertTrue(d.contains("elasticsearch.password = [hidden]"), d);
        assertTrue(d.contains("kafka.properties.security.protocol = SASL_SSL"), d);
        List<String> keys =
                c.describe().lines().map(l -> l.substring(0, l.indexOf(" = "))).toList();
        assertEquals(keys.stream().sorted().toList(), keys);
        assertEquals(HASH, c.tokens().get(0).sha256());
    }

    @Test
    void tokensAreValidated() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
        auth:
          tokens:
            - {name: a, sha256: nothex, meshes: [m1]}
            - {name: b, sha256: %s}
            - {name: c, sha256: %s, meshes: [m1], colour: red}
        """.formatted(HASH, HASH)));
        String m = e.getMessage();
        assertTrue(m.contains("auth.tokens[0].sha256") && m.contains("64 hex"), m);
        assertFalse(m.contains("nothex"), "a token hash is never echoed: " + m);
        assertTrue(m.contains("'auth.tokens[2].colour'"), m);
        // the rule over several keys (meshes or admin) runs once the single keys are right
        e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
        auth:
          tokens:
            - {name: b, sha256: %s}
            - {name: b, sha256: %s, admin: true}
        """.formatted(HASH, HASH)));
        assertTrue(e.getMessage().contains("Missing value for configuration auth.tokens[0].meshes"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate token name 'b' at auth.tokens[1].name"), e.getMessage());
    }

    @Test
    void valueRules() {
        ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse("""
        kafka:
          bootstrap_servers: x:1
          events_topic_pattern: "meshlens.events.(("
        elasticsearch:
          urls: "ftp://nope"
        http:
          port: 70000
        """));
        String m = e.getMessage();
        assertTrue(m.contains("configuration kafka.events_topic_pattern: not a regular expression"), m);
        assertTrue(m.contains("configuration elasticsearch.urls: 'ftp://nope' is not http(s)://host:port"), m);
        assertTrue(m.contains("configuration http.port: must be between 0 and 65535"), m);
    }

    @Test
    void crossChecks() {
        ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
          password: p
        trust: {stale_after: 2d, certs_window: 1d}
        """));
        String m = e.getMessage();
        assertTrue(m.contains("elasticsearch.password is set but elasticsearch.username is not"), m);
        assertTrue(m.contains("trust.certs_window: shorter than trust.stale_after"), m);
    }
}
