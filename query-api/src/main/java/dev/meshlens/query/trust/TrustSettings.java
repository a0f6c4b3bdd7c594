package dev.meshlens.query.trust;

import java.time.Duration;
import java.util.Objects;

/**
 * Knobs of the matrix computation.
 *
 * @param horizon how far ahead predictions look (expiry within this)
 * @param staleAfter a chain not seen for this long before the mesh's newest /certs sighting is no longer in use
 */
public record TrustSettings(Duration horizon, Duration staleAfter) {
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(30);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(1);

    public TrustSettings {
        Objects.requireNonNull(horizon, "horizon");
        Objects.requireNonNull(staleAfter, "staleAfter");
        if (horizon.isNegative() || staleAfter.isNegative()) {
            throw new IllegalArgumentException("horizon and staleAfter must not be negative");
        }
    }

    public static TrustSettings defaults() {
        return new TrustSettings(DEFAULT_HORIZON, DEFAULT_STALE_AFTER);
    }
}
