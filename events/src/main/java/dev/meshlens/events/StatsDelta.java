package dev.meshlens.events;

import java.util.Map;

/**
 * The change of Envoy {@code ssl.*} counters of one listener or cluster between two polls.
 * The server side of a failed handshake is often visible only here.
 *
 * @param scope {@code listener} or {@code cluster}
 * @param name listener address (e.g. {@code 0.0.0.0_15006}) or cluster name
 * @param deltas counter name (e.g. {@code ssl.fail_verify_san}) to increase since the previous poll
 * @param intervalSeconds seconds between the two polls
 */
public record StatsDelta(String scope, String name, Map<String, Long> deltas, double intervalSeconds) {
    public StatsDelta {
        deltas = deltas == null ? Map.of() : Map.copyOf(deltas);
    }

    public long delta(String counter) {
        Long v = deltas.get(counter);
        return v == null ? 0 : v;
    }
}
