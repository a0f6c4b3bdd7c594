package dev.meshlens.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefTest {
    static final Key<String> ID = Key.string("mesh.id").required().doc("mesh id");
    static final Key<String> KIND =
            Key.oneOf("mesh.kind", List.of("istio", "consul")).defaultValue("istio");
    static final Key<Integer> PORT = Key.integer("http.port").defaultValue(8080).validate(Validators.port());
    static final Key<Duration> POLL = Key.duration("sources.poll_interval")
            .defaultValue(Duration.ofMillis(250))
            .alias("sources.poll_interval_ms", ChronoUnit.MILLIS);
    static final Key<Secret> PASSWORD = Key.secret("es.password").doc("password");
    static final Key<ClientProperties> PROPS =
            Key.properties("kafka.properties").alias("kafka.producer");
    static final Key<List<Settings>> FILES = Key.list("sources.files");
    static final Key<List<String>> GLOBS =
            Key.commaList("sources.files[].globs").required();
    static final Key<Boolean> UNWRAP = Key.bool("sources.files[].unwrap").defaultValue(true);
    static final Key<String> BOOT = Key.string("kafka.bootstrap_servers").required();

    static final ConfigDef DEF = ConfigDef.of(
                    "test",
                    "a test service",
                    List.of(ID, KIND, PORT, POLL, PASSWORD, PROPS, FILES, GLOBS, UNWRAP, BOOT))
            .withKebabAliases();

    @Test
    void readsTypedValuesAndDefaults() {
        Settings s = DEF.parse("""
        mesh: {id: a, kind: Consul}
        kafka: {bootstrap_servers: "k:9092"}
        sources:
          poll_interval: 2s
          files:
            - globs: [/a/*.log]
            - globs: /b/*.log, /c/*.log
              unwrap: false
        """, "t.yaml");
        assertEquals("a", s.get(ID));
        assertEquals("consul", s.get(KIND));
        assertEquals(8080, s.get(PORT));
        assertEquals(Duration.ofSeconds(2), s.get(POLL));
        List<Settings> files = s.get(FILES);
        assertEquals(List.of("/a/*.log"), files.get(0).get(GLOBS));
        assertTrue(files.get(0).get(UNWRAP));
        assertEquals(List.of("/b/*.log", "/c/*.log"), files.get(1).get(GLOBS));
        assertFalse(files.get(1).get(UNWRAP));
        assertTrue(s.warnings().isEmpty());
    }

    @Test
    void reportsEveryProblemAtOnceWithLinesAndFixes() {
        ConfigException e = assertThrows(ConfigException.class, () -> DEF.parse("""
        mesh:
          kind: linkerd
        http:
          port: 70000
          prot: 1
        sources:
          poll_interval: soon
          files:
            - unwrap: true
        """, "t.yaml"));
        String m = e.getMessage();
        assertTrue(
                m.contains(
                        "line 2: Invalid value 'linkerd' for configuration mesh.kind: expected one of [istio, consul]"),
                m);
        assertTrue(
                m.contains("line 4: Invalid value '70000' for configuration http.port: must be between 0 and 65535"),
                m);
        assertTrue(m.contains("line 5: unknown configuration key 'http.prot' (did you mean 'http.port'?)"), m);
        assertTrue(
                m.contains("line 7: Invalid value 'soon' for configuration sources.poll_interval: expected a duration"),
                m);
        assertTrue(m.contains("Missing required configuration sources.files[0].globs which has no default value"), m);
        assertTrue(m.contains("Missing required configuration mesh.id"), m);
        assertTrue(m.contains("Missing required configuration kafka.bootstrap_servers"), m);
        assertTrue(m.contains("Fix: "), m);
        assertEquals(7, e.problems().size(), m);
    }

    @Test
    void deprecatedNamesWorkWithAWarningNamingTheNewKey() {
        Settings s = DEF.parse("""
        mesh: {id: a}
        kafka:
          bootstrap-servers: k:9092
          producer: {acks: all}
        sources: {poll_interval_ms: 500}
        """, "t.yaml");
        assertEquals("k:9092", s.get(BOOT));
        assertEquals(Duration.ofMillis(500), s.get(POLL));
        assertEquals("all", s.get(PROPS).forClient().get("acks"));
        String w = s.warnings().toString();
        assertTrue(w.contains("'kafka.bootstrap-servers' is deprecated. Fix: write 'kafka.bootstrap_servers'"), w);
        assertTrue(w.contains("'kafka.producer' is deprecated. Fix: write 'kafka.properties'"), w);
        assertTrue(w.contains("write sources.poll_interval: 500ms"), w);
    }

    @Test
    void aPlainNumberUnderTheNewDurationKeyIsAnError() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> DEF.parse("mesh: {id: a}\nkafka: {bootstrap_servers: k}\nsources: {poll_interval: 500}\n", "t"));
        assertTrue(e.getMessage().contains("a plain number has no unit"), e.getMessage());
    }

    @Test
    void settingOneKeyUnderBothNamesIsAnError() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> DEF.parse("mesh: {id: a}\nkafka: {bootstrap_servers: k, bootstrap-servers: k}\n", "t"));
        assertTrue(e.getMessage().contains("set twice"), e.getMessage());
    }

    @Test
    void secretsComeInlineFromFilesOrTheEnvironmentAndNeverPrint(@TempDir Path dir) throws Exception {
        String planted = "planted-s3cret-value";
        Path f = dir.resolve("pw");
        Files.writeString(f, planted + "\n");
        for (String yaml : List.of(
                "es: {password: " + planted + "}", "es: {password_file: " + f + "}", "es: {password_env: ES_PW}")) {
            Settings s = DEF.parse(
                    "mesh: {id: a}\nkafka:\n  bootstrap_servers: k\n  properties:\n    ssl.keystore.key: " + planted
                            + "\n    sasl:\n      jaas:\n        config: " + planted + "\n    acks: all\n" + yaml
                            + "\n",
                    "t",
                    Environment.of(Map.of("ES_PW", planted)));
            assertEquals(planted, s.get(PASSWORD).reveal(), yaml);
            assertEquals(planted, s.get(PROPS).forClient().get("ssl.keystore.key"));
            assertEquals(planted, s.get(PROPS).forClient().get("sasl.jaas.config"));
            String shown = s.describe() + s.toString() + s.get(PROPS) + s.get(PASSWORD);
            assertFalse(shown.contains(planted), shown);
            assertTrue(shown.contains("es.password=[hidden]"), shown);
            assertTrue(shown.contains("kafka.properties.acks=all"), shown);
        }
    }

    @Test
    void aSecretNeverAppearsInAnError() {
        String planted = "planted-s3cret-value";
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> DEF.parse(
                        "mesh: {id: a}\nkafka: {bootstrap_servers: k, properties: {ssl.keystore.key: [" + planted
                                + "]}}\n" + "es: {password: [" + planted + "]}\n",
                        "t"));
        assertFalse(e.getMessage().contains(planted), e.getMessage());
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void aMissingSecretFileOrVariableNamesTheKey() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> DEF.parse(
                        "mesh: {id: a}\nkafka: {bootstrap_servers: k}\nes: {password_env: NOPE_NOT_SET_X}\n",
                        "t",
                        Environment.of(Map.of())));
        assertTrue(
                e.getMessage()
                        .contains("line 3: the environment variable NOPE_NOT_SET_X named by es.password_env is"
                                + " not set"),
                e.getMessage());
    }

    @Test
    void invalidYamlNamesTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> DEF.parse("mesh:\n  id: a\n  - b\n", "t"));
        assertTrue(e.getMessage().contains("line 3: not valid YAML"), e.getMessage());
    }

    @Test
    void aDuplicateKeyIsAProblem() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> DEF.parse("mesh: {id: a}\nkafka: {bootstrap_servers: k}\nhttp:\n  port: 1\n  port: 2\n", "t"));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }

    @Test
    void crossChecksAddTheirProblems() {
        ConfigDef d = DEF.check((s, p) -> {
            if (s.get(PORT) == 1) {
                p.add(new Problem(s.line(PORT), PORT.name(), "port 1 is reserved", "pick another"));
            }
        });
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> d.parse("mesh: {id: a}\nkafka: {bootstrap_servers: k}\nhttp: {port: 1}\n", "t"));
        assertEquals("line 3: port 1 is reserved. Fix: pick another", e.lines().get(0));
    }

    @Test
    void aKeyOfAnotherTableIsRefused() {
        Settings s = DEF.parse("mesh: {id: a}\nkafka: {bootstrap_servers: k}\n", "t");
        assertThrows(IllegalArgumentException.class, () -> s.get(Key.string("nope")));
    }

    @Test
    void durationsHaveOneSyntax() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void secretPrintsHidden() {
        assertEquals("[hidden]", Secret.of("x").toString());
        assertEquals(
                "[hidden]",
                String.valueOf(List.of(Secret.of("x"))).replace("[[", "[").replace("]]", "]"));
    }
}
