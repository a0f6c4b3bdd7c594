package dev.meshlens.query.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Inside the query API the correlator's names follow the query API's group, so one prefix ACL covers both. */
class KafkaNamesFollowGroupTest {
    @Test
    void theCorrelatorInsideTheQueryApiIsNamedAfterItsGroup() {
        QueryApiConfig c = QueryApiConfig.parse("""
        kafka:
          bootstrap_servers: 127.0.0.1:9
          group_id: shared-side
        elasticsearch:
          urls: [http://127.0.0.1:9]
        """);
        assertEquals("shared-side", c.kafkaNames().group());
        assertEquals("shared-side-findings", c.kafkaNames().findingsGroup());
        assertEquals("shared-side-correlator", c.correlation().applicationId());
        assertEquals("shared-side-correlator-inventory", c.correlation().inventoryTopic());
    }
}
