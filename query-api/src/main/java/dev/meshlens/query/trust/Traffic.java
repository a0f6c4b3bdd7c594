package dev.meshlens.query.trust;

import dev.meshlens.events.RejectedBy;
import java.time.Instant;
import java.util.List;

/**
 * What traffic says about trust: successful requests between mesh pairs and open findings.
 *
 * @param successes successful requests per ordered mesh pair in the traffic window
 * @param openFindings open findings whose category speaks about trust
 * @param accepted server identities clients of other meshes accepted (the evidence of SAN expectations)
 */
public record Traffic(List<PairSuccess> successes, List<OpenFinding> openFindings, List<AcceptedSan> accepted) {
    public Traffic {
        successes = successes == null ? List.of() : List.copyOf(successes);
        openFindings = openFindings == null ? List.of() : List.copyOf(openFindings);
        accepted = accepted == null ? List.of() : List.copyOf(accepted);
    }

    public Traffic(List<PairSuccess> successes, List<OpenFinding> openFindings) {
        this(successes, openFindings, List.of());
    }

    public static Traffic none() {
        return new Traffic(List.of(), List.of());
    }

    /**
     * Successful requests from a client mesh to a server mesh.
     *
     * @param count requests counted
     * @param last the newest one
     */
    public record PairSuccess(String clientMesh, String serverMesh, long count, Instant last) {}

    /**
     * An open finding between two meshes.
     *
     * @param rejectedBy from the client's point of view: {@code peer} = the server rejected the client
     */
    public record OpenFinding(
            String id,
            String category,
            String clientMesh,
            String serverMesh,
            RejectedBy rejectedBy,
            Instant firstSeen,
            Instant lastSeen) {}
}
