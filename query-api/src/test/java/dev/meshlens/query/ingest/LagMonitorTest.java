package dev.meshlens.query.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LagMonitorTest {
    static final TopicPartition A0 = new TopicPartition("meshlens.events.a", 0);
    static final TopicPartition A1 = new TopicPartition("meshlens.events.a", 1);
    static final TopicPartition B0 = new TopicPartition("meshlens.events.b", 0);

    @Test
    void sumsLogEndMinusCommittedOverEveryPartition() {
        assertEquals(
                (100 - 40) + (10 - 10),
                LagMonitor.lag(Map.of(A0, 40L, A1, 10L), Map.of(A0, 0L, A1, 0L), Map.of(A0, 100L, A1, 10L)));
    }

    @Test
    void aPartitionTheGroupNeverCommittedCountsFromItsLogStart() {
        // a new mesh topic nobody has read yet is all lag, not zero
        assertEquals(50 - 5, LagMonitor.lag(Map.of(), Map.of(B0, 5L), Map.of(B0, 50L)));
    }

    @Test
    void aCommittedOffsetBehindRetentionCountsFromTheLogStart() {
        assertEquals(100 - 70, LagMonitor.lag(Map.of(A0, 3L), Map.of(A0, 70L), Map.of(A0, 100L)));
    }
}
