package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * meshlens's half of retention checked by Elasticsearch's own ILM code (x-pack-core of the suite's node version,
 * {@link ElasticsearchIlmModel}): the policy the query API writes is one Elasticsearch accepts, a delete phase at
 * the retention age; the daily index names carry the day ILM ages them from (with {@code
 * parse_origination_date} on, Elasticsearch refuses to create an index whose name it cannot parse); the templates'
 * settings put those indices under the policy as Elasticsearch reads them. ILM's runner is not published, so the
 * deletion itself is {@link RetentionIT}'s, against a cluster given by {@code MESHLENS_ES_URL}.
 */
class RetentionPolicyElasticsearchTest {
    static final IndexNames NAMES = new IndexNames("meshlens");
    static final Path DOC = Path.of("..", "docs", "production.md");
    static final ObjectMapper JSON = new ObjectMapper();
    static ElasticsearchIlmModel es;

    @BeforeAll
    static void load() throws Exception {
        es = ElasticsearchIlmModel.load();
    }

    @AfterAll
    static void close() throws Exception {
        if (es != null) {
            es.close();
        }
    }

    @Test
    void elasticsearchReadsThePolicyAsOneDeletePhaseAtTheRetentionAge() throws Exception {
        Map<String, ElasticsearchIlmModel.ParsedPhase> phases = es.parsePolicy(
                NAMES.retentionPolicy(),
                Mappings.retentionPolicy(30).path("policy").toString());
        assertEquals(Set.of("delete"), phases.keySet(), "only a delete phase: no rollover (indices are daily by name)");
        assertEquals(Duration.ofDays(30).toMillis(), phases.get("delete").minAgeMillis());
        assertEquals(Set.of("delete"), phases.get("delete").actions());
    }

    @Test
    void aPolicyElasticsearchRefusesIsRefusedByTheModelToo() {
        // the check above could fail: Elasticsearch's validation runs here (delete is not allowed in the hot phase)
        assertThrows(
                IllegalArgumentException.class,
                () -> es.parsePolicy("bad", "{\"phases\":{\"hot\":{\"actions\":{\"delete\":{}}}}}"));
    }

    @Test
    void dailyIndicesAreAgedFromTheDayInTheirName() throws Exception {
        Instant day = Instant.parse("2026-11-28T23:59:59Z");
        long midnight = Instant.parse("2026-11-28T00:00:00Z").toEpochMilli();
        assertEquals(midnight, es.originationDate(NAMES.eventsIndex(day)));
        assertEquals(midnight, es.originationDate(NAMES.findingsHistoryIndex(day)));
        // a name without a day is refused: the findings index must stay out of the daily templates
        assertThrows(IllegalArgumentException.class, () -> es.originationDate(NAMES.findings()));
    }

    @Test
    void theTemplatesPutDailyIndicesUnderThePolicyAsElasticsearchReadsThem() throws Exception {
        for (JsonNode tpl : new JsonNode[] {
            Mappings.eventsTemplate(NAMES, 1, 1, "1s", true), Mappings.findingsHistoryTemplate(NAMES, 1, true)
        }) {
            Object settings = es.settings(tpl.path("template").path("settings").toString());
            assertEquals(NAMES.retentionPolicy(), es.lifecycleName(settings), tpl.toString());
            assertTrue(es.parsesOriginationFromName(settings), tpl.toString());
        }
        Object none = es.settings(Mappings.eventsTemplate(NAMES, 1, 1, "1s", false)
                .path("template")
                .path("settings")
                .toString());
        assertEquals("", es.lifecycleName(none), "no retention: no policy");
        assertFalse(es.parsesOriginationFromName(none));
    }

    @Test
    void theAdministratorsRequestsInTheDocsAreWhatTheQueryApiWouldDo() throws Exception {
        String doc = Files.readString(DOC);
        Matcher policy = Pattern.compile("PUT _ilm/policy/(\\S+)\\n(\\{.*?\\})\\n\\n", Pattern.DOTALL)
                .matcher(doc);
        assertTrue(policy.find(), "docs/production.md has the administrator's policy request");
        assertEquals(NAMES.retentionPolicy(), policy.group(1));
        String body = JSON.readTree(policy.group(2)).path("policy").toString();
        assertEquals(
                es.parsePolicy(
                        NAMES.retentionPolicy(),
                        Mappings.retentionPolicy(30).path("policy").toString()),
                es.parsePolicy(policy.group(1), body),
                "the documented policy (30 days) is the one the query API writes for retention_days 30");
        Matcher settings = Pattern.compile("PUT (\\S+)/_settings\\n(\\{.*?\\})\\n", Pattern.DOTALL)
                .matcher(doc);
        assertTrue(settings.find(), "docs/production.md has the request that puts older indices under the policy");
        assertEquals(NAMES.eventsPattern() + "," + NAMES.findingsHistoryPattern(), settings.group(1));
        Object read = es.settings(settings.group(2));
        assertEquals(NAMES.retentionPolicy(), es.lifecycleName(read));
        assertTrue(es.parsesOriginationFromName(read), "older indices are aged from their names too");
    }

    @Test
    void theTestsPollIntervalKeyIsElasticsearchs() throws Exception {
        assertEquals(RetentionIT.POLL_INTERVAL, es.lifecycleSettingKey("LIFECYCLE_POLL_INTERVAL"));
    }
}
