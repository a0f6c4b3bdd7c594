package dev.meshlens.collector.format;

import java.util.Locale;

/** Outcome of parsing one line. Every misfit is a counted result (metric tag {@code reason}), never an exception. */
public enum ParseStatus {
    OK,
    EMPTY,
    PREFIX_MISMATCH,
    LITERAL_NOT_FOUND,
    UNTERMINATED_QUOTE,
    BAD_NUMBER,
    TRAILING_DATA,
    NOT_JSON,
    TRUNCATED_JSON,
    TOO_LONG,
    INVALID_UTF8,
    BINARY;

    /** The metric tag value, e.g. {@code literal_not_found}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
