package dev.meshlens.query.trust;

import java.util.List;

/**
 * One root that signs some of a presenter mesh's workloads, as one verifier sees it.
 *
 * @param root the root (as fully as any mesh's inventory describes it)
 * @param inVerifierBundle whether the verifier's bundle holds it (by {@code matchedBy})
 * @param matchedBy fingerprint, key_id or subject; null when the bundle does not hold it
 * @param workloads distinct workloads of the presenter whose chains end at it
 * @param trustedWorkloads of those, how many the verifier accepts (an expired intermediate can fail some)
 * @param examples a few of those workloads
 * @param problem why chains ending here fail, or null
 * @param heldBy meshes whose bundle holds this root
 */
public record AnchorUse(
        RootRef root,
        boolean inVerifierBundle,
        String matchedBy,
        int workloads,
        int trustedWorkloads,
        List<String> examples,
        String problem,
        List<String> heldBy) {
    public AnchorUse {
        examples = List.copyOf(examples);
        heldBy = List.copyOf(heldBy);
    }
}
