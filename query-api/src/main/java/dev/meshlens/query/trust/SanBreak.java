package dev.meshlens.query.trust;

import java.time.Instant;

/**
 * A SAN check that fails after a naming-template change: a client that accepted {@code expectedId}
 * will see {@code presentedAfter}.
 *
 * @param clientMesh the client's mesh (whose SAN expectation must change)
 * @param clientId the client's SPIFFE ID, or null when unknown
 * @param serverMesh the mesh whose naming changes
 * @param expectedId the identity the client accepted (and, where it pins SANs, expects)
 * @param presentedAfter the identity the same workload gets under the new template, or null when the
 *     template cannot name it (a part the old identity does not carry)
 * @param lastVerified the newest successful request that presented {@code expectedId}
 * @param requests successful requests that presented it
 * @param why in words, with the fix
 */
public record SanBreak(
        String clientMesh,
        String clientId,
        String serverMesh,
        String expectedId,
        String presentedAfter,
        Instant lastVerified,
        long requests,
        String why) {}
