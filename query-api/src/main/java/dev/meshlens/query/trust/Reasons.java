package dev.meshlens.query.trust;

import java.util.List;
import java.util.stream.Collectors;

/** The one-sentence reason of a verdict, naming the meshes, the roots and the fix direction. */
final class Reasons {
    private Reasons() {}

    static String of(
            CellState state,
            String verifier,
            String presenter,
            List<AnchorUse> anchors,
            int workloads,
            int trusted,
            int untrusted) {
        return switch (state) {
            case TRUSTED ->
                "the trust bundle of mesh " + verifier + " holds " + roots(anchors, true)
                        + ", which sign" + (anchors.size() == 1 ? "s" : "") + " the workloads of mesh " + presenter
                        + " (" + workloads + " seen)";
            case NOT_TRUSTED ->
                "mesh " + verifier + " cannot verify mesh " + presenter + ": " + problems(anchors, presenter);
            case PARTIAL ->
                untrusted + " of " + (trusted + untrusted) + " workloads of mesh " + presenter
                        + " fail verification by mesh " + verifier + " (" + problems(anchors, presenter)
                        + "); the others chain to "
                        + roots(anchors, true) + " — a rotation in progress?";
            case UNKNOWN ->
                "the certificates reported for mesh " + presenter + " name no issuer or key identifier, so the "
                        + "roots that sign them cannot be told (Envoy's /certs alone does not report issuers)";
        };
    }

    private static String roots(List<AnchorUse> anchors, boolean trusted) {
        return anchors.stream()
                .filter(a -> a.inVerifierBundle() == trusted && (!trusted || a.trustedWorkloads() > 0))
                .map(a -> "root " + a.root().label())
                .collect(Collectors.joining(" and "));
    }

    private static String problems(List<AnchorUse> anchors, String presenter) {
        return anchors.stream()
                .filter(a -> a.problem() != null)
                .map(a -> a.problem() + " (signs " + (a.workloads() - a.trustedWorkloads()) + " workload"
                        + (a.workloads() - a.trustedWorkloads() == 1 ? "" : "s") + " of mesh " + presenter + ", e.g. "
                        + a.examples().get(0) + "; "
                        + (a.heldBy().isEmpty()
                                ? "no mesh's bundle holds its root"
                                : "its root is in the bundle of " + String.join(", ", a.heldBy()))
                        + ")")
                .collect(Collectors.joining("; "));
    }
}
