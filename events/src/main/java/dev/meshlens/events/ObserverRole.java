package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the observing Envoy was the TLS client (upstream connection) or server (downstream). */
public enum ObserverRole {
    CLIENT,
    SERVER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ObserverRole fromWire(String s) {
        return s == null ? null : valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
