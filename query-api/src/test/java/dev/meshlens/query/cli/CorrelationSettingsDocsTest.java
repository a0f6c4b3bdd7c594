package dev.meshlens.query.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.query.config.QueryApiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 11 (the documented settings are the accepted ones) is now the generated reference's job; what stays
 * here: every setting of the old {@code correlation.settings} map is still accepted as it was written, and the state
 * directory's default is absolute and documented.
 */
class CorrelationSettingsDocsTest {
    static final Path DOCS = Path.of("..", "docs");

    @Test
    void everyOldSettingIsStillAcceptedAsWritten() {
        CorrelationConfig cfg = QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        correlation:
          settings:
            window: 7s
            grace: 7s
            stats-interval: 7s
            quiet-time: 7s
            resolve-after: 7s
            resolved-retention: 7s
            state-dir: /var/tmp/x
            application-id: app
        """).correlation();
        assertEquals(Duration.ofSeconds(7), cfg.window());
        assertEquals(Duration.ofSeconds(7), cfg.grace());
        assertEquals(Duration.ofSeconds(7), cfg.statsInterval());
        assertEquals(Duration.ofSeconds(7), cfg.quietTime());
        assertEquals(Duration.ofSeconds(7), cfg.resolveAfter());
        assertEquals(Duration.ofSeconds(7), cfg.resolvedRetention());
        assertEquals(Path.of("/var/tmp/x"), cfg.stateDir());
        assertEquals("app", cfg.applicationId());
    }

    @Test
    void theStateDirectoryDefaultIsAbsoluteAndDocumented() throws Exception {
        CorrelationConfig cfg = QueryApiConfig.parse("""
        kafka:
          bootstrap_servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        """).correlation();
        assertTrue(cfg.stateDir().isAbsolute(), "not relative to the working directory: " + cfg.stateDir());
        String queryApiDoc = Files.readString(DOCS.resolve("query-api.md"));
        assertTrue(queryApiDoc.contains("correlation.state_dir"), "docs/query-api.md documents correlation.state_dir");
        String shown = cfg.stateDir().toString().replace(System.getProperty("java.io.tmpdir"), "${java.io.tmpdir}");
        assertTrue(
                queryApiDoc.contains(shown)
                        || queryApiDoc.contains(cfg.stateDir().toString()),
                "docs/query-api.md names the default " + shown);
    }
}
