package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The retention policy and the templates that put daily indices under it. */
class RetentionPolicyTest {
    static final IndexNames NAMES = new IndexNames("meshlens");
    /** What ILM's parse_origination_date accepts (Elasticsearch: indexName-{yyyy.MM.dd}-optional_digits). */
    static final Pattern ORIGINATION = Pattern.compile("^.*-(\\d{4}\\.\\d{2}\\.\\d{2})(-\\d+)?$");

    @Test
    void policyDeletesAfterTheRetentionDaysAndDoesNothingElse() {
        JsonNode phases = Mappings.retentionPolicy(30).path("policy").path("phases");
        assertEquals(1, phases.size(), "only a delete phase: no rollover (indices are daily by name)");
        assertEquals("30d", phases.path("delete").path("min_age").asText());
        assertTrue(phases.path("delete").path("actions").has("delete"));
    }

    @Test
    void dailyIndicesAreAgedFromTheDayInTheirName() {
        Instant day = Instant.parse("2026-11-28T23:59:59Z");
        for (String index : new String[] {NAMES.eventsIndex(day), NAMES.findingsHistoryIndex(day)}) {
            var m = ORIGINATION.matcher(index);
            assertTrue(m.matches(), index + " must match ILM's origination-date pattern, or its creation would fail");
            assertEquals("2026.11.28", m.group(1));
        }
        for (JsonNode tpl : new JsonNode[] {
            Mappings.eventsTemplate(NAMES, 1, 1, "1s", true), Mappings.findingsHistoryTemplate(NAMES, 1, true)
        }) {
            JsonNode s = tpl.path("template").path("settings");
            assertEquals(NAMES.retentionPolicy(), s.path("index.lifecycle.name").asText(), tpl.toString());
            assertTrue(s.path("index.lifecycle.parse_origination_date").asBoolean(), tpl.toString());
        }
    }

    @Test
    void withoutRetentionNoLifecycleAndHistoryIsReadFromEveryDay() {
        assertFalse(Mappings.eventsTemplate(NAMES, 1, 1, "1s", false).toString().contains("lifecycle"));
        assertFalse(Mappings.findingsHistoryTemplate(NAMES, 1, false).toString().contains("lifecycle"));
        assertEquals(
                "meshlens-findings-history-*",
                Mappings.findingsHistoryTemplate(NAMES, 1, false)
                        .path("index_patterns")
                        .get(0)
                        .asText());
        assertTrue(
                NAMES.findingsHistory().endsWith("*"), "reads the daily indices and the single one of older releases");
    }
}
