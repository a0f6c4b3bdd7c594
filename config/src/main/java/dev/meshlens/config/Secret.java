package dev.meshlens.config;

import java.util.Objects;

/**
 * A password, key, token or hash key. It prints as {@code [hidden]} wherever it goes (logs, {@code toString},
 * error messages, {@code --check} output); only {@link #reveal()} gives the value, and only the code that hands it
 * to a client library should call it.
 */
public final class Secret {
    /** What every secret prints as. */
    public static final String HIDDEN = "[hidden]";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value itself: for the client library that needs it, never for a log line. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
