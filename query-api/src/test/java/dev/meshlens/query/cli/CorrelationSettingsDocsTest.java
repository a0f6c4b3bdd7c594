package dev.meshlens.query.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.query.config.QueryApiConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 11: the correlation docs name exactly the settings the query API accepts, each one is
 * accepted when written as documented, and the state directory's default is absolute and documented.
 */
class CorrelationSettingsDocsTest {
  static final Path DOCS = Path.of("..", "docs");
  /** The first column of the settings table in docs/correlation.md: | `name` | default | meaning |. */
  static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-zA-Z-]+)` \\|");

  static Set<String> documented() throws Exception {
    String md = Files.readString(DOCS.resolve("correlation.md"));
    int start = md.indexOf("## Settings");
    assertTrue(start >= 0, "docs/correlation.md has a '## Settings' section");
    int end = md.indexOf("\n## ", start + 3);
    Matcher m = ROW.matcher(md.substring(start, end < 0 ? md.length() : end));
    Set<String> names = new TreeSet<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theDocsNameExactlyTheAcceptedSettings() throws Exception {
    assertEquals(new TreeSet<>(CorrelationSettings.SETTINGS), documented());
  }

  @Test
  void everyDocumentedSettingIsAcceptedAsWritten() throws Exception {
    StringBuilder yaml = new StringBuilder("""
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        correlation:
          settings:
        """);
    for (String s : documented()) {
      String value = switch (s) {
        case "state-dir" -> "/var/tmp/x";
        case "application-id" -> "app";
        default -> "7s";
      };
      yaml.append("    ").append(s).append(": ").append(value).append('\n');
    }
    CorrelationConfig cfg = CorrelationSettings.config(QueryApiConfig.parse(yaml.toString()));
    assertEquals(java.time.Duration.ofSeconds(7), cfg.statsInterval());
    assertEquals(java.time.Duration.ofSeconds(7), cfg.quietTime());
  }

  @Test
  void theStateDirectoryDefaultIsAbsoluteAndDocumented() throws Exception {
    CorrelationConfig cfg = CorrelationSettings.config(QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: 127.0.0.1:9
        elasticsearch:
          urls: [http://127.0.0.1:9]
        """));
    assertTrue(cfg.stateDir().isAbsolute(), "not relative to the working directory: " + cfg.stateDir());
    String queryApiDoc = Files.readString(DOCS.resolve("query-api.md"));
    assertTrue(queryApiDoc.contains("state-dir"), "docs/query-api.md documents correlation.settings.state-dir");
    String shown = cfg.stateDir().toString().replace(System.getProperty("java.io.tmpdir"), "${java.io.tmpdir}");
    assertTrue(queryApiDoc.contains(shown) || queryApiDoc.contains(cfg.stateDir().toString()),
        "docs/query-api.md names the default " + shown);
  }
}
