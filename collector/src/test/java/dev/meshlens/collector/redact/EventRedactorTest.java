package dev.meshlens.collector.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import dev.meshlens.redactor.HashKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventRedactorTest {

    /** The key from redaction.hash_key_file serves a policy that hashes fields without naming a key itself. */
    @Test
    void hashKeyFromTheCollectorConfigServesThePolicy(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
        id: hashing
        version: "1"
        fields:
          request_id: hash
        """);
        MeshEvent e = MeshEvent.builder()
                .eventId("e1")
                .observedTime(Instant.EPOCH)
                .meshId("m")
                .sourceKind(SourceKind.ACCESS_LOG)
                .requestId("req-4711")
                .build();

        EventRedactor a = EventRedactor.engine(policy, HashKey.of("a-shared-key-of-enough-length"), null);
        EventRedactor b = EventRedactor.engine(policy, HashKey.of("another-key-of-enough-length!"), null);
        String hashedA = a.redact(e).requestId();
        assertNotNull(hashedA);
        assertNotEquals("req-4711", hashedA);
        assertEquals(hashedA, a.redact(e).requestId(), "same key, same value: same hash");
        assertNotEquals(hashedA, b.redact(e).requestId(), "another key gives another hash");
    }
}
