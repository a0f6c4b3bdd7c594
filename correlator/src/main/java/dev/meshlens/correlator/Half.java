package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.util.List;

/**
 * One side's observation of failed handshakes, as kept in the correlator's window store: small,
 * self-contained and JSON-serialisable. A stats half stands for {@code units} failures counted by
 * {@code ssl.*} counters between two admin polls.
 *
 * @param eventId the event it came from
 * @param meshId the observing mesh
 * @param meshKind istio / consul / other (wire name)
 * @param client true when the observer was the TLS client
 * @param timeMs observation time (event time, the observing mesh's clock)
 * @param coverFromMs for stats halves, start of the poll interval; else equal to timeMs
 * @param category the category this half names
 * @param rejectedBy from this observer's point of view
 * @param selfIdentity the observer's SPIFFE ID or workload name
 * @param peerIdentity the peer's SPIFFE ID when this half saw it
 * @param reason decoded reason name (e.g. TLSV1_ALERT_UNKNOWN_CA)
 * @param detail validator detail, or how the correlator read the line
 * @param raw raw failure text
 * @param noTls a client half whose connection ended with no TLS error at all (connection termination): it
 *     spoke plaintext, or its TLS 1.3 handshake completed before the server rejected its certificate
 * @param stats true when this half comes from ssl.* counter deltas
 * @param units for stats halves: the failures still unpaired, per category/rejectedBy
 * @param ordinary a client connection line that shows no failure at all (a tcp_proxy line with nothing
 *     received and no TLS); it only counts as the plaintext side of a server's plaintext rejection
 * @param place for stats halves: the Envoy listener or cluster whose counters moved ("listener 0.0.0.0_15006")
 * @param shared a stats half sent from the mesh-wide key to the keys whose failures it repeats: it
 *     pairs and corroborates there, but never counts or opens a finding
 * @param attempt which connection attempt of its line this half is (0 for the first; a retried request's
 *     line stands for several failed handshakes, see {@link dev.meshlens.events.Attempts})
 */
public record Half(
        String eventId,
        String meshId,
        String meshKind,
        boolean client,
        long timeMs,
        long coverFromMs,
        FailureCategory category,
        RejectedBy rejectedBy,
        String selfIdentity,
        String peerIdentity,
        String reason,
        String detail,
        String raw,
        boolean noTls,
        boolean stats,
        List<Unit> units,
        boolean ordinary,
        String place,
        boolean shared,
        int attempt) {

    /** Failures of one kind counted by a stats delta. */
    public record Unit(FailureCategory category, RejectedBy rejectedBy, String counter, long remaining) {
        Unit minusOne() {
            return new Unit(category, rejectedBy, counter, remaining - 1);
        }
    }

    public Half {
        units = units == null ? List.of() : List.copyOf(units);
        rejectedBy = rejectedBy == null ? RejectedBy.UNKNOWN : rejectedBy;
    }

    /** Attempt {@code n} of the same line: the same evidence, one more failed handshake. */
    Half attempt(int n) {
        return new Half(
                eventId,
                meshId,
                meshKind,
                client,
                timeMs,
                coverFromMs,
                category,
                rejectedBy,
                selfIdentity,
                peerIdentity,
                reason,
                detail,
                raw,
                noTls,
                stats,
                units,
                ordinary,
                place,
                shared,
                n);
    }

    public long remaining() {
        long n = 0;
        for (Unit u : units) {
            n += u.remaining();
        }
        return stats ? n : 1;
    }

    /** The same stats half with other units. */
    Half withUnits(List<Unit> newUnits) {
        return new Half(
                eventId,
                meshId,
                meshKind,
                client,
                timeMs,
                coverFromMs,
                category,
                rejectedBy,
                selfIdentity,
                peerIdentity,
                reason,
                detail,
                raw,
                noTls,
                stats,
                newUnits,
                ordinary,
                place,
                shared,
                attempt);
    }

    /** A copy for another key: pairs and corroborates there, never counts on its own. */
    Half sharedWith(List<Unit> newUnits) {
        return new Half(
                eventId,
                meshId,
                meshKind,
                client,
                timeMs,
                coverFromMs,
                category,
                rejectedBy,
                selfIdentity,
                peerIdentity,
                reason,
                detail,
                raw,
                noTls,
                stats,
                newUnits,
                ordinary,
                place,
                true,
                attempt);
    }
}
