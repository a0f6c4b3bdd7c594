package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import java.util.ArrayList;
import java.util.List;

/**
 * Which halves belong to one failed handshake: pure rules over halves, no store. The Streams processor
 * ({@link CorrelationProcessor}) fetches the pending halves of the window and applies what these rules return.
 *
 * <p>Two halves pair when their sides and rejections are complementary and their categories can be views of
 * the same failure ({@link #compatible}); among several candidates the best one is an exact category match,
 * then the nearest in time. A stats half (counter deltas of a poll interval) pairs unit by unit.
 */
final class PairingRules {
    private PairingRules() {}

    /** A half waiting in the window store: where it is stored (key and window start) and what it says. */
    record Pending(String storeKey, long storeTime, Half half) {}

    /**
     * A chosen partner.
     *
     * @param pending the pending half chosen
     * @param unit for a stats half, the counter unit that stands for the partner; else null
     * @param score lower is better (category match first, then time distance)
     */
    record Match(Pending pending, Half.Unit unit, double score) {}

    /**
     * What a stats half paired with.
     *
     * @param matches client halves taken, in the order they paired, each with the unit it used
     * @param left the stats half with the failures still unpaired
     */
    record StatsPairing(List<Match> matches, Half left) {}

    /** The best pending server half (access-log half or stats unit) for a client half, or null. */
    static Match bestServerFor(Half c, List<Pending> servers, long windowMs) {
        Match best = null;
        for (Pending s : servers) {
            Half sh = s.half();
            if (sh.stats()) {
                if (c.timeMs() < sh.coverFromMs() - windowMs || c.timeMs() > sh.timeMs() + windowMs) {
                    continue;
                }
                for (Half.Unit u : sh.units()) {
                    if (u.remaining() > 0 && compatible(c, u.category(), u.rejectedBy(), null)) {
                        double score = (exact(c.category(), u.category()) ? 0 : 1) + 0.5 + dt(c, sh) / 1e7;
                        if (best == null || score < best.score()) {
                            best = new Match(s, u, score);
                        }
                    }
                }
            } else if (Math.abs(sh.timeMs() - c.timeMs()) <= windowMs
                    && compatible(c, sh.category(), sh.rejectedBy(), sh.peerIdentity())) {
                double score = (exact(c.category(), sh.category()) ? 0 : 1) + Math.abs(sh.timeMs() - c.timeMs()) / 1e7;
                if (best == null || score < best.score()) {
                    best = new Match(s, null, score);
                }
            }
        }
        return best;
    }

    /** The best pending client half for an access-log server half, or null. */
    static Match bestClientFor(Half s, List<Pending> clients) {
        Match best = null;
        for (Pending c : clients) {
            if (compatible(c.half(), s.category(), s.rejectedBy(), s.peerIdentity())) {
                // an ordinary connection line is weaker evidence than a client that saw the failure itself
                double score = (exact(c.half().category(), s.category()) ? 0 : 1)
                        + (c.half().ordinary() ? 0.5 : 0)
                        + Math.abs(c.half().timeMs() - s.timeMs()) / 1e7;
                if (best == null || score < best.score()) {
                    best = new Match(c, null, score);
                }
            }
        }
        return best;
    }

    /**
     * Pairs a stats half's units with pending client halves (given oldest first): exact category matches first,
     * then compatible ones; each client half pairs at most once, each unit as often as it has failures left.
     */
    static StatsPairing pairStats(Half s, List<Pending> clients) {
        List<Half.Unit> units = new ArrayList<>(s.units());
        List<Pending> open = new ArrayList<>(clients);
        List<Match> matches = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int ci = 0; ci < open.size(); ci++) {
                Pending c = open.get(ci);
                if (c == null) {
                    continue;
                }
                for (int i = 0; i < units.size(); i++) {
                    Half.Unit u = units.get(i);
                    if (u.remaining() <= 0) {
                        continue;
                    }
                    boolean ok = pass == 0
                            ? exact(c.half().category(), u.category())
                                    && compatible(c.half(), u.category(), u.rejectedBy(), null)
                            : compatible(c.half(), u.category(), u.rejectedBy(), null);
                    if (ok) {
                        units.set(i, u.minusOne());
                        matches.add(new Match(c, u, 0));
                        open.set(ci, null);
                        break;
                    }
                }
            }
        }
        return new StatsPairing(matches, s.withUnits(units));
    }

    /** A stats half after one failure of {@code unit} paired: what is left of it (possibly nothing). */
    static Half consume(Half stats, Half.Unit unit) {
        List<Half.Unit> units = new ArrayList<>();
        boolean done = false;
        for (Half.Unit u : stats.units()) {
            if (!done && u.equals(unit)) {
                units.add(u.minusOne());
                done = true;
            } else {
                units.add(u);
            }
        }
        return stats.withUnits(units);
    }

    /**
     * True when a generic half (CERT_REJECTED, UNKNOWN...) of the pair {@code clientMesh}/{@code clientIdentity}
     * is another view of finding {@code f}: same pair and direction, {@code f} names a specific cause and is open
     * (or, for a client half {@code c}, failed within the pairing horizon before it).
     */
    static boolean foldsInto(
            Finding f,
            String clientMesh,
            String clientIdentity,
            FailureCategory generic,
            RejectedBy rb,
            Half c,
            long horizonMs) {
        boolean recent = f.state() == FindingState.OPEN
                || (c != null && c.timeMs() <= f.lastSeen().toEpochMilli() + horizonMs);
        if (!recent
                || Observations.generic(f.category())
                || !f.clientIdentity().equals(clientIdentity)
                || !f.clientMesh().equals(clientMesh)) {
            return false;
        }
        Half probe = c != null
                ? c
                : new Half(
                        "",
                        clientMesh,
                        null,
                        true,
                        0,
                        0,
                        generic,
                        Decision.flip(rb),
                        clientIdentity,
                        null,
                        null,
                        null,
                        null,
                        false,
                        false,
                        List.of(),
                        false,
                        null,
                        false,
                        0);
        RejectedBy serverView = Decision.flip(f.rejectedBy());
        return (rb == RejectedBy.UNKNOWN || f.rejectedBy() == rb || f.rejectedBy() == RejectedBy.UNKNOWN)
                && compatible(probe, f.category(), serverView, null);
    }

    /** True when an unpaired server half (or counter unit) of category {@code sc} fits finding {@code f}. */
    static boolean fits(Finding f, FailureCategory sc, RejectedBy srb, String serverSawPeer) {
        return f.category() == sc || compatible(probe(f), sc, srb, serverSawPeer);
    }

    /** The finding seen as the client half that opened it. */
    private static Half probe(Finding f) {
        long last = f.lastSeen().toEpochMilli();
        return new Half(
                "",
                f.clientMesh(),
                null,
                true,
                last,
                last,
                f.category(),
                f.rejectedBy(),
                f.clientIdentity(),
                null,
                null,
                null,
                null,
                false,
                false,
                List.of(),
                false,
                null,
                false,
                0);
    }

    static boolean exact(FailureCategory a, FailureCategory b) {
        return a == b && !Observations.generic(a);
    }

    private static boolean opposite(RejectedBy a, RejectedBy b) {
        return a == RejectedBy.UNKNOWN || b == RejectedBy.UNKNOWN || a != b;
    }

    /**
     * True when client half {@code c} and a server observation of category {@code sc}, rejected by {@code srb}
     * (server's view), can be the two views of one failed handshake; {@code serverSawPeer} is the client identity
     * the server saw, when it saw one.
     */
    static boolean compatible(Half c, FailureCategory sc, RejectedBy srb, String serverSawPeer) {
        if (serverSawPeer != null
                && c.selfIdentity() != null
                && c.selfIdentity().startsWith("spiffe://")
                && !serverSawPeer.equals(c.selfIdentity())) {
            return false;
        }
        if (c.ordinary()) {
            // a connection line that shows nothing wrong only explains a server that refused plaintext
            return sc == FailureCategory.PLAINTEXT_MISMATCH && srb != RejectedBy.PEER;
        }
        if (!opposite(c.rejectedBy(), srb)) {
            return false;
        }
        FailureCategory cc = c.category();
        if (cc == sc) {
            return true;
        }
        if (srb == RejectedBy.SELF && Alerts.mayAlsoMean(c.reason(), sc)) {
            return true; // e.g. handshake_failure received, the server's own evidence: no client certificate
        }
        boolean cg = Observations.generic(cc);
        boolean sg = Observations.generic(sc);
        if (!cg && !sg) {
            return false;
        }
        if (c.noTls()) {
            // the client's connection ended without any TLS error: either it did not speak TLS (a gateway without a
            // route resets a TLS client, which then reports a TLS-level reset), or it spoke TLS 1.3, where the client
            // sends its certificate and Finished last and counts its handshake complete before the server has checked
            // them (RFC 8446 4.4; google/conscrypt#777: the server's error appears "in the first client read"): the
            // server's rejection of its certificate then reaches it only as a connection closed after connect
            // (Envoy's codec client: ConnectionTermination, UC, no transport failure reason)
            return sc == FailureCategory.PLAINTEXT_MISMATCH
                    || sc == FailureCategory.UNKNOWN
                    || (srb == RejectedBy.SELF && sc.isVerification());
        }
        if (cc == FailureCategory.CONNECTION_RESET || cc == FailureCategory.UPSTREAM_CONNECT_FAILURE) {
            // what makes a server drop a handshake: no route for the SNI, or no certificate of its own to present
            // (an Envoy whose SDS secret never arrived closes every connection: ssl_socket.cc NotReadySslSocket)
            return sc == FailureCategory.NO_ROUTE
                    || sc == FailureCategory.UNKNOWN
                    || sc == FailureCategory.CONNECTION_RESET
                    || (sc == FailureCategory.TRUST_CONFIG_ERROR && srb != RejectedBy.PEER);
        }
        if (cc == FailureCategory.CERT_REJECTED) {
            return sc.isVerification() || sc == FailureCategory.UNKNOWN;
        }
        if (sc == FailureCategory.CERT_REJECTED) {
            return cc.isVerification() || cc == FailureCategory.UNKNOWN;
        }
        return cc == FailureCategory.UNKNOWN || sc == FailureCategory.UNKNOWN;
    }

    private static double dt(Half c, Half stats) {
        long mid = (stats.coverFromMs() + stats.timeMs()) / 2;
        return Math.abs(c.timeMs() - mid);
    }
}
