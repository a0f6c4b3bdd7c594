package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The correlator's Kafka names follow kafka.group_id, so the ACLs granted on the group cover them. */
class KafkaNamesTest {
    private static CorrelationConfig config(String yaml) {
        return new CorrelationConfig(CorrelatorKeys.DEF.parse(yaml, "test"));
    }

    @Test
    void theDefaultGroupNamesTheCorrelatorOfTheQueryApi() {
        CorrelationConfig c = config("kafka: {bootstrap_servers: k:9092}\n");
        assertEquals("meshlens-query-api", c.names().group());
        assertEquals("meshlens-query-api-correlator", c.applicationId());
        assertEquals("meshlens-query-api-correlator-inventory", c.inventoryTopic());
        assertEquals("meshlens-query-api-correlator-loop", c.loopTopic());
        assertEquals("meshlens-query-api-findings", c.names().findingsGroup());
    }

    @Test
    void everyDerivedNameFollowsTheConfiguredGroup() {
        CorrelationConfig c = config("kafka: {bootstrap_servers: k:9092, group_id: team-x}\n");
        KafkaNames n = c.names();
        assertEquals("team-x-correlator", c.applicationId());
        assertEquals("team-x-correlator", n.correlatorGroup());
        assertEquals("team-x-findings", n.findingsGroup());
        assertEquals("team-x-correlator-", n.correlatorTopicPrefix());
        assertEquals("team-x-correlator-", n.transactionalIdPrefix());
        assertEquals("team-x-correlator-inventory", c.inventoryTopic());
        assertEquals("team-x-correlator-loop", c.loopTopic());
        String repartition = CorrelationTopology.repartitionTopic(c);
        assertTrue(
                repartition.startsWith(n.correlatorTopicPrefix()) && repartition.endsWith("-repartition"), repartition);
        // what Kafka Streams is given: its group, topic prefix and transactional ids all start with it
        assertEquals(
                "team-x-correlator",
                new CorrelationService(c).streamsProperties().get("application.id"));
    }

    @Test
    void anExplicitApplicationIdWinsAndKeepsAnOlderReleasesState() {
        CorrelationConfig c = config(
                "kafka: {bootstrap_servers: k:9092, group_id: team-x}\ncorrelation: {application_id: meshlens-correlator}\n");
        assertEquals("meshlens-correlator", c.applicationId());
        assertEquals("meshlens-correlator-inventory", c.inventoryTopic());
        assertEquals("team-x-findings", c.names().findingsGroup());
    }

    @Test
    void theDefaultsInCodeFollowTheDefaultGroup() {
        CorrelationConfig c = CorrelationConfig.defaults("k:9092", Path.of("/tmp/x"));
        assertEquals(CorrelatorKeys.GROUP_ID.defaultValue() + KafkaNames.CORRELATOR_SUFFIX, c.applicationId());
    }
}
