package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Under exactly-once a finding waits for two transaction commits on its way out (the repartition hop, then the
 * finding), so the commit interval is part of how fresh the on-call page is (docs/benchmarks.md, "Freshness").
 */
class CommitIntervalTest {
    private static CorrelationConfig config(String yaml) {
        return new CorrelationConfig(CorrelatorKeys.DEF.parse(yaml, "test"));
    }

    @Test
    void streamsCommitEveryHundredMillisecondsByDefault() {
        Object interval = new CorrelationService(config("kafka: {bootstrap_servers: k:9092}\n"))
                .streamsProperties()
                .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        assertEquals(100, Integer.parseInt(interval.toString()));
    }

    @Test
    void kafkaPropertiesSetAnotherInterval() {
        Object interval = new CorrelationService(
                        config("kafka: {bootstrap_servers: k:9092, properties: {commit.interval.ms: \"1000\"}}\n"))
                .streamsProperties()
                .get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        assertEquals(1000, Integer.parseInt(interval.toString()));
    }
}
