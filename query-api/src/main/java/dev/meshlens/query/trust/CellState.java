package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a verifier mesh's bundle holds the roots that sign a presenter mesh's workloads. */
public enum CellState {
    /** Every known chain of the presenter ends at a valid root of the verifier's bundle. */
    TRUSTED,
    /** Some chains do, some do not: typically a rotation in progress. */
    PARTIAL,
    /** No known chain of the presenter ends at a valid root of the verifier's bundle. */
    NOT_TRUSTED,
    /** No bundle of the verifier, no certificates of the presenter, or certificates without issuer. */
    UNKNOWN;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Higher is better; a change to a lower rank is a break. */
    int rank() {
        return switch (this) {
            case TRUSTED -> 3;
            case PARTIAL -> 2;
            case NOT_TRUSTED -> 1;
            case UNKNOWN -> 0;
        };
    }

    /** True when going from {@code this} to {@code after} makes handshakes fail that worked. */
    boolean breaksTo(CellState after) {
        return (this == TRUSTED || this == PARTIAL) && after != UNKNOWN && after.rank() < rank();
    }
}
