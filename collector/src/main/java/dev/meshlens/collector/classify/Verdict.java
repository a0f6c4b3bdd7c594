package dev.meshlens.collector.classify;

import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.TlsFailure;
import java.util.List;

/**
 * The classification of one observation.
 *
 * @param failure the TLS/connection failure (category, rejected_by, code, reason, detail, raw text)
 * @param observerRole client (upstream side) or server (downstream side) when the evidence says, else null
 * @param library library of the packed code, e.g. {@code SSL routines}, or null
 * @param flags individual response flags
 * @param recognised false when the failure matched no rule (category UNKNOWN, counted)
 * @param source which field or text carried the evidence (e.g. {@code upstream_transport_failure_reason})
 */
public record Verdict(
        TlsFailure failure,
        ObserverRole observerRole,
        String library,
        List<String> flags,
        boolean recognised,
        String source) {
    public Verdict {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
