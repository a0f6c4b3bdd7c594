package dev.meshlens.collector.event;

import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshNames;
import dev.meshlens.events.ObserverRole;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link MeshEvent}s from parsed lines and verdicts. Stateless. */
public final class EventMapper {
    private EventMapper() {}

    /**
     * @param ctx the source
     * @param position position inside the source (byte offset of the line, record index)
     * @param p the parsed line
     * @param v the verdict, or null for a line without failure
     * @param fallbackTime time to use when the line has no parsable start time
     */
    public static MeshEvent toEvent(SourceContext ctx, long position, ParsedLine p, Verdict v, Instant fallbackTime) {
        LineFormat f = p.format();
        MeshEvent.Builder b = MeshEvent.builder()
                .eventId(EventIds.of(ctx.meshId(), ctx.sourceIdentity(), position))
                .meshId(ctx.meshId())
                .meshKind(ctx.meshKind())
                .cluster(ctx.cluster())
                .sourceKind(ctx.sourceKind());
        b.observedTime(observedTime(p, fallbackTime));
        Peers peers = peers(p, v);
        String cluster = peers.cluster();
        b.direction(peers.direction());
        b.observerRole(peers.role());
        b.downstreamRemoteAddress(p.get(Field.DOWNSTREAM_REMOTE_ADDRESS))
                .downstreamLocalAddress(p.get(Field.DOWNSTREAM_LOCAL_ADDRESS))
                .upstreamHost(p.get(Field.UPSTREAM_HOST))
                .upstreamLocalAddress(p.get(Field.UPSTREAM_LOCAL_ADDRESS))
                .requestedServerName(p.get(Field.REQUESTED_SERVER_NAME))
                .authority(p.get(Field.AUTHORITY))
                .method(p.get(Field.METHOD))
                .path(p.get(Field.PATH))
                .protocol(p.get(Field.PROTOCOL))
                .userAgent(p.get(Field.USER_AGENT))
                .requestId(p.get(Field.REQUEST_ID))
                .forwardedFor(p.get(Field.FORWARDED_FOR))
                .responseFlags(p.get(Field.RESPONSE_FLAGS))
                .responseCodeDetails(p.get(Field.RESPONSE_CODE_DETAILS))
                .connectionTerminationDetails(p.get(Field.CONNECTION_TERMINATION_DETAILS))
                .upstreamTransportFailureReason(p.get(Field.UPSTREAM_TRANSPORT_FAILURE_REASON))
                .downstreamTransportFailureReason(p.get(Field.DOWNSTREAM_TRANSPORT_FAILURE_REASON))
                .upstreamCluster(cluster);
        long rc = p.getLong(Field.RESPONSE_CODE, -1);
        if (rc >= 0) {
            b.responseCode((int) rc);
        }
        long d = p.getLong(Field.DURATION, -1);
        if (d >= 0) {
            b.durationMs(d);
        }
        long br = p.getLong(Field.BYTES_RECEIVED, -1);
        if (br >= 0) {
            b.bytesReceived(br);
        }
        long bs = p.getLong(Field.BYTES_SENT, -1);
        if (bs >= 0) {
            b.bytesSent(bs);
        }
        boolean server = peers.role() == ObserverRole.SERVER;
        b.localUriSan(peers.local()).peerUriSan(peers.peer());
        b.peerIssuer(p.get(server ? Field.DOWNSTREAM_PEER_ISSUER : Field.UPSTREAM_PEER_ISSUER))
                .peerSubject(p.get(server ? Field.DOWNSTREAM_PEER_SUBJECT : Field.UPSTREAM_PEER_SUBJECT))
                .tlsVersion(peers.tlsVersion());
        Map<String, String> attrs = null;
        for (int i = 0; i < f.slotCount(); i++) {
            if (f.field(i) == Field.OTHER && !p.absent(i)) {
                if (attrs == null) {
                    attrs = new LinkedHashMap<>();
                }
                attrs.put(f.slotName(i), p.get(i));
            }
        }
        b.attributes(attrs);
        if (v != null) {
            b.tls(v.failure());
        }
        return b.build();
    }

    /**
     * Who talked to whom, as the Envoy that wrote a line saw it: the parts of an event that a success
     * roll-up groups by, computed without building the event (healthy lines are counted, not mapped).
     *
     * @param direction inbound or outbound, from the upstream cluster's name; null when it does not say
     * @param role which side of the TLS connection the Envoy was
     * @param cluster the upstream cluster
     * @param local the Envoy's own URI SAN
     * @param peer the peer's URI SAN
     * @param tlsVersion the TLS version of the connection the identities come from, or null (plaintext)
     */
    public record Peers(
            Direction direction, ObserverRole role, String cluster, String local, String peer, String tlsVersion) {}

    public static Peers peers(ParsedLine p, Verdict v) {
        // interned: a healthy line is counted by these values, which repeat from line to line
        String cluster = p.getInterned(Field.UPSTREAM_CLUSTER);
        Direction dir = MeshNames.directionOf(cluster);
        ObserverRole role = v != null ? v.observerRole() : null;
        if (dir == Direction.INBOUND) {
            // the Envoy accepted this connection from the mesh (its TLS server side) and handed it to its own app:
            // an upstream failure here (app down: UF, "delayed connect error: 111") is on the plaintext loopback
            // connection, and does not make the Envoy a TLS client
            role = ObserverRole.SERVER;
        } else if (role == null && dir != null) {
            role = ObserverRole.CLIENT;
        }
        boolean server = role == ObserverRole.SERVER;
        String local = p.getInterned(server ? Field.DOWNSTREAM_LOCAL_URI_SAN : Field.UPSTREAM_LOCAL_URI_SAN);
        String peer = p.getInterned(server ? Field.DOWNSTREAM_PEER_URI_SAN : Field.UPSTREAM_PEER_URI_SAN);
        if (local == null) {
            local = p.getInterned(server ? Field.UPSTREAM_LOCAL_URI_SAN : Field.DOWNSTREAM_LOCAL_URI_SAN);
        }
        if (peer == null) {
            peer = p.getInterned(server ? Field.UPSTREAM_PEER_URI_SAN : Field.DOWNSTREAM_PEER_URI_SAN);
        }
        return new Peers(
                dir,
                role,
                cluster,
                local,
                peer,
                p.getInterned(server ? Field.DOWNSTREAM_TLS_VERSION : Field.UPSTREAM_TLS_VERSION));
    }

    /** The line's start time, else {@code fallbackTime}, else now. */
    public static Instant observedTime(ParsedLine p, Instant fallbackTime) {
        int slot = p.format().slotOf(Field.START_TIME);
        // Envoy's default spelling is read in place; any other through the general path
        Instant t = p.absent(slot) ? null : parseUtcFast(p.raw(slot));
        if (t == null) {
            t = parseTime(p.get(slot));
        }
        return t != null ? t : fallbackTime != null ? fallbackTime : Instant.now();
    }

    /** Parses Envoy's default START_TIME ({@code 2024-06-02T13:24:57.930Z}) and offsets; null when unparsable. */
    public static Instant parseTime(String s) {
        if (s == null || s.length() < 10) {
            return null;
        }
        Instant fast = parseUtcFast(s);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The common shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} without {@link java.time.format.DateTimeFormatter}
     * (which cost ~10% of the tailing thread); null for anything else, which then takes the general path.
     * Accepts only what {@link Instant#parse} accepts, with the same result.
     */
    static Instant parseUtcFast(CharSequence s) {
        int n = s.length();
        if (n < 20
                || n > 30
                || s.charAt(n - 1) != 'Z'
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fracDigits = n - 21;
            if (s.charAt(19) != '.' || fracDigits < 1 || fracDigits > 9) {
                return null;
            }
            nanos = digits(s, 20, n - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = fracDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The non-negative decimal value of {@code s[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(CharSequence s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
