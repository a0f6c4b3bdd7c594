package dev.meshlens.collector.config;

import static dev.meshlens.collector.config.CollectorKeys.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
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
        assertEquals(3, c.get(PARTITIONS));
        assertEquals(Duration.ofSeconds(30), c.get(ADMIN).get(0).get(ADMIN_INTERVAL));
        assertEquals("[hidden]", c.describe().get("kafka.properties.sasl.jaas.config"));
        assertEquals("SASL_SSL", c.describe().get("kafka.properties.security.protocol"));
        assertEquals("secret stuff", c.get(KAFKA_PROPERTIES).forClient().get("sasl.jaas.config"));
        assertTrue(
                c.warnings().toString().contains("'kafka.producer' is deprecated. Fix: write 'kafka.properties'"),
                c.warnings().toString());
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
        String all = String.join("\n", e.lines());
        assertTrue(all.contains("Missing required configuration mesh.id which has no default value"), all);
        assertTrue(all.contains("line 1: Invalid value 'mars' for configuration mesh.kind: expected one of"), all);
        assertTrue(all.contains("Missing required configuration sources.files[0].globs"), all);
        assertTrue(
                all.contains(
                        "line 4: Invalid value '%RESPONSE_CODE' for configuration sources.files[0].format: Couldn't find valid command at position 0"),
                all);
        assertTrue(
                all.contains(
                        "line 5: unknown configuration key 'sources.poll_intervall_ms' (did you mean 'sources.poll_interval'?)"),
                all);
        assertTrue(
                all.contains(
                        "line 6: Invalid value 'lots' for configuration sources.max_line_bytes: expected an integer"),
                all);
        assertTrue(all.contains("Missing required configuration kafka.bootstrap_servers"), all);
        assertTrue(
                all.contains("line 7: Invalid value '-1' for configuration kafka.partitions: must be at least 1"), all);
        assertTrue(all.contains("line 8: Invalid value '[1, 2]' for configuration spool.dir: expected a string"), all);
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
        String all = String.join("\n", e.lines());
        assertTrue(
                all.contains(
                        "Invalid value '^/var/log/pods/[^/*gateway' for configuration sources.files[0].gateway_from_path: not a"
                                + " regular expression"),
                all);
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
        assertEquals(
                "spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account",
                c.get(ADMIN).get(0).get(ADMIN_LOCAL_IDENTITY));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> CollectorConfig.parse(
                        cfg.replace(
                                "\"spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account\"",
                                "istio-eastwestgateway"),
                        "admin.yaml"));
        String all = String.join("\n", e.lines());
        assertTrue(
                all.contains("Invalid value 'istio-eastwestgateway' for configuration sources.admin[0].local_identity:"
                        + " expected the SPIFFE ID of the Envoy behind this admin endpoint"),
                all);
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
        assertEquals(
                List.of("istio", "custom-json"),
                CollectorConfig.toFormats(c.get(FILES).get(0).get(FILE_FORMAT)).tags());
        assertTrue(
                CollectorConfig.toFormats(c.get(FILES).get(1).get(FILE_FORMAT)).detectsPerLine());
        assertEquals(
                List.of("istio", "istio-json"),
                CollectorConfig.toFormats(c.get(OTLP_FORMAT)).tags());

        ConfigException e = assertThrows(
                ConfigException.class,
                () -> CollectorConfig.parse(
                        cfg.replace("- istio\n", "- auto\n")
                                .replace("%START_TIME%", "%START_TIME")
                                .replace("format: auto", "format: 42"),
                        "formats.yaml"));
        String all = String.join("\n", e.lines());
        assertTrue(
                all.contains("for configuration sources.files[0].format: item 0: auto detects every line's"
                        + " kind on its own; write format: auto instead of a list"),
                all);
        assertTrue(
                all.contains("Invalid value '42' for configuration sources.files[1].format: expected a preset name, a"
                        + " format string, a mapping of JSON key to operator, auto, or a non-empty list"),
                all);
    }

    /** The YAML examples in docs/collector.md are valid configurations. */
    @Test
    void documentedExamplesAreValid() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "collector.md"));
        int examples = 0;
        String[] blocks = doc.split("```yaml\n");
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i];
            String yaml = block.substring(0, block.indexOf("```"));
            if (!yaml.contains("kafka:")) {
                yaml = yaml + "mesh: {id: istio-east, kind: istio}\nkafka: {bootstrap_servers: \"kafka:9092\"}\n";
            }
            // Examples name secrets by environment variable; any value stands in for them here.
            CollectorConfig.parse(
                    yaml, "docs/collector.md example " + (++examples), new dev.meshlens.config.Environment() {
                        @Override
                        public String getenv(String name) {
                            return "a-stand-in-value-of-32-characters";
                        }

                        @Override
                        public String readFile(String path) {
                            return "a-stand-in-value-of-32-characters";
                        }
                    });
        }
        assertTrue(examples >= 2, "examples found: " + examples);
    }

    @Test
    void yamlSyntaxErrorsHaveAPosition() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> CollectorConfig.parse("mesh: [unclosed", "x.yaml"));
        assertTrue(e.getMessage().contains("line 1: not valid YAML"), e.getMessage());
    }

    @Test
    void oldKeysStillWorkWithAWarningNamingTheNewOne() {
        CollectorConfig c = CollectorConfig.parse("""
        mesh: {id: a}
        sources:
          poll_interval_ms: 200
          admin: [{url: "http://127.0.0.1:15000", interval_seconds: 5}]
        pipeline: {success_rollup_seconds: 0}
        kafka: {bootstrap_servers: "k:9092", delivery_timeout_ms: 3000}
        """, "old.yaml");
        assertEquals(Duration.ofMillis(200), c.get(POLL_INTERVAL));
        assertEquals(Duration.ofSeconds(5), c.get(ADMIN).get(0).get(ADMIN_INTERVAL));
        assertEquals(Duration.ZERO, c.get(SUCCESS_ROLLUP));
        assertEquals(Duration.ofSeconds(3), c.get(DELIVERY_TIMEOUT));
        String w = c.warnings().toString();
        assertTrue(w.contains("write sources.poll_interval: 200ms"), w);
        assertTrue(w.contains("write 'sources.admin[0].interval' instead"), w);
        assertTrue(w.contains("write kafka.delivery_timeout: 3s"), w);
    }

    @Test
    void aGlobPartNamesTheEnvoyWithoutARegex() {
        String cfg = """
        mesh: {id: a}
        sources:
          files:
            - globs: ["/var/log/pods/*_{service}-*/istio-proxy/*.log"]
              identity_template: "spiffe://cluster.local/ns/default/sa/{service}"
        kafka: {bootstrap_servers: "k:9092"}
        """;
        CollectorConfig c = CollectorConfig.parse(cfg, "glob.yaml");
        List<String> globs = c.get(FILES).get(0).get(FILE_GLOBS);
        assertEquals(List.of("/var/log/pods/*_*-*/istio-proxy/*.log"), GlobIdentity.plain(globs));
        var id = new dev.meshlens.collector.event.LocalIdentity(
                Pattern.compile(GlobIdentity.regex(globs)), c.get(FILES).get(0).get(FILE_IDENTITY_TEMPLATE));
        assertEquals(
                "spiffe://cluster.local/ns/default/sa/ledger",
                id.resolve("/var/log/pods/web_ledger-7d9f8-abcde_0123/istio-proxy/0.log"));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> CollectorConfig.parse(cfg.replace("sa/{service}", "sa/{workload}"), "glob.yaml"));
        assertTrue(e.getMessage().contains("template placeholder {workload} is not a named group"), e.getMessage());
    }

    @Test
    void aGlobPartCanBeLimitedToSomeValues() {
        List<String> globs = List.of("/demo/istio-east/{service:backend,catalog}/access.log");
        assertEquals(List.of("/demo/istio-east/{backend,catalog}/access.log"), GlobIdentity.plain(globs));
        var id = new dev.meshlens.collector.event.LocalIdentity(
                Pattern.compile(GlobIdentity.regex(globs)), "spiffe://cluster.local/ns/default/sa/{service}");
        assertEquals("spiffe://cluster.local/ns/default/sa/catalog", id.resolve("/demo/istio-east/catalog/access.log"));
        assertEquals(null, id.resolve("/demo/istio-east/frontend/access.log"));
    }
}
