package dev.meshlens.query.correlation;

import dev.meshlens.events.Finding;

/**
 * A finding as the correlator keeps it in its state store, with the bookkeeping that is not part
 * of the published record.
 *
 * @param finding the published finding
 * @param lastClientSeenMs last failure seen by the client side (client clock), for resolution by success
 * @param pairs how many failures were seen by both sides
 * @param clientKind client mesh kind
 * @param serverKind server mesh kind
 * @param wallMs wall-clock time of the last update (quiet time when no events arrive at all)
 */
record Tracked(Finding finding, long lastClientSeenMs, long pairs, String clientKind, String serverKind, long wallMs) {}
