package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which side of a handshake rejected the other. {@code SELF}: the observing Envoy rejected its
 * peer's certificate (a verify failure). {@code PEER}: the observing Envoy received a TLS alert,
 * so the peer rejected ours. {@code UNKNOWN}: this half does not say.
 */
public enum RejectedBy {
    SELF,
    PEER,
    UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RejectedBy fromWire(String s) {
        return s == null ? null : valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
