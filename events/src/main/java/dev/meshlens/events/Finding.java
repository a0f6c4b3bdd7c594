package dev.meshlens.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One cross-mesh handshake problem: a (client identity or service, server service, category)
 * with its evidence from both sides, counts, direction and a remediation an on-call engineer can
 * act on.
 *
 * @param schemaVersion wire schema version
 * @param id stable id, see {@link #idFor}
 * @param category the failure category
 * @param clientMesh mesh of the client side
 * @param clientIdentity client SPIFFE ID, or the client service name when no ID is known
 * @param serverMesh mesh of the server side
 * @param serverService normalised server service name (see {@link CorrelationKeys})
 * @param serverIdentity server SPIFFE ID when known
 * @param rejectedBy which side rejected the handshake, from the client's point of view
 *     ({@code self}: the client rejected the server; {@code peer}: the server rejected the client)
 * @param direction in words, e.g. "mesh consul-dc1 does not trust the root that signs spiffe://..."
 * @param firstSeen first failure seen
 * @param lastSeen last failure seen
 * @param count failures counted (both sides' observations of one handshake count once)
 * @param state open or resolved
 * @param oneSided true when only one side reported the failure
 * @param blindSide when one-sided: the mesh that did not report (null when both sides reported)
 * @param evidenceIds event ids from both sides (bounded sample)
 * @param remediation what to change, and where
 * @param details category-specific facts (expected/presented SPIFFE IDs, missing root, cert dates)
 * @param history state changes, oldest first
 */
public record Finding(
        int schemaVersion,
        String id,
        FailureCategory category,
        String clientMesh,
        String clientIdentity,
        String serverMesh,
        String serverService,
        String serverIdentity,
        RejectedBy rejectedBy,
        String direction,
        Instant firstSeen,
        Instant lastSeen,
        long count,
        FindingState state,
        boolean oneSided,
        String blindSide,
        List<String> evidenceIds,
        String remediation,
        Map<String, String> details,
        List<StateChange> history) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(state, "state");
        evidenceIds = evidenceIds == null ? List.of() : List.copyOf(evidenceIds);
        details = details == null ? Map.of() : Map.copyOf(details);
        history = history == null ? List.of() : List.copyOf(history);
        rejectedBy = rejectedBy == null ? RejectedBy.UNKNOWN : rejectedBy;
    }

    /**
     * A change of state, kept as history.
     *
     * @param at when it changed
     * @param state the new state
     * @param reason why (e.g. "successful mTLS seen", "quiet for 30m")
     */
    public record StateChange(Instant at, FindingState state, String reason) {}

    /** This finding resolved at {@code at} for {@code reason}: the same evidence, one more entry of history. */
    public Finding resolved(Instant at, String reason) {
        List<StateChange> h = new ArrayList<>(history);
        h.add(new StateChange(at, FindingState.RESOLVED, reason));
        return new Finding(
                schemaVersion,
                id,
                category,
                clientMesh,
                clientIdentity,
                serverMesh,
                serverService,
                serverIdentity,
                rejectedBy,
                direction,
                firstSeen,
                lastSeen,
                count,
                FindingState.RESOLVED,
                oneSided,
                blindSide,
                evidenceIds,
                remediation,
                details,
                h);
    }

    /** The stable finding id of (client, server service, category). */
    public static String idFor(String clientMeshAndIdentity, String serverMeshAndService, FailureCategory category) {
        return EventIds.of(
                "finding\u0000" + clientMeshAndIdentity + '\u0000' + serverMeshAndService + '\u0000' + category.name());
    }
}
