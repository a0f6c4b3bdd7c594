package dev.meshlens.collector.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.config.ClientProperties;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** Every Kafka client property that Kafka itself types as a password is a secret in meshlens' eyes. */
class KafkaSecretPropertiesTest {
    @Test
    void everyPasswordTypedKafkaConfigIsSecret() {
        List<String> missed = new ArrayList<>();
        int passwords = 0;
        for (ConfigDef def :
                List.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            for (ConfigDef.ConfigKey k : def.configKeys().values()) {
                if (k.type == ConfigDef.Type.PASSWORD) {
                    passwords++;
                    if (!ClientProperties.isSecret(k.name)) {
                        missed.add(k.name);
                    }
                }
            }
        }
        assertTrue(passwords > 5, "Kafka's tables were read: " + passwords);
        assertTrue(missed.isEmpty(), "password-typed Kafka configs not treated as secret: " + missed);
    }

    @Test
    void plainSettingsStayReadable() {
        for (String p : List.of(
                "security.protocol",
                "sasl.mechanism",
                "acks",
                "bootstrap.servers",
                "ssl.protocol",
                "sasl.oauthbearer.token.endpoint.url")) {
            assertFalse(ClientProperties.isSecret(p), p);
        }
        for (String p : List.of("ssl.keystore.key", "ssl.key.password", "sasl.jaas.config", "ssl.keystore.location")) {
            assertTrue(ClientProperties.isSecret(p), p);
        }
    }
}
