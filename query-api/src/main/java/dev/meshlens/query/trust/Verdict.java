package dev.meshlens.query.trust;

import java.util.List;

/**
 * Whether a verifier mesh trusts a presenter mesh at one instant, and why.
 *
 * @param state the verdict
 * @param reason one sentence an on-call engineer can act on
 * @param anchors the roots the presenter's chains end at
 * @param intermediates the intermediates the presenter's chains carry
 * @param workloads distinct workloads of the presenter considered
 * @param trusted workloads whose chain the verifier accepts
 * @param untrusted workloads whose chain it rejects
 */
public record Verdict(
        CellState state,
        String reason,
        List<AnchorUse> anchors,
        List<RootRef> intermediates,
        int workloads,
        int trusted,
        int untrusted) {
    public Verdict {
        anchors = List.copyOf(anchors);
        intermediates = List.copyOf(intermediates);
    }
}
