package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Traffic direction as seen by the observing Envoy. */
public enum Direction {
    INBOUND,
    OUTBOUND;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Direction fromWire(String s) {
        return s == null ? null : valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
