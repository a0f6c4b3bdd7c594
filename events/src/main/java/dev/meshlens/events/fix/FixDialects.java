package dev.meshlens.events.fix;

import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.IstioProfile;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that maps a mesh kind (a profile's name) to the generator of its validated
 * configuration. It sits beside the profiles rather than in them because the generators use the
 * profiles (host names, naming templates): a profile holding its generator would make the two
 * packages depend on each other. A kind without a generator gets described steps in its profile's
 * remediation words.
 */
public final class FixDialects {
    private FixDialects() {}

    private static final Map<String, FixDialect> BY_KIND = Map.of(
            IstioProfile.NAME, new IstioFixes(),
            ConsulProfile.NAME, new ConsulFixes());
    private static final FixDialect DESCRIBED = new DescribedFixes();

    /** The dialect of a kind; described steps for a kind without one (or an unknown kind). */
    public static FixDialect of(String kind) {
        return kind == null ? DESCRIBED : BY_KIND.getOrDefault(kind.toLowerCase(Locale.ROOT), DESCRIBED);
    }
}
