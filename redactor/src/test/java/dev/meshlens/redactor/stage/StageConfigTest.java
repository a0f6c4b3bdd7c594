package dev.meshlens.redactor.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
        return assertThrows(dev.meshlens.config.ConfigException.class, () -> StageConfig.parse(yaml, "c.yaml", null))
                .getMessage();
    }

    @Test
    void defaultsAndHiddenSecrets() {
        StageConfig c = StageConfig.parse(OK, "c.yaml", null);
        assertEquals("meshlens.events.istio-east", c.outputTopic());
        assertEquals("meshlens-redactor-istio-east", c.groupId());
        assertEquals("meshlens-redactor-istio-east", c.transactionalId());
        assertEquals("meshlens.deadletter.redactor", c.get(StageConfig.DEAD_LETTER_TOPIC));
        assertEquals(Duration.ofMillis(500), c.get(StageConfig.POLL_TIMEOUT));
        String described = String.join("\n", c.describe());
        assertTrue(described.contains("kafka.properties.sasl.jaas.config = [hidden]"), described);
        assertTrue(described.contains("kafka.properties.security.protocol = SASL_SSL"), described);
    }

    @Test
    void unknownKeyNamesIt() {
        String m = fail(OK + "outptu:\n  topic: x\n");
        assertTrue(m.contains("line 9: unknown configuration key 'outptu' (did you mean 'output'?)"), m);
    }

    @Test
    void wrongTypeNamesKey() {
        String m = fail(OK + "max_poll_records: soon\n");
        assertTrue(
                m.contains("line 9: Invalid value 'soon' for configuration max_poll_records: expected an integer"), m);
        m = fail(OK.replace("topic: raw.envoy", "topic: [a, b]"));
        assertTrue(m.contains("for configuration input.topic: expected a string"), m);
    }

    @Test
    void missingRequired() {
        String m = fail("mesh: x\nkafka: {bootstrap_servers: h:1}\n");
        assertTrue(m.contains("Missing required configuration input.topic which has no default value"), m);
    }

    @Test
    void everyProblemAtOnce() {
        String m = fail("mesh: x\nkafka: {bootstrap_servers: h:1}\npoll_timeout: soon\nmax_poll_records: 0\n");
        assertTrue(m.contains("3 problems"), m);
        assertTrue(m.contains("line 3: Invalid value 'soon' for configuration poll_timeout"), m);
        assertTrue(m.contains("line 4: Invalid value '0' for configuration max_poll_records: must be at least 1"), m);
        assertTrue(m.contains("Missing required configuration input.topic"), m);
    }

    @Test
    void pollMsStillWorksWithAWarning() {
        StageConfig c = StageConfig.parse(OK + "poll_ms: 200\n", "c.yaml", null);
        assertEquals(Duration.ofMillis(200), c.get(StageConfig.POLL_TIMEOUT));
        assertTrue(
                c.warnings().toString().contains("write poll_timeout: 200ms"),
                c.warnings().toString());
    }
}
