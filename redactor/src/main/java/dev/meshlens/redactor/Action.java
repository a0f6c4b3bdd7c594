package dev.meshlens.redactor;

import java.util.Locale;

/** What a policy does with one field. */
public enum Action {
    /** Publish the value (strings still pass through the detectors). */
    KEEP,
    /** Do not publish. */
    DROP,
    /** Publish the shape only: letters and digits become {@code *}, punctuation stays. */
    MASK,
    /** Publish HMAC-SHA-256 of the value (hex, optionally truncated) under the shared hash key. */
    HASH,
    /** Publish a coarser value: ip network, path template, or query parameter names. */
    GENERALISE;

    /** Lower-case name as written in policies and metrics. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a policy spelling ({@code generalize} is accepted too); null when unknown. */
    static Action parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "keep" -> KEEP;
            case "drop" -> DROP;
            case "mask" -> MASK;
            case "hash" -> HASH;
            case "generalise", "generalize" -> GENERALISE;
            default -> null;
        };
    }
}
