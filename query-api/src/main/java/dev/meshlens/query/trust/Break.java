package dev.meshlens.query.trust;

/**
 * A cell that gets worse: handshakes that verify now fail after a change or at a predicted time.
 *
 * @param clientMesh the pair's client mesh
 * @param serverMesh the pair's server mesh
 * @param direction which verification fails
 * @param verifierMesh the mesh that will reject
 * @param presenterMesh the mesh whose certificates will be rejected
 * @param before the verdict before
 * @param after the verdict after
 * @param why the verdict's reason after the change
 */
public record Break(
        String clientMesh,
        String serverMesh,
        Verification direction,
        String verifierMesh,
        String presenterMesh,
        CellState before,
        CellState after,
        String why) {}
