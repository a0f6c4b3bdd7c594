package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where an observation was read. */
public enum SourceKind {
    ACCESS_LOG("access-log"),
    OTEL_LOG("otel-log"),
    ENVOY_STATS("envoy-stats"),
    ENVOY_CERTS("envoy-certs"),
    TRUST_BUNDLE("trust-bundle");

    private final String wireName;

    SourceKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static SourceKind fromWire(String s) {
        if (s == null) {
            return null;
        }
        for (SourceKind k : values()) {
            if (k.wireName.equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown source kind '" + s
                + "'; expected access-log, otel-log, envoy-stats, envoy-certs or trust-bundle");
    }
}
