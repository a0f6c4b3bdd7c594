package dev.meshlens.query.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.it.TestEvents;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a batch's contribution merges into a stored roll-up: the redelivery guard and first/last seen. */
class RollupBatchTest {
    static final Instant T = Instant.parse("2026-12-06T10:02:30Z");

    static Map.Entry<RollupKey, RollupBatch.Part> pairPart(RollupBatch b) {
        return b.parts().entrySet().stream()
                .filter(e -> e.getKey().kind() == RollupKey.Kind.PAIR)
                .findFirst()
                .orElseThrow();
    }

    static RollupBatch batch(long... offsets) {
        RollupBatch b = new RollupBatch();
        for (long o : offsets) {
            MeshEvent e = TestEvents.clientFailure("/var/log/a.log", o, T.plusMillis(o));
            b.add(e, "meshlens.events.istio-east", 0, o);
        }
        return b;
    }

    @Test
    void theEventsOfOnePairInOneBucketShareOneDocument() {
        RollupBatch b = batch(10, 11, 12);
        assertEquals(2, b.parts().size(), "one pair and one presence document");
        ObjectNode doc =
                RollupBatch.merge(pairPart(b).getKey(), null, pairPart(b).getValue());
        assertEquals(3, doc.path("count").asLong());
        assertEquals(T.plusMillis(10).toEpochMilli(), doc.path("first_seen").asLong());
        assertEquals(T.plusMillis(12).toEpochMilli(), doc.path("last_seen").asLong());
        assertEquals(
                12, doc.path("offsets").path("meshlens.events.istio-east/0").asLong());
        assertEquals(
                "2026-12-06T10:00:00Z",
                Instant.ofEpochMilli(doc.path("bucket").asLong()).toString());
    }

    @Test
    void aRedeliveredBatchAddsNothingAndOneWithOtherBoundariesAddsOnlyTheNewOffsets() {
        RollupBatch first = batch(10, 11, 12);
        var key = pairPart(first).getKey();
        ObjectNode stored = RollupBatch.merge(key, null, pairPart(first).getValue());
        assertNull(RollupBatch.merge(key, stored, pairPart(batch(10, 11, 12)).getValue()), "same batch again");
        assertNull(RollupBatch.merge(key, stored, pairPart(batch(11)).getValue()), "part of it again");
        ObjectNode grown =
                RollupBatch.merge(key, stored, pairPart(batch(11, 12, 13, 14)).getValue());
        assertEquals(5, grown.path("count").asLong(), "only 13 and 14 are new");
        assertEquals(
                14, grown.path("offsets").path("meshlens.events.istio-east/0").asLong());
        assertEquals(3, stored.path("count").asLong(), "the stored document is not modified in place");
    }

    @Test
    void partitionsAreGuardedEachOnItsOwn() {
        RollupBatch a = batch(100);
        var key = pairPart(a).getKey();
        ObjectNode stored = RollupBatch.merge(key, null, pairPart(a).getValue());
        RollupBatch other = new RollupBatch();
        other.add(
                TestEvents.clientFailure("/var/log/a.log", 100, T.plusMillis(100)), "meshlens.events.istio-east", 1, 5);
        ObjectNode merged = RollupBatch.merge(key, stored, pairPart(other).getValue());
        assertEquals(
                2, merged.path("count").asLong(), "offset 5 of partition 1 is below 100 of partition 0: still new");
    }

    @Test
    void presenceKeepsFirstAndLastSeenOnlyAndIsWrittenOnlyWhenTheyMove() {
        RollupBatch b = batch(10, 20);
        var presence = b.parts().entrySet().stream()
                .filter(e -> e.getKey().kind() == RollupKey.Kind.PRESENCE)
                .findFirst()
                .orElseThrow();
        ObjectNode doc = RollupBatch.merge(presence.getKey(), null, presence.getValue());
        assertFalse(doc.has("count"));
        assertEquals("client", doc.path("observer_role").asText());
        assertEquals("frontend", doc.path("service").asText());
        assertNull(RollupBatch.merge(presence.getKey(), doc, presence.getValue()), "nothing moved");
    }

    @Test
    void bucketsFloorAndCeilOnTheirGrid() {
        assertEquals(Instant.parse("2026-12-06T10:00:00Z"), RollupKey.Kind.PAIR.floor(T));
        assertEquals(Instant.parse("2026-12-06T10:05:00Z"), RollupKey.Kind.PAIR.ceil(T));
        assertEquals(
                Instant.parse("2026-12-06T10:05:00Z"), RollupKey.Kind.PAIR.ceil(Instant.parse("2026-12-06T10:05:00Z")));
        assertEquals(Instant.parse("2026-12-06T10:00:00Z"), RollupKey.Kind.PRESENCE.floor(T));
    }
}
