package dev.meshlens.correlator;

import dev.meshlens.events.Finding;

/**
 * A finding as the correlator keeps it in its state store, with the bookkeeping that is not part
 * of the published record.
 *
 * @param finding the published finding
 * @param lastClientSeenMs last failure seen by the client side (client clock)
 * @param pairs how many failures were seen by both sides
 * @param clientKind client mesh kind
 * @param serverKind server mesh kind
 * @param wallMs wall-clock time of the last update (quiet time when no events arrive at all)
 * @param okSinceMs while open: the first success between the pair after its last failure (client clock),
 *     null when none yet; the finding resolves once successes have lasted the configured time from here
 * @param ledger recent observations that may repeat failures already counted
 */
record Tracked(
        Finding finding,
        long lastClientSeenMs,
        long pairs,
        String clientKind,
        String serverKind,
        long wallMs,
        Long okSinceMs,
        RepeatLedger ledger) {

    Tracked {
        ledger = ledger == null ? RepeatLedger.empty() : ledger;
    }

    Tracked withOkSince(Long ok) {
        return new Tracked(finding, lastClientSeenMs, pairs, clientKind, serverKind, wallMs, ok, ledger);
    }

    Tracked withLedger(RepeatLedger l) {
        return new Tracked(finding, lastClientSeenMs, pairs, clientKind, serverKind, wallMs, okSinceMs, l);
    }
}
