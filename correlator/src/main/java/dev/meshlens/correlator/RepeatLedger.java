package dev.meshlens.correlator;

import java.util.ArrayList;
import java.util.List;

/**
 * Per finding: which recent observations could still be another view of a failure already counted, so
 * that every failed connection counts once however its halves arrive.
 *
 * <p>Three kinds of repeat exist. A one-sided client half and a one-sided server half (each arrived when
 * the other had left the window) may be the two halves of one handshake: such halves are twins when
 * their times are within the pairing window. And an {@code ssl.*} counter delta repeats the server's own
 * listener-log lines of its poll interval (same Envoy, same clock) and any one-sided client half of that
 * interval. Everything else is a failure of its own.
 *
 * <p>Observations are kept in one-second buckets for a bounded time (twice the pairing horizon), so the
 * ledger stays small whatever the failure rate.
 *
 * @param buckets oldest first
 */
record RepeatLedger(List<Bucket> buckets) {

    /**
     * @param second epoch second
     * @param clientOnly one-sided client halves not yet matched with a server twin
     * @param serverOnly one-sided server log halves not yet matched with a client twin
     * @param serverLogs server log halves (paired or not) not yet matched by a counter delta
     */
    record Bucket(long second, int clientOnly, int serverOnly, int serverLogs) {}

    /** The result of noting one observation: the new ledger and how many failures it adds to the count. */
    record Step(RepeatLedger ledger, long counted) {}

    RepeatLedger {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    static RepeatLedger empty() {
        return new RepeatLedger(List.of());
    }

    /** A server log half that paired with a client half (counted by the pair); a counter may repeat it later. */
    RepeatLedger pairedServerLog(long t) {
        return add(t, 0, 0, 1);
    }

    /** A one-sided client half: a twin of a one-sided server half within ±window, else a failure of its own. */
    Step clientOnly(long t, long windowMs) {
        List<Bucket> b = new ArrayList<>(buckets);
        if (take(b, t - windowMs, t + windowMs, t, Kind.SERVER_ONLY, 1) == 1) {
            return new Step(new RepeatLedger(b), 0);
        }
        return new Step(add(t, 1, 0, 0), 1);
    }

    /** A one-sided server log half: a twin of a one-sided client half within ±window, else a failure of its own. */
    Step serverOnly(long t, long windowMs) {
        List<Bucket> b = new ArrayList<>(buckets);
        if (take(b, t - windowMs, t + windowMs, t, Kind.CLIENT_ONLY, 1) == 1) {
            return new Step(new RepeatLedger(b).add(t, 0, 0, 1), 0);
        }
        return new Step(add(t, 0, 1, 1), 1);
    }

    /**
     * {@code n} failures counted by a server's {@code ssl.*} delta over {@code [fromMs, toMs]}: those repeat the
     * same Envoy's listener-log lines of the interval (±1 s: same clock) and one-sided client halves of it
     * (±window: the other mesh's clock). Returns how many of the {@code n} this ledger explains as repeats.
     */
    Step counter(long fromMs, long toMs, long windowMs, long n) {
        List<Bucket> b = new ArrayList<>(buckets);
        long logs = take(b, fromMs - 1000, toMs + 1000, toMs, Kind.SERVER_LOGS, n);
        long clients = take(b, fromMs - windowMs, toMs + windowMs, toMs, Kind.CLIENT_ONLY, n - logs);
        return new Step(new RepeatLedger(b), logs + clients);
    }

    /** Drops buckets older than {@code keepMs} before {@code newestMs}. */
    RepeatLedger prune(long newestMs, long keepMs) {
        long oldest = Math.floorDiv(newestMs - keepMs, 1000);
        if (buckets.isEmpty() || buckets.get(0).second() >= oldest) {
            return this;
        }
        return new RepeatLedger(
                buckets.stream().filter(x -> x.second() >= oldest).toList());
    }

    private enum Kind {
        CLIENT_ONLY,
        SERVER_ONLY,
        SERVER_LOGS
    }

    private static int count(Bucket x, Kind k) {
        return switch (k) {
            case CLIENT_ONLY -> x.clientOnly();
            case SERVER_ONLY -> x.serverOnly();
            case SERVER_LOGS -> x.serverLogs();
        };
    }

    private static Bucket minus(Bucket x, Kind k, int n) {
        return switch (k) {
            case CLIENT_ONLY -> new Bucket(x.second(), x.clientOnly() - n, x.serverOnly(), x.serverLogs());
            case SERVER_ONLY -> new Bucket(x.second(), x.clientOnly(), x.serverOnly() - n, x.serverLogs());
            case SERVER_LOGS -> new Bucket(x.second(), x.clientOnly(), x.serverOnly(), x.serverLogs() - n);
        };
    }

    /** Takes up to {@code max} of kind {@code k} from buckets in [from, to], nearest to {@code near} first. */
    private static long take(List<Bucket> b, long fromMs, long toMs, long nearMs, Kind k, long max) {
        long from = Math.floorDiv(fromMs, 1000);
        long to = Math.floorDiv(toMs, 1000);
        long near = Math.floorDiv(nearMs, 1000);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            Bucket x = b.get(i);
            if (x.second() >= from && x.second() <= to && count(x, k) > 0) {
                order.add(i);
            }
        }
        order.sort((i, j) -> Long.compare(
                Math.abs(b.get(i).second() - near), Math.abs(b.get(j).second() - near)));
        long taken = 0;
        for (int i : order) {
            if (taken >= max) {
                break;
            }
            Bucket x = b.get(i);
            int n = (int) Math.min(count(x, k), max - taken);
            b.set(i, minus(x, k, n));
            taken += n;
        }
        return taken;
    }

    private RepeatLedger add(long t, int clientOnly, int serverOnly, int serverLogs) {
        long s = Math.floorDiv(t, 1000);
        List<Bucket> b = new ArrayList<>(buckets);
        for (int i = 0; i < b.size(); i++) {
            Bucket x = b.get(i);
            if (x.second() == s) {
                b.set(
                        i,
                        new Bucket(
                                s,
                                x.clientOnly() + clientOnly,
                                x.serverOnly() + serverOnly,
                                x.serverLogs() + serverLogs));
                return new RepeatLedger(b);
            }
            if (x.second() > s) {
                b.add(i, new Bucket(s, clientOnly, serverOnly, serverLogs));
                return new RepeatLedger(b);
            }
        }
        b.add(new Bucket(s, clientOnly, serverOnly, serverLogs));
        return new RepeatLedger(b);
    }
}
