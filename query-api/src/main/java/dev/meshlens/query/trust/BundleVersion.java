package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One trust bundle as a mesh published it at one time.
 *
 * @param source where the collector read it (a mesh may have several sources; their roots add up)
 * @param observedAt when it was read
 * @param roots the roots it holds
 */
public record BundleVersion(String source, Instant observedAt, List<TrustBundle.Root> roots) {
    public BundleVersion {
        source = source == null ? "" : source;
        Objects.requireNonNull(observedAt, "observedAt");
        roots = roots == null ? List.of() : List.copyOf(roots);
    }
}
