package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a finding. */
public enum FindingState {
    OPEN,
    RESOLVED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FindingState fromWire(String s) {
        return s == null ? null : valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
