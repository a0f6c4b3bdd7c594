package dev.meshlens.query.rollup;

import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.query.store.Documents;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One roll-up document's identity: what diagnose asks of the events, per time bucket.
 *
 * <ul>
 *   <li>{@code pair}: per (5-minute bucket, mesh, observer role, client service, server service, failure,
 *       category), a count (how many events) and the first/last observed time. Answers "how many failures
 *       between A and B, of which categories" and "which meshes' clients called B".
 *   <li>{@code presence}: per (1-hour bucket, mesh, observer role, the service in that role, trust domain),
 *       the first/last observed time only. Answers "in which meshes does A appear as a client / B as a server /
 *       trust domain T appear". Coarser, because its cardinality is that of services, not of pairs.
 * </ul>
 *
 * Fields not known for an event (no client identity, no trust domain, no role) are absent, exactly as in
 * the event document, so the same term and {@code exists} filters select the same events.
 */
public record RollupKey(
        Kind kind,
        Instant bucket,
        String meshId,
        String observerRole,
        String clientService,
        String serverService,
        String service,
        String trustDomain,
        Boolean failure,
        String category) {

    /** The two kinds of roll-up document and their bucket widths. */
    public enum Kind {
        PAIR(Duration.ofMinutes(5)),
        PRESENCE(Duration.ofHours(1));

        private final long widthMs;

        Kind(Duration width) {
            this.widthMs = width.toMillis();
        }

        public long widthMs() {
            return widthMs;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Start of the bucket holding {@code t}. */
        public Instant floor(Instant t) {
            return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), widthMs) * widthMs);
        }

        /** Start of the first bucket that starts at or after {@code t}. */
        public Instant ceil(Instant t) {
            return Instant.ofEpochMilli(-Math.floorDiv(-t.toEpochMilli(), widthMs) * widthMs);
        }
    }

    /** The pair key of an event (derived fields computed as {@link Documents} computes them). */
    public static RollupKey pair(MeshEvent e) {
        return new RollupKey(
                Kind.PAIR,
                Kind.PAIR.floor(e.observedTime()),
                e.meshId(),
                role(e),
                Documents.clientService(e),
                CorrelationKeys.destinationService(e),
                null,
                null,
                e.isFailure(),
                e.tls() == null ? null : e.tls().category().name());
    }

    /** The presence key of an event. */
    public static RollupKey presence(MeshEvent e) {
        String role = role(e);
        String svc = e.observerRole() == ObserverRole.CLIENT
                ? Documents.clientService(e)
                : e.observerRole() == ObserverRole.SERVER ? CorrelationKeys.destinationService(e) : null;
        return new RollupKey(
                Kind.PRESENCE,
                Kind.PRESENCE.floor(e.observedTime()),
                e.meshId(),
                role,
                null,
                null,
                svc,
                Documents.trustDomain(e),
                null,
                null);
    }

    private static String role(MeshEvent e) {
        return e.observerRole() == null ? null : e.observerRole().wireName();
    }

    /** Deterministic document id: the same key always updates the same document. */
    public String id() {
        return EventIds.of(kind.wireName()
                + '\u0000'
                + bucket.toEpochMilli()
                + '\u0000'
                + meshId
                + '\u0000'
                + observerRole
                + '\u0000'
                + clientService
                + '\u0000'
                + serverService
                + '\u0000'
                + service
                + '\u0000'
                + trustDomain
                + '\u0000'
                + failure
                + '\u0000'
                + category);
    }
}
