package dev.meshlens.events.fix;

import dev.meshlens.events.FailureCategory;
import java.util.List;
import java.util.Objects;

/**
 * Every way to fix one finding, the recommended one first.
 *
 * @param findingId the finding
 * @param category its category
 * @param summary one sentence: what is wrong and what the first option changes
 * @param options ways to fix it, recommended first (never empty)
 */
public record FixPlan(String findingId, FailureCategory category, String summary, List<Fix> options) {
    public FixPlan {
        Objects.requireNonNull(findingId, "findingId");
        Objects.requireNonNull(category, "category");
        options = List.copyOf(options);
        if (options.isEmpty()) {
            throw new IllegalArgumentException("a fix plan needs at least one option");
        }
    }

    /** The recommended option. */
    public Fix recommended() {
        return options.get(0);
    }
}
