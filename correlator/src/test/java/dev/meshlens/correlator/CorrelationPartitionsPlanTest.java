package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How correlation.partitions meets the topics a running deployment already has ({@link CorrelatorTopics#plan}). */
class CorrelationPartitionsPlanTest {
    static final CorrelationConfig SIX = CorrelationConfig.defaults("unused:9092", Path.of("/tmp/unused"))
            .with(CorrelatorKeys.APPLICATION_ID, "app")
            .with(CorrelatorKeys.PARTITIONS, 6);

    @Test
    void aFirstStartTakesTheConfiguredCountForBothTopics() {
        assertEquals(new CorrelatorTopics.Plan(6, 0, null), CorrelatorTopics.plan(SIX, null, null));
    }

    @Test
    void anExistingRepartitionTopicKeepsItsCountAndTheMismatchNamesTheKeyAndTheWayOut() {
        CorrelatorTopics.Plan p = CorrelatorTopics.plan(SIX, 3, 3);
        assertEquals(3, p.partitions());
        assertEquals(0, p.loopPartitionsToAdd());
        assertTrue(p.warning().contains("correlation.partitions is 6"), p.warning());
        assertTrue(p.warning().contains("app-by-destination-repartition exists with 3"), p.warning());
        assertTrue(p.warning().contains("correlation.application_id"), p.warning());
    }

    @Test
    void theOneLoopPartitionOfAnOlderReleaseGrowsToTheCorrelations() {
        CorrelatorTopics.Plan p = CorrelatorTopics.plan(SIX, 3, 1);
        assertEquals(new CorrelatorTopics.Plan(3, 2, p.warning()), p);
        assertEquals(new CorrelatorTopics.Plan(6, 5, null), CorrelatorTopics.plan(SIX, 6, 1));
        assertNull(CorrelatorTopics.plan(SIX, 6, 6).warning());
    }

    @Test
    void aLoopTopicWithMorePartitionsThanTheCorrelationCannotShrinkAndTheErrorSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CorrelatorTopics.plan(SIX, 3, 4));
        assertTrue(e.getMessage().contains("app-loop has 4 partitions, the correlation 3"), e.getMessage());
        assertTrue(e.getMessage().contains("correlation.partitions"), e.getMessage());
        assertTrue(e.getMessage().contains("Delete app-loop"), e.getMessage());
    }
}
