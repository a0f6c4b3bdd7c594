package dev.meshlens.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventMapperTimeTest {

    /** What parseTime did before the fast path: the reference. */
    private static Instant reference(String s) {
        if (s == null || s.length() < 10) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Test
    void fastPathAgreesWithInstantParseOnRandomInstants() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long sec = r.nextLong(-62_000_000_000L, 253_000_000_000L);
            int nanos = r.nextInt(1_000_000_000);
            Instant t = Instant.ofEpochSecond(
                    sec,
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> nanos / 1_000_000 * 1_000_000;
                        case 2 -> nanos / 1_000 * 1_000;
                        default -> nanos;
                    });
            String s = t.toString();
            assertEquals(reference(s), EventMapper.parseTime(s), s);
            assertEquals(t, EventMapper.parseTime(s), s);
        }
    }

    @Test
    void edgeCasesMatchTheGeneralPath() {
        for (String s : List.of(
                "2024-06-02T13:24:57.930Z",
                "2024-06-02T13:24:57Z",
                "2024-06-02T13:24:57.9Z",
                "2024-06-02T13:24:57.123456789Z",
                "2024-06-02T13:24:57.1234567890Z",
                "2024-06-02T13:24:57.Z",
                "2024-02-29T00:00:00Z",
                "2023-02-29T00:00:00Z",
                "2024-02-30T00:00:00Z",
                "2024-04-31T00:00:00Z",
                "2024-12-31T23:59:59.999Z",
                "2024-13-01T00:00:00Z",
                "2024-00-01T00:00:00Z",
                "2024-01-00T00:00:00Z",
                "2024-01-01T24:00:00Z",
                "2024-01-01T23:60:00Z",
                "2024-12-31T23:59:60Z",
                "2024-06-02t13:24:57.930z",
                "2024-06-02T13:24:57.930+02:00",
                "2024-06-02T13:24:57+00:00",
                "0000-01-01T00:00:00Z",
                "2024-06-02 13:24:57.930Z",
                "2024-06-02T13:24:5a.930Z",
                "2024-06-02T13:24:57,930Z",
                "-",
                "2024-06-02",
                "2024-06-02T1:24:57.930Z",
                "+2024-06-02T13:24:57Z",
                "2024-06-02T13:24:57.93aZ",
                "2024-06-02T13:24:57.-30Z")) {
            assertEquals(reference(s), EventMapper.parseTime(s), s);
        }
        assertNull(EventMapper.parseTime(null));
        assertNull(EventMapper.parseUtcFast("2024-06-02T13:24:57.930+02:00"));
    }
}
