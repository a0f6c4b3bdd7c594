package dev.meshlens.query.correlation;

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
 * @param detail validator detail
 * @param raw raw failure text
 * @param noTls a client half whose connection ended with no TLS error at all (connection termination)
 * @param stats true when this half comes from ssl.* counter deltas
 * @param units for stats halves: the failures still unpaired, per category/rejectedBy
 */
public record Half(String eventId, String meshId, String meshKind, boolean client, long timeMs, long coverFromMs,
    FailureCategory category, RejectedBy rejectedBy, String selfIdentity, String peerIdentity, String reason,
    String detail, String raw, boolean noTls, boolean stats, List<Unit> units) {

  /** Failures of one kind counted by a stats delta. */
  public record Unit(FailureCategory category, RejectedBy rejectedBy, String counter, long remaining) {}

  public Half {
    units = units == null ? List.of() : List.copyOf(units);
  }

  public long remaining() {
    long n = 0;
    for (Unit u : units) {
      n += u.remaining();
    }
    return stats ? n : 1;
  }
}
