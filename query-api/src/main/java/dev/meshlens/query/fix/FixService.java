package dev.meshlens.query.fix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.fix.Fixes;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.trust.FixFacts;
import dev.meshlens.query.trust.TrustService;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A finding's fix: reads the finding (with the findings endpoints' scope rules) and the trust
 * inventory (I/O), then generates the plan (pure, {@link Fixes}). The plan may carry the other
 * mesh's public roots: roots are public, and the trust view shows peers' roots to the same scope.
 */
public final class FixService {
    private final ReadModel read;
    private final TrustService trust;
    private final Function<String, String> teamOf;
    private final Clock clock;

    public FixService(ReadModel read, TrustService trust, Function<String, String> teamOf, Clock clock) {
        this.read = Objects.requireNonNull(read, "read");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.teamOf = Objects.requireNonNull(teamOf, "teamOf");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public CompletableFuture<ObjectNode> fix(String findingId, Scope scope) {
        return read.findingRecord(findingId, scope)
                .thenCombine(
                        trust.inventory(),
                        (finding, inventory) -> FixJson.plan(Fixes.plan(
                                finding,
                                FixFacts.of(
                                        inventory,
                                        clock.instant(),
                                        trust.settings().staleAfter(),
                                        teamOf))));
    }
}
