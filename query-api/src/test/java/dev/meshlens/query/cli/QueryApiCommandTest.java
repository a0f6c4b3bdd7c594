package dev.meshlens.query.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryApiCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return QueryApiCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void usageErrors() {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--config FILE is required"));
        assertEquals(2, run("--config"));
        assertEquals(2, run("--bogus"));
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: query-api --config FILE [--check]"));
    }

    @Test
    void checkValidatesPrintsTheResolvedConfigurationAndStartsNothing(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.yaml");
        Files.writeString(f, """
        kafka:
          bootstrap_servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
          username: writer
          password: hunter2
        """);
        // port 9 answers nothing: were anything started, it would fail or hang instead of returning 0 at once
        assertEquals(0, run("--config", f.toString(), "--check"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("configuration " + f + " is valid"), o);
        assertTrue(o.contains("kafka.group_id = meshlens-query-api"), o);
        assertTrue(o.contains("elasticsearch.password = [hidden]"), o);
        assertFalse(o.contains("hunter2"), o);
        assertFalse(o.contains("HTTP on port"), o);
    }

    @Test
    void invalidConfigIsRefusedBeforeAnythingStartsAndNamesEveryKey(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.yaml");
        Files.writeString(f, """
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
          password: hunter2
        htttp:
          port: 1
        """);
        assertEquals(2, run("--config", f.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("line 6: unknown configuration key 'htttp' (did you mean 'http'?)"), e);
        assertTrue(e.contains("elasticsearch.password is set but elasticsearch.username is not"), e);
        assertFalse(e.contains("hunter2"), e);
    }

    @Test
    void correlatorSettingsAreValidatedToo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.yaml");
        Files.writeString(f, """
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        correlation:
          settings:
            window: soon
            windw: 5s
        """);
        assertEquals(2, run("--config", f.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("for configuration correlation.settings.window: expected a duration"), e);
        assertTrue(e.contains("unknown configuration key 'correlation.settings.windw'"), e);
        var cfg = dev.meshlens.query.config.QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        correlation:
          settings: {window: 3s, state-dir: /tmp/x}
        """).correlation();
        assertEquals(Duration.ofSeconds(3), cfg.window());
        assertEquals("meshlens\\.events\\..*", cfg.inputPattern());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        assertEquals(2, run("--config", dir.resolve("nope.yaml").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nope.yaml"));
    }
}
