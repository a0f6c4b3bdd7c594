package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpellingTest {
    @Test
    void suggestsTheNearestNameWithinTheLimit() {
        List<String> keys = List.of("kafka.bootstrap_servers", "kafka.topic", "mesh.id");
        assertEquals("kafka.bootstrap_servers", Spelling.closest("kafka.bootstrap_server", keys, 3));
        assertEquals("mesh.id", Spelling.closest("mesh.ids", keys, 3));
        assertNull(Spelling.closest("completely.different", keys, 3));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
        assertEquals(0, Spelling.distance("", ""));
    }
}
