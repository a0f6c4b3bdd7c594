package dev.meshlens.query.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.auth.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The trust matrix as a service: reads the inventory and traffic (I/O), computes (pure), and
 * keeps to what a token may see: a team sees the cells, predictions and contradictions of pairs
 * involving its meshes (the peers' roots that decide those cells included).
 */
public final class TrustService {
    private final TrustReader reader;
    private final TrustSettings settings;
    private final Clock clock;

    public TrustService(TrustReader reader, TrustSettings settings, Clock clock) {
        this.reader = reader;
        this.settings = settings;
        this.clock = clock;
    }

    public TrustSettings settings() {
        return settings;
    }

    /** The whole matrix (no scope: metrics, admin). */
    public CompletableFuture<TrustMatrix> matrix() {
        Instant now = clock.instant();
        return reader.load(now).thenApply(l -> TrustMatrix.compute(l.inventory(), l.traffic(), now, settings));
    }

    /**
     * The matrix a scope may see, optionally narrowed to pairs involving {@code meshes}.
     *
     * @param horizon overrides the prediction horizon when not null
     */
    public CompletableFuture<ObjectNode> matrix(Scope scope, Set<String> meshes, Duration horizon) {
        Instant now = clock.instant();
        TrustSettings s = horizon == null ? settings : new TrustSettings(horizon, settings.staleAfter());
        return reader.load(now).thenApply(l -> {
            TrustMatrix m =
                    TrustMatrix.compute(l.inventory(), l.traffic(), now, s).filter(visible(scope));
            if (!meshes.isEmpty()) {
                m = m.filter(meshes::contains);
            }
            return TrustJson.matrix(m);
        });
    }

    /** The current inventory (fixes read the public roots and kinds from it). */
    public CompletableFuture<TrustInventory> inventory() {
        return reader.load(clock.instant()).thenApply(TrustReader.Loaded::inventory);
    }

    /** What-if over the current inventory; breaks and fixes of pairs the scope may see. */
    public CompletableFuture<ObjectNode> whatIf(JsonNode body, Scope scope) {
        Instant now = clock.instant();
        return reader.load(now).thenApply(l -> {
            List<Change> changes = TrustJson.changes(body, fp -> WhatIf.findRoot(l.inventory(), now, settings, fp));
            return TrustJson.whatIf(WhatIf.run(l.inventory(), l.traffic().accepted(), changes, now, settings)
                    .filter(visible(scope)));
        });
    }

    static Predicate<String> visible(Scope scope) {
        return scope::canSee;
    }
}
