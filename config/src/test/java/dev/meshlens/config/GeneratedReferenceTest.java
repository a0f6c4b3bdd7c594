package dev.meshlens.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class GeneratedReferenceTest {
    @Test
    void docsTableHasOneRowPerKeyWithAliasesAndSecretVariants() {
        String md = ConfigDocs.markdown(ConfigDefTest.DEF);
        assertEquals(ConfigDefTest.DEF.keys().size() + 2, md.lines().count());
        assertTrue(
                md.contains("| `es.password` | secret |  | password Secret: printed as [hidden]; or `password_file`"),
                md);
        assertTrue(
                md.contains("Deprecated names: `sources.poll_interval_ms` (a plain number: millis)")
                        || md.contains(
                                "Deprecated names: `sources.poll_interval_ms` (a plain number: millis), `sources-poll-interval`")
                        || md.contains("`sources.poll_interval_ms` (a plain number: millis)"),
                md);
        assertTrue(md.contains("| `http.port` | int | `8080` |"), md);
    }

    @Test
    void replacesOnlyTheTextBetweenMarkers() {
        String page = "# T\nbefore\n" + ConfigDocs.begin("test") + "\nold\n" + ConfigDocs.end("test") + "\nafter\n";
        String out = ConfigDocs.replaceSection(page, ConfigDefTest.DEF);
        assertTrue(out.startsWith("# T\nbefore\n" + ConfigDocs.begin("test") + "\n| key |"), out);
        assertTrue(out.endsWith(ConfigDocs.end("test") + "\nafter\n"), out);
        assertEquals(out, ConfigDocs.replaceSection(out, ConfigDefTest.DEF));
        assertThrows(IllegalArgumentException.class, () -> ConfigDocs.replaceSection("no markers", ConfigDefTest.DEF));
    }

    @Test
    void schemaNestsSectionsListsAliasesAndRequiredKeys() throws Exception {
        JsonNode s = new ObjectMapper().readTree(JsonSchema.of(ConfigDefTest.DEF));
        assertEquals("object", s.path("type").asText());
        assertEquals(false, s.path("additionalProperties").asBoolean(true));
        JsonNode mesh = s.path("properties").path("mesh");
        assertEquals("id", mesh.path("required").get(0).asText());
        assertEquals(
                65535,
                s.path("properties")
                        .path("http")
                        .path("properties")
                        .path("port")
                        .path("maximum")
                        .asInt());
        JsonNode files = s.path("properties").path("sources").path("properties").path("files");
        assertEquals("globs", files.path("items").path("required").get(0).asText());
        JsonNode kafka = s.path("properties").path("kafka");
        assertTrue(
                kafka.path("properties")
                        .path("bootstrap-servers")
                        .path("deprecated")
                        .asBoolean(),
                kafka.toString());
        assertTrue(kafka.path("allOf").toString().contains("bootstrap-servers"), kafka.toString());
        assertTrue(s.path("properties").path("es").path("properties").has("password_file"));
        assertTrue(s.path("properties")
                .path("sources")
                .path("properties")
                .path("poll_interval_ms")
                .path("type")
                .toString()
                .contains("integer"));
    }
}
