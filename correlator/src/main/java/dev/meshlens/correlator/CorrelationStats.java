package dev.meshlens.correlator;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the correlator itself (shared by all stream threads of one instance). */
public final class CorrelationStats {
    final AtomicLong halvesStored = new AtomicLong();
    final AtomicLong halvesPaired = new AtomicLong();
    final AtomicLong halvesExpiredOneSided = new AtomicLong();
    final AtomicLong halvesCorroborating = new AtomicLong();
    final AtomicLong findingsUpdated = new AtomicLong();
    final AtomicLong findingsResolved = new AtomicLong();
    final AtomicLong findingsRemoved = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    final AtomicLong directoryRemoved = new AtomicLong();
    final AtomicLong successes = new AtomicLong();
    final AtomicLong ordinaryUnpaired = new AtomicLong();
    final AtomicLong countersShared = new AtomicLong();
    final AtomicLong notHandshakes = new AtomicLong();
    final AtomicLong loopMisrouted = new AtomicLong();

    /** Halves written to the window store while waiting for their other half. */
    public long halvesStored() {
        return halvesStored.get();
    }
    /** Halves that found their other half. */
    public long halvesPaired() {
        return halvesPaired.get();
    }
    /** Halves whose window closed without the other half: they left the window store and became one-sided evidence. */
    public long halvesExpiredOneSided() {
        return halvesExpiredOneSided.get();
    }
    /** Unpaired server halves (e.g. counters that duplicate a listener log) attached to an existing finding. */
    public long halvesCorroborating() {
        return halvesCorroborating.get();
    }

    public long findingsUpdated() {
        return findingsUpdated.get();
    }

    public long findingsResolved() {
        return findingsResolved.get();
    }
    /** Resolved findings removed from the state store after the resolved retention. */
    public long findingsRemoved() {
        return findingsRemoved.get();
    }

    public long undecodable() {
        return undecodable.get();
    }
    /** Directory entries (which mesh serves a key, last success of a pair) removed after the resolved retention. */
    public long directoryRemoved() {
        return directoryRemoved.get();
    }

    public long successes() {
        return successes.get();
    }
    /** Ordinary client connection lines that no server's plaintext rejection claimed (they were fine). */
    public long ordinaryUnpaired() {
        return ordinaryUnpaired.get();
    }
    /** Counter deltas of an unnamed Envoy sent to the keys whose failures they repeat. */
    public long countersShared() {
        return countersShared.get();
    }
    /**
     * Failure lines that are no handshake failure (connection refused, the app behind a sidecar down, no healthy
     * upstream): indexed as events, never findings.
     */
    public long notHandshakes() {
        return notHandshakes.get();
    }

    /**
     * Loop messages read by a task that does not own their key, dropped: only the messages in flight when a loop topic
     * of fewer partitions grew to the correlation's (an upgrade, CorrelatorTopics).
     */
    public long loopMisrouted() {
        return loopMisrouted.get();
    }

    @Override
    public String toString() {
        return "stored=" + halvesStored + " paired=" + halvesPaired + " expiredOneSided=" + halvesExpiredOneSided
                + " corroborating=" + halvesCorroborating + " findingsUpdated=" + findingsUpdated + " resolved="
                + findingsResolved + " removed=" + findingsRemoved + " undecodable=" + undecodable
                + " directoryRemoved="
                + directoryRemoved + " successes=" + successes + " ordinaryUnpaired=" + ordinaryUnpaired
                + " countersShared="
                + countersShared + " notHandshakes=" + notHandshakes + " loopMisrouted=" + loopMisrouted;
    }
}
