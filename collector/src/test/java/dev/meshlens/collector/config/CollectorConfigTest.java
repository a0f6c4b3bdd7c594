package dev.meshlens.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {
  static final String GOOD = """
      mesh: {id: istio-east, kind: istio, cluster: east}
      sources:
        files:
          - globs: ["/var/log/containers/*istio-proxy*.log"]
            format: istio
          - globs: ["/var/log/consul/*.log"]
            format:
              response_code: "%RESPONSE_CODE%"
              upstream_transport_failure_reason: "%UPSTREAM_TRANSPORT_FAILURE_REASON%"
        admin: [{url: "http://127.0.0.1:15000"}]
      kafka:
        bootstrap_servers: kafka:9092
        producer: {security.protocol: SASL_SSL, sasl.jaas.config: "secret stuff"}
      """;

  @Test
  void validConfigResolvesDefaultsAndHidesSecrets() {
    CollectorConfig c = CollectorConfig.parse(GOOD, "good.yaml");
    assertEquals("meshlens.events.istio-east", c.topic());
    assertEquals(3, c.integer("kafka.partitions"));
    assertEquals(30, ((Number) CollectorConfig.item(c.list("sources.admin").get(0), "sources.admin",
        "interval_seconds")).intValue());
    assertEquals("[hidden]", c.describe().get("kafka.producer.sasl.jaas.config"));
    assertEquals("SASL_SSL", c.describe().get("kafka.producer.security.protocol"));
  }

  @Test
  void everyProblemNamesTheKeyAndWhatIsExpected() {
    String bad = """
        mesh: {kind: mars}
        sources:
          files:
            - format: "%RESPONSE_CODE"
          poll_intervall_ms: 10
          max_line_bytes: lots
        kafka: {partitions: -1}
        spool: {dir: [1, 2]}
        """;
    ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse(bad, "bad.yaml"));
    List<String> p = e.problems();
    String all = String.join("\n", p);
    assertTrue(all.contains("Missing required configuration mesh.id which has no default value"), all);
    assertTrue(all.contains("Invalid value 'mars' for configuration mesh.kind: expected one of "
        + dev.meshlens.events.mesh.MeshProfiles.names()), all);
    assertTrue(all.contains("Missing required configuration sources.files[0].globs"), all);
    assertTrue(all.contains("sources.files[0].format: Couldn't find valid command at position 0"), all);
    assertTrue(all.contains("unknown configuration key 'sources.poll_intervall_ms' (did you mean 'sources.poll_interval_ms'?)"), all);
    assertTrue(all.contains("Invalid value 'lots' for configuration sources.max_line_bytes: expected a non-negative integer"), all);
    assertTrue(all.contains("Missing required configuration kafka.bootstrap_servers"), all);
    assertTrue(all.contains("Invalid value '-1' for configuration kafka.partitions"), all);
    assertTrue(all.contains("configuration spool.dir: expected a string"), all);
  }

  @Test
  void gatewayPathMustBeARegex() {
    String cfg = """
        mesh: {id: istio-east, kind: istio}
        sources:
          files:
            - globs: ["/var/log/pods/*/istio-proxy/*.log"]
              gateway_from_path: "^/var/log/pods/[^/*gateway"
        kafka: {bootstrap_servers: "kafka:9092"}
        """;
    ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse(cfg, "gw.yaml"));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("Invalid value for configuration sources.files[0].gateway_from_path: not a valid regular"
        + " expression"), all);
    assertTrue(all.contains("e.g. ^/var/log/pods/[^/]*gateway"), all);
    CollectorConfig.parse(cfg.replace("[^/*gateway", "[^/]*gateway"), "gw.yaml");
  }

  @Test
  void adminSourcesNameTheEnvoyBehindThem() {
    String cfg = """
        mesh: {id: istio-east, kind: istio}
        sources:
          admin:
            - url: "http://istio-eastwestgateway-admin.istio-system.svc:15000"
              local_identity: "spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account"
              workload: istio-eastwestgateway
        kafka: {bootstrap_servers: "kafka:9092"}
        """;
    CollectorConfig c = CollectorConfig.parse(cfg, "admin.yaml");
    assertEquals("spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account",
        c.list("sources.admin").get(0).get("local_identity"));
    ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse(
        cfg.replace("\"spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account\"",
            "istio-eastwestgateway"), "admin.yaml"));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("Invalid value 'istio-eastwestgateway' for configuration sources.admin[0].local_identity:"
        + " expected the SPIFFE ID of the Envoy behind this admin endpoint"), all);
    assertTrue(all.contains("spiffe://cluster.local/ns/<namespace>/sa/<service-account>"), all);
  }

  @Test
  void formatIsOneFormatAListOrAuto() {
    String cfg = """
        mesh: {id: istio-east, kind: istio}
        sources:
          files:
            - globs: ["/var/log/pods/*/istio-proxy/*.log"]
              format:
                - istio
                - {start_time: "%START_TIME%", downstream_transport_failure_reason: "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%"}
            - globs: ["/var/log/other/*.log"]
              format: auto
          otlp: {enabled: true, format: [istio, istio-json]}
        kafka: {bootstrap_servers: "kafka:9092"}
        """;
    CollectorConfig c = CollectorConfig.parse(cfg, "formats.yaml");
    assertEquals(List.of("istio", "custom-json"), CollectorConfig.toFormats(
        CollectorConfig.item(c.list("sources.files").get(0), "sources.files", "format")).tags());
    assertTrue(CollectorConfig.toFormats(c.list("sources.files").get(1).get("format")).detectsPerLine());
    assertEquals(List.of("istio", "istio-json"), CollectorConfig.toFormats(c.get("sources.otlp.format")).tags());

    ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse(cfg
        .replace("- istio\n", "- auto\n")
        .replace("%START_TIME%", "%START_TIME")
        .replace("format: auto", "format: 42"), "formats.yaml"));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("Invalid value for configuration sources.files[0].format[0]: auto detects every line's"
        + " kind on its own; write format: auto instead of a list"), all);
    assertTrue(all.contains("Invalid value for configuration sources.files[0].format[1]: "), all);
    assertTrue(all.contains("Invalid value '42' for configuration sources.files[1].format: expected a preset name, a"
        + " format string, a mapping of JSON key to operator, auto, or a non-empty list"), all);
  }

  /** The YAML examples in docs/collector.md are valid configurations. */
  @Test
  void documentedExamplesAreValid() throws Exception {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "collector.md"));
    int examples = 0;
    String[] blocks = doc.split("```yaml\n");
    for (int i = 1; i < blocks.length; i++) {
      String block = blocks[i];
      String yaml = block.substring(0, block.indexOf("```"));
      if (!yaml.contains("kafka:")) {
        yaml = yaml + "mesh: {id: istio-east, kind: istio}\nkafka: {bootstrap_servers: \"kafka:9092\"}\n";
      }
      CollectorConfig.parse(yaml, "docs/collector.md example " + (++examples));
    }
    assertTrue(examples >= 2, "examples found: " + examples);
  }

  @Test
  void yamlSyntaxErrorsHaveAPosition() {
    ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse("mesh: [unclosed", "x.yaml"));
    assertTrue(e.getMessage().contains("not valid YAML at line"), e.getMessage());
  }
}
