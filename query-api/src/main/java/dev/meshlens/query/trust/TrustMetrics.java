package dev.meshlens.query.trust;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trust matrix as Prometheus gauges, so an alert fires before the first failed handshake:
 * <ul>
 *   <li>{@code meshlens_trust_cells{client_mesh,server_mesh,direction,state}}: 1 for the cell's state, 0 for
 *       the other states (every state exists per cell, so rules never miss a series);
 *   <li>{@code meshlens_trust_gap_predicted_seconds{client_mesh,server_mesh,direction,kind,root,root_sha256}}:
 *       seconds until the predicted failure of a cell (for a pending rotation: until its deadline);
 *   <li>{@code meshlens_trust_contradictions{client_mesh,server_mesh,direction,kind}}: open findings (or 1
 *       for successes) contradicting a cell.
 * </ul>
 * Series of cells, predictions and contradictions that are gone are removed at the next refresh.
 * Every instance computes the same values from Elasticsearch.
 */
public final class TrustMetrics {
    public static final String CELLS = "meshlens.trust.cells";
    public static final String GAP_PREDICTED = "meshlens.trust.gap.predicted.seconds";
    public static final String CONTRADICTIONS = "meshlens.trust.contradictions";

    private final MeterRegistry registry;
    private final Map<Key, AtomicLong> values = new ConcurrentHashMap<>();

    private record Key(String name, Tags tags) {}

    public TrustMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets the gauges from a matrix (pure apart from the registry). */
    public void update(TrustMatrix m) {
        Map<Key, Long> next = new HashMap<>();
        for (Cell c : m.cells()) {
            for (CellState s : CellState.values()) {
                next.put(
                        new Key(
                                CELLS,
                                cellTags(c.clientMesh(), c.serverMesh(), c.direction())
                                        .and("state", s.wireName())),
                        s == c.state() ? 1L : 0L);
            }
        }
        Instant now = m.generatedAt();
        for (Prediction p : m.predictions()) {
            long seconds = p.at() == null
                    ? Long.MAX_VALUE
                    : Math.max(0, Duration.between(now, p.at()).toSeconds());
            for (Break b : p.breaks()) {
                Key k = new Key(
                        GAP_PREDICTED,
                        cellTags(b.clientMesh(), b.serverMesh(), b.direction())
                                .and("kind", p.kind().wireName())
                                .and(
                                        "root",
                                        p.root().subject() == null
                                                ? ""
                                                : p.root().subject())
                                .and(
                                        "root_sha256",
                                        p.root().sha256() == null
                                                ? ""
                                                : p.root().sha256()));
                next.merge(k, seconds, Math::min);
            }
        }
        for (Contradiction x : m.contradictions()) {
            long n = x.kind() == Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING
                    ? Math.max(1, x.findingIds().size())
                    : 1;
            next.merge(
                    new Key(
                            CONTRADICTIONS,
                            cellTags(x.clientMesh(), x.serverMesh(), x.direction())
                                    .and("kind", x.kind().wireName())),
                    n,
                    Long::sum);
        }
        next.forEach((k, v) -> values.computeIfAbsent(k, this::register).set(v));
        Set<Key> gone = new HashSet<>(values.keySet());
        gone.removeAll(next.keySet());
        for (Key k : gone) {
            values.remove(k);
            Meter meter = registry.find(k.name()).tags(k.tags()).gauge();
            if (meter != null) {
                registry.remove(meter);
            }
        }
    }

    private AtomicLong register(Key k) {
        AtomicLong a = new AtomicLong();
        Gauge.builder(k.name(), a, AtomicLong::doubleValue)
                .description(description(k.name()))
                .tags(k.tags())
                .register(registry);
        return a;
    }

    private static String description(String name) {
        return switch (name) {
            case CELLS -> "Trust matrix cells: 1 for the state a cell is in (trusted, partial, not_trusted, unknown)";
            case GAP_PREDICTED ->
                "Seconds until a predicted trust gap makes a cell fail (pending rotation: its deadline)";
            default -> "Trust-matrix cells contradicted by traffic (open UNTRUSTED_ROOT findings, or successes)";
        };
    }

    private static Tags cellTags(String client, String server, Verification dir) {
        return Tags.of("client_mesh", client, "server_mesh", server, "direction", dir.wireName());
    }

    /** The current value of a series (tests). */
    Long value(String name, List<String> tagPairs) {
        Tags t = Tags.of(tagPairs.toArray(String[]::new));
        for (Map.Entry<Key, AtomicLong> e : values.entrySet()) {
            if (e.getKey().name().equals(name)
                    && e.getKey().tags().stream()
                            .toList()
                            .containsAll(t.stream().toList())) {
                return e.getValue().get();
            }
        }
        return null;
    }
}
