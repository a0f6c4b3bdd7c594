package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A cell whose verdict the traffic contradicts: itself a finding, because either the inventory is
 * wrong (a stale bundle, a collector that does not see every bundle source) or the failures have
 * another cause than the one named.
 *
 * @param id stable id (pair, direction, kind)
 * @param kind what disagrees
 * @param clientMesh the pair's client mesh
 * @param serverMesh the pair's server mesh
 * @param direction which verification
 * @param since the cell's verdict holds since
 * @param findingIds the findings involved (trusted-but-failing)
 * @param lastEvidence the newest failure of those findings, or the newest success (not-trusted-but-succeeded)
 * @param evidenceCount how many findings (trusted-but-failing) or successful requests contradict the cell
 * @param description one sentence
 */
public record Contradiction(
        String id,
        Kind kind,
        String clientMesh,
        String serverMesh,
        Verification direction,
        Instant since,
        List<String> findingIds,
        Instant lastEvidence,
        long evidenceCount,
        String description) {
    public Contradiction {
        findingIds = List.copyOf(findingIds);
    }

    /** What disagrees. */
    public enum Kind {
        /** The matrix says trusted; an open UNTRUSTED_ROOT finding says the verifier rejected the root. */
        TRUSTED_BUT_UNTRUSTED_ROOT_FINDING,
        /** The matrix says not trusted; mTLS between the pair succeeded after the verdict began. */
        NOT_TRUSTED_BUT_SUCCEEDED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
