package dev.meshlens.query.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meshlens.correlator.CorrelationService;
import dev.meshlens.query.config.QueryApiConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The in-process correlator joins as a static member and re-reads the mesh topic pattern like ingest does. */
class CorrelationMembershipTest {
    static Properties streams(String kafkaExtra) {
        return new CorrelationService(
                        QueryApiConfig.parse("""
        kafka:
          bootstrap_servers: localhost:9092
          metadata_max_age: 2s
        %s
        elasticsearch:
          urls: [http://localhost:9200]
        """.formatted(kafkaExtra)).correlation())
                .streamsProperties();
    }

    @Test
    void theMainConsumerHasAStableInstanceIdAndThePatternRefreshOfIngest() {
        Properties p = streams("  static_membership: true\n  instance_id: query-api-2");
        assertEquals("query-api-2-correlator", p.get("main.consumer.group.instance.id"));
        assertEquals("2000", p.get("main.consumer.metadata.max.age.ms"));
    }

    @Test
    void withoutStaticMembershipNoInstanceId() {
        assertFalse(
                streams("  instance_id: query-api-2").containsKey("main.consumer.group.instance.id"),
                "static membership is off unless asked for (a Deployment's pods get new names on every restart)");
    }
}
