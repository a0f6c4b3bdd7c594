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
    return new CorrelationService(CorrelationSettings.config(QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: localhost:9092
          metadata-max-age: 2s
        %s
        elasticsearch:
          urls: [http://localhost:9200]
        """.formatted(kafkaExtra)))).streamsProperties();
  }

  @Test
  void theMainConsumerHasAStableInstanceIdAndThePatternRefreshOfIngest() {
    Properties p = streams("  instance-id: query-api-2");
    assertEquals("query-api-2-correlator", p.get("main.consumer.group.instance.id"));
    assertEquals("2000", p.get("main.consumer.metadata.max.age.ms"));
  }

  @Test
  void withoutStaticMembershipNoInstanceId() {
    assertFalse(streams("  static-membership: false").containsKey("main.consumer.group.instance.id"));
  }
}
