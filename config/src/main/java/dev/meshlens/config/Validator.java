package dev.meshlens.config;

import java.util.Map;

/**
 * A rule one key's value must follow. {@link #problem} returns what is wrong (said so that it reads after
 * "Invalid value V for configuration K: ") or null; {@link #describe} and {@link #schema} put the same rule in the
 * generated docs and JSON Schema, so the three never disagree.
 */
public interface Validator<T> {
    String problem(T value);

    /** The rule in a few words for the docs, or null. */
    default String describe() {
        return null;
    }

    /** JSON Schema keywords saying the same rule (e.g. minimum), or none. */
    default Map<String, Object> schema() {
        return Map.of();
    }
}
