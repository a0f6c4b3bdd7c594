package dev.meshlens.redactor.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StageConfigTest {
  static final String OK = """
      mesh: istio-east
      kafka:
        bootstrap_servers: localhost:9092
        properties:
          security.protocol: SASL_SSL
          sasl.jaas.config: secret-stuff
      input:
        topic: raw.envoy
      """;

  static String fail(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> StageConfig.parse(yaml, "c.yaml", null)).getMessage();
  }

  @Test
  void defaultsAndHiddenSecrets() {
    StageConfig c = StageConfig.parse(OK, "c.yaml", null);
    assertEquals("meshlens.events.istio-east", c.outputTopic());
    assertEquals("meshlens-redactor-istio-east", c.groupId());
    assertEquals("meshlens-redactor-istio-east", c.transactionalId());
    assertEquals("meshlens.deadletter.redactor", c.string(StageConfig.DEAD_LETTER_TOPIC));
    assertEquals(500, c.integer(StageConfig.POLL_MS));
    String described = String.join("\n", c.describe());
    assertTrue(described.contains("kafka.properties.sasl.jaas.config = [hidden]"), described);
    assertTrue(described.contains("kafka.properties.security.protocol = SASL_SSL"), described);
  }

  @Test
  void unknownKeyNamesIt() {
    String m = fail(OK + "outptu:\n  topic: x\n");
    assertTrue(m.contains("line 10: Unknown configuration key outptu.topic"), m);
  }

  @Test
  void wrongTypeNamesKey() {
    String m = fail(OK + "poll_ms: soon\n");
    assertTrue(m.contains("Invalid value soon for configuration poll_ms: must be a whole number"), m);
    m = fail(OK.replace("topic: raw.envoy", "topic: [a, b]"));
    assertTrue(m.contains("for configuration input.topic: must be a single string"), m);
  }

  @Test
  void missingRequired() {
    String m = fail("mesh: x\nkafka: {bootstrap_servers: h:1}\n");
    assertTrue(m.contains("Missing required configuration input.topic which has no default value"), m);
  }
}
