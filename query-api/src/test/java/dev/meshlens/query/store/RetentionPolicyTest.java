package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The retention policy and the templates that put daily indices under it. */
class RetentionPolicyTest {
    static final IndexNames NAMES = new IndexNames("meshlens");

    @Test
    void policyDeletesAfterTheRetentionDaysAndDoesNothingElse() {
        JsonNode phases = Mappings.retentionPolicy(30).path("policy").path("phases");
        assertEquals(1, phases.size(), "only a delete phase: no rollover (indices are daily by name)");
        assertEquals("30d", phases.path("delete").path("min_age").asText());
        assertTrue(phases.path("delete").path("actions").has("delete"));
    }

    @Test
    void dailyTemplatesNameThePolicyAndAgeIndicesFromTheirName() {
        // how Elasticsearch reads these settings and the names: RetentionPolicyElasticsearchTest
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
