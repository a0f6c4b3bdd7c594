package dev.meshlens.query.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryApiConfigTest {
  static final String HASH = "a".repeat(64);
  static final String MINIMAL = """
      kafka:
        bootstrap-servers: 127.0.0.1:9092
      elasticsearch:
        urls: [http://127.0.0.1:9200]
      """;

  @Test
  void minimalConfigGetsDefaults() {
    QueryApiConfig c = QueryApiConfig.parse(MINIMAL);
    assertEquals("127.0.0.1:9092", c.string("kafka.bootstrap-servers"));
    assertEquals(List.of("http://127.0.0.1:9200"), c.list("elasticsearch.urls"));
    assertEquals("meshlens\\.events\\..*", c.string("kafka.events-topic-pattern"));
    assertEquals(8080, c.integer("http.port"));
    assertEquals(Duration.ofMillis(500), c.duration("ingest.poll-timeout"));
    assertEquals(30, c.integer("ingest.retention-days"));
    assertTrue(c.tokens().isEmpty());
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() {
    ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
        ingest:
          retention-dayz: 3
        """));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("'ingest.retention-dayz'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'ingest.retention-days'"), e.getMessage());
  }

  @Test
  void wrongTypesAndMissingValuesAreAllReportedAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse("""
        kafka:
          group-id: [a, b]
        http:
          port: eighty
        ingest:
          poll-timeout: soon
          enabled: maybe
        """));
    String m = e.getMessage();
    assertTrue(m.contains("Missing required configuration 'kafka.bootstrap-servers'"), m);
    assertTrue(m.contains("Missing required configuration 'elasticsearch.urls'"), m);
    assertTrue(m.contains("'kafka.group-id'"), m);
    assertTrue(m.contains("Invalid value eighty for configuration 'http.port'"), m);
    assertTrue(m.contains("'ingest.poll-timeout'") && m.contains("500ms"), m);
    assertTrue(m.contains("'ingest.enabled'") && m.contains("true or false"), m);
    assertEquals(6, e.problems().size(), m);
  }

  @Test
  void secretsAreHiddenAndOutputIsSorted() {
    QueryApiConfig c = QueryApiConfig.parse(MINIMAL + """
        elasticsearch:
          urls: [http://127.0.0.1:9200]
          username: elastic
          password: s3cr3t-pw
        kafka:
          bootstrap-servers: 127.0.0.1:9092
          properties:
            sasl.jaas.config: "org.apache.kafka.common.security.plain.PlainLoginModule required password=\\"x\\";"
            security.protocol: SASL_SSL
        auth:
          tokens:
            - {name: oncall, sha256: %s, admin: true}
        """.formatted(HASH));
    String d = c.describe();
    assertFalse(d.contains("s3cr3t-pw"), d);
    assertFalse(d.contains("PlainLoginModule"), d);
    assertFalse(d.contains(HASH), d);
    assertTrue(d.contains("elasticsearch.password = [hidden]"), d);
    assertTrue(d.contains("security.protocol=SASL_SSL"), d);
    List<String> keys = d.lines().map(l -> l.substring(0, l.indexOf(" = "))).toList();
    assertEquals(keys.stream().sorted().toList(), keys);
  }

  @Test
  void tokensAreValidated() {
    ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse(MINIMAL + """
        auth:
          tokens:
            - {name: a, sha256: nothex, meshes: [m1]}
            - {name: b, sha256: %s}
            - {name: c, sha256: %s, meshes: [m1], colour: red}
        """.formatted(HASH, HASH)));
    String m = e.getMessage();
    assertTrue(m.contains("'auth.tokens[0].sha256'") && m.contains("64 hex"), m);
    assertFalse(m.contains("nothex"), "a token hash is never echoed: " + m);
    assertTrue(m.contains("'auth.tokens[1].meshes'"), m);
    assertTrue(m.contains("'auth.tokens[2].colour'"), m);
  }

  @Test
  void crossChecks() {
    ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: x:1
          events-topic-pattern: "meshlens.events.(("
        elasticsearch:
          urls: "ftp://nope"
          password: p
        http:
          port: 70000
        """));
    String m = e.getMessage();
    assertTrue(m.contains("'kafka.events-topic-pattern'"), m);
    assertTrue(m.contains("'elasticsearch.urls'"), m);
    assertTrue(m.contains("'http.port'"), m);
    assertTrue(m.contains("'elasticsearch.username'"), m);
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(250), QueryApiConfig.parseDuration("250ms"));
    assertEquals(Duration.ofDays(7), QueryApiConfig.parseDuration("7d"));
    assertEquals(Duration.ofSeconds(30), QueryApiConfig.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> QueryApiConfig.parseDuration("5 weeks"));
  }
}
