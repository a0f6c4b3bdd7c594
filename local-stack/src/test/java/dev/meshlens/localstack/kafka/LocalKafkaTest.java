package dev.meshlens.localstack.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalKafkaTest {

    /** About one id in 64 would start with '-' by chance; 5,000 draws would all but surely produce one. */
    @Test
    void clusterIdsNeverStartWithADash() {
        for (int i = 0; i < 5_000; i++) {
            String id = LocalKafka.newClusterId();
            assertEquals(22, id.length());
            assertFalse(id.startsWith("-"), id);
        }
    }

    @Test
    void theClusterIdStaysWithTheData(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String id = LocalKafka.clusterId(dir);
        assertEquals(id, LocalKafka.clusterId(dir), "read back, not drawn again");
        assertEquals(id, Files.readString(dir.resolve("cluster.id")).trim());
    }
}
