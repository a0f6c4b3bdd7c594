package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What observed traffic says about a cell's state. */
public enum Confirmation {
    /** Traffic agrees: mTLS succeeded for a trusted cell, or an UNTRUSTED_ROOT finding is open for an untrusted one. */
    CONFIRMED,
    /** Traffic disagrees: a trusted cell with an open UNTRUSTED_ROOT finding, or an untrusted cell with successes. */
    CONTRADICTED,
    /** No traffic between the pair since the state began. */
    NOT_OBSERVED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
