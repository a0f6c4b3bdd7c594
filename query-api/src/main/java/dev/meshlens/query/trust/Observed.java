package dev.meshlens.query.trust;

import java.time.Instant;
import java.util.List;

/**
 * Traffic between a cell's pair, as far as it bears on the cell.
 *
 * @param successes successful requests from the client mesh to the server mesh in the traffic window
 * @param lastSuccess the newest one, or null
 * @param openFindings ids of open UNTRUSTED_ROOT findings of the pair in this direction (or of unknown direction)
 * @param lastFailure the newest last_seen of those findings, or null
 */
public record Observed(long successes, Instant lastSuccess, List<String> openFindings, Instant lastFailure) {
    public Observed {
        openFindings = List.copyOf(openFindings);
    }
}
