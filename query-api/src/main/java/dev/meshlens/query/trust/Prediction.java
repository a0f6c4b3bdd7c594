package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A trust gap ahead: what will happen, when, and which pairs fail then.
 *
 * @param kind what will happen
 * @param at when the pairs fail; for a pending rotation, the latest time it can happen (the current signing
 *     root's expiry), see {@code atIsDeadline}
 * @param atIsDeadline true when {@code at} is an upper bound (the rotation can happen any time before)
 * @param mesh the mesh whose root or rotation it is
 * @param root the root (or intermediate) concerned
 * @param breaks the cells that fail then
 * @param description one sentence, with the fix
 */
public record Prediction(
        Kind kind,
        Instant at,
        boolean atIsDeadline,
        String mesh,
        RootRef root,
        List<Break> breaks,
        String description) {
    public Prediction {
        breaks = List.copyOf(breaks);
    }

    /** What will happen. */
    public enum Kind {
        /** A root in a bundle expires; the pairs that rely on it fail. */
        ROOT_EXPIRY,
        /** An intermediate in presented chains expires; every verifier of those chains fails them. */
        INTERMEDIATE_EXPIRY,
        /** Some workloads already present a new root that peers lack; when the rest move, the pairs fail fully. */
        ROTATION_IN_PROGRESS,
        /** A new root is in a bundle but signs nothing yet; peers lack it; when the mesh switches, the pairs fail. */
        ROTATION_PENDING;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
