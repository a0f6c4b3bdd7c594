package dev.meshlens.query.trust;

import java.time.Instant;
import java.util.List;

/**
 * One check of one ordered mesh pair: does {@code verifierMesh} trust the roots that sign
 * {@code presenterMesh}'s certificates?
 *
 * @param clientMesh the pair's client mesh
 * @param serverMesh the pair's server mesh
 * @param direction which side verifies
 * @param verifierMesh the mesh whose bundle is checked
 * @param presenterMesh the mesh whose certificates are checked
 * @param state the verdict now
 * @param since since when the verdict holds (or earlier: see {@code sinceStartOfData}); null when no data at all
 * @param sinceStartOfData true when {@code since} is where the retained data begins, not an observed change
 * @param reason why, in one sentence
 * @param roots the roots that sign the presenter's workloads, with whether the verifier holds them
 * @param intermediates intermediates the presenter's chains carry (with their validity)
 * @param workloads presenter workloads considered
 * @param observed traffic of the pair
 * @param confirmation what the traffic says about the verdict
 * @param bundleSeen newest bundle observation of the verifier
 * @param certsSeen newest /certs observation of the presenter
 */
public record Cell(
        String clientMesh,
        String serverMesh,
        Verification direction,
        String verifierMesh,
        String presenterMesh,
        CellState state,
        Instant since,
        boolean sinceStartOfData,
        String reason,
        List<AnchorUse> roots,
        List<RootRef> intermediates,
        int workloads,
        Observed observed,
        Confirmation confirmation,
        Instant bundleSeen,
        Instant certsSeen) {
    public Cell {
        roots = List.copyOf(roots);
        intermediates = List.copyOf(intermediates);
    }
}
