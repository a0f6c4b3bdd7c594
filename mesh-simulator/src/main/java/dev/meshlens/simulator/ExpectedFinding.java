package dev.meshlens.simulator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;

/**
 * Ground truth: a finding meshlens must report for a scenario.
 *
 * @param category the true cause
 * @param clientMesh mesh of the client
 * @param clientIdentity the client's SPIFFE ID
 * @param serverMesh mesh of the server
 * @param serverService the server's service name
 * @param rejectedBy which side rejected, from the client's point of view
 * @param oneSided true when the server side reports nothing at all
 * @param blindSide the mesh that does not report (null when both report)
 * @param finalState the state at the end of the scenario (resolved when mTLS succeeded again after the fix)
 * @param failures handshakes that failed
 */
public record ExpectedFinding(
        FailureCategory category,
        String clientMesh,
        String clientIdentity,
        String serverMesh,
        String serverService,
        RejectedBy rejectedBy,
        boolean oneSided,
        String blindSide,
        FindingState finalState,
        long failures) {

    /** The identity of a finding: who, to whom, why. */
    public String key() {
        return clientMesh + "|" + clientIdentity + "|" + serverMesh + "|" + serverService + "|" + category;
    }
}
