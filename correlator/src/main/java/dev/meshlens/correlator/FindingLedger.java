package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SchemaVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The life of a finding, as pure functions: a finding's tracked state and one observation give its next state
 * (counts, first/last seen, evidence, details, open/resolved history, the run of successes that resolves it,
 * the {@link RepeatLedger} that keeps a failure from counting twice). No store and no clock: the Streams
 * processor ({@link CorrelationProcessor}) looks up what an observation needs, calls these, saves and publishes the
 * result.
 */
final class FindingLedger {
    /** Most evidence event ids kept per finding. */
    static final int MAX_EVIDENCE = 20;

    private FindingLedger() {}

    /** What an observation adds to a finding. */
    enum Kind {
        PAIR,
        CLIENT_ONLY,
        SERVER_ONLY,
        COUNTER_ONLY
    }

    /** Who the finding is about, as the processor resolved it from the halves, the directory and the inventory. */
    record Parties(
            String clientMesh,
            String clientIdentity,
            String clientKind,
            String serverMesh,
            String service,
            String serverIdentity,
            String serverKind) {}

    /**
     * One observation of a failure, decided and refined.
     *
     * @param client the client half, or null
     * @param server the server half (a log half, or the stats half {@code unit} belongs to), or null
     * @param unit the stats unit standing for the server, or null
     * @param kind what it adds
     * @param failures how many failures it stands for (a counter unit's remaining count, else 1)
     * @param category the decided category
     * @param rejectedBy the decided direction (client's view); UNKNOWN when nothing said, then the finding's own
     * @param id the finding id
     * @param details details this observation sets
     * @param lastSuccessMs the last success between the pair, or null
     * @param blindStatus what the one-sided finding says of its blind side, should it need saying
     * @param wallMs wall-clock time now
     */
    record Observation(
            Half client,
            Half server,
            Half.Unit unit,
            Kind kind,
            long failures,
            FailureCategory category,
            RejectedBy rejectedBy,
            Parties parties,
            String id,
            Map<String, String> details,
            Long lastSuccessMs,
            String blindStatus,
            long wallMs) {
        Observation {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details)); // in order: it is the order shown
        }

        long timeMs() {
            return client != null ? client.timeMs() : server.timeMs();
        }
    }

    /** A finding's next state and how many failures the observation added to its count. */
    record Recorded(Tracked tracked, long counted) {}

    /**
     * Opens or updates the finding {@code old} (null when new) with an observation.
     *
     * @param windowMs the pairing window (twins of one-sided halves are this close)
     * @param horizonMs the pairing horizon (the repeat ledger keeps twice that)
     */
    static Recorded record(Tracked old, Observation o, long windowMs, long horizonMs) {
        Half c = o.client();
        Half s = o.server();
        Parties p = o.parties();
        Map<String, String> details = new LinkedHashMap<>(o.details());
        RejectedBy rb = o.rejectedBy();
        if (rb == RejectedBy.UNKNOWN && old != null) {
            rb = old.finding().rejectedBy();
        }

        // how many failures this adds: a one-sided half may be the twin of one already counted
        RepeatLedger ledger = old == null ? RepeatLedger.empty() : old.ledger();
        long counted = o.failures();
        switch (o.kind()) {
            case PAIR -> {
                if (o.unit() == null && s != null) {
                    ledger = ledger.pairedServerLog(s.timeMs());
                }
            }
            case CLIENT_ONLY -> {
                RepeatLedger.Step step = ledger.clientOnly(c.timeMs(), windowMs);
                ledger = step.ledger();
                counted = step.counted();
                if (counted == 0) {
                    details.put("client_corroboration", "a late client half of a failure the server already reported");
                }
            }
            case SERVER_ONLY -> {
                RepeatLedger.Step step = ledger.serverOnly(s.timeMs(), windowMs);
                ledger = step.ledger();
                counted = step.counted();
            }
            case COUNTER_ONLY -> {}
        }

        long t = o.timeMs();
        Instant at = Instant.ofEpochMilli(t);
        Finding f = old == null ? null : old.finding();
        List<Finding.StateChange> history = f == null ? new ArrayList<>() : new ArrayList<>(f.history());
        FindingState state = f == null ? FindingState.OPEN : f.state();
        if (f == null) {
            history.add(new Finding.StateChange(
                    at,
                    FindingState.OPEN,
                    o.kind() == Kind.PAIR
                            ? "failure seen by both sides"
                            : o.kind() == Kind.COUNTER_ONLY
                                    ? "failures seen only in ssl.* counters"
                                    : "failure seen by one side only"));
        } else if (f.state() == FindingState.RESOLVED && counted > 0) {
            Instant resolvedAt = history.isEmpty()
                    ? f.lastSeen()
                    : history.get(history.size() - 1).at();
            if (at.isAfter(resolvedAt)) {
                state = FindingState.OPEN;
                history.add(new Finding.StateChange(at, FindingState.OPEN, "failures again after resolution"));
            }
            // else: a late record from before the resolution; it counts, the finding stays resolved
        }
        long pairs = (old == null ? 0 : old.pairs()) + (o.kind() == Kind.PAIR ? o.failures() : 0);
        long count = (f == null ? 0 : f.count()) + counted;
        Instant first = f == null || (counted > 0 && at.isBefore(f.firstSeen())) ? at : f.firstSeen();
        Instant last = f == null || (counted > 0 && at.isAfter(f.lastSeen())) ? at : f.lastSeen();
        long lastClient = Math.max(
                old == null ? Long.MIN_VALUE : old.lastClientSeenMs(), c != null ? c.timeMs() : Long.MIN_VALUE);
        List<String> evidence = f == null ? new ArrayList<>() : new ArrayList<>(f.evidenceIds());
        for (Half h : new Half[] {c, s}) {
            if (h != null && evidence.size() < MAX_EVIDENCE && !evidence.contains(h.eventId())) {
                evidence.add(h.eventId());
            }
        }
        Map<String, String> merged = f == null ? new LinkedHashMap<>() : new LinkedHashMap<>(f.details());
        merged.putAll(details);
        merged.values().removeIf(Objects::isNull);
        merged.put("paired_count", Long.toString(pairs));
        merged.put("one_sided_count", Long.toString(count - pairs));
        boolean oneSided = pairs == 0;
        String blind = null;
        if (oneSided) {
            blind = c != null ? p.serverMesh() : p.clientMesh();
            if (o.kind() == Kind.COUNTER_ONLY) {
                merged.put(
                        "blind_side_status",
                        "the client is unknown: no access-log line of any mesh matches these" + " failures");
            } else if (!merged.getOrDefault("blind_side_status", "").contains("ssl.* counters")) {
                merged.put("blind_side_status", o.blindStatus());
            }
        } else {
            merged.remove("blind_side_status");
        }

        // a run of successes between the pair: a failure after its start breaks it; one before it leaves it be
        Long okSince = old == null ? null : old.okSinceMs();
        if (counted > 0 && okSince != null && t >= okSince) {
            okSince = null;
        }
        Long ok = o.lastSuccessMs();
        if (state == FindingState.OPEN && okSince == null && ok != null && ok > last.toEpochMilli()) {
            okSince = ok; // a success that arrived before this (older) failure: the run started no later than that
        }
        Narrator.Facts facts = new Narrator.Facts(
                o.category(),
                rb,
                p.clientMesh(),
                p.clientKind(),
                p.clientIdentity(),
                p.serverMesh(),
                p.serverKind(),
                p.service(),
                p.serverIdentity(),
                merged);
        Finding nf = new Finding(
                SchemaVersion.CURRENT,
                o.id(),
                o.category(),
                p.clientMesh(),
                p.clientIdentity(),
                p.serverMesh(),
                p.service(),
                p.serverIdentity(),
                rb,
                Narrator.direction(facts),
                first,
                last,
                count,
                state,
                oneSided,
                blind,
                evidence,
                Narrator.remediation(facts),
                merged,
                history);
        return new Recorded(
                new Tracked(
                        nf,
                        lastClient,
                        pairs,
                        p.clientKind(),
                        p.serverKind(),
                        o.wallMs(),
                        state == FindingState.OPEN ? okSince : null,
                        ledger.prune(last.toEpochMilli(), 2 * horizonMs)),
                counted);
    }

    /**
     * Adds one observation to an existing finding: evidence and details always; {@code counted} failures to its
     * count (moving last seen, reopening a resolved finding, breaking a run of successes).
     */
    static Tracked add(
            Tracked t, Half h, long timeMs, long counted, Map<String, String> details, long horizonMs, long wallMs) {
        Finding f = t.finding();
        List<String> ev = new ArrayList<>(f.evidenceIds());
        if (ev.size() < MAX_EVIDENCE && !ev.contains(h.eventId())) {
            ev.add(h.eventId());
        }
        Map<String, String> merged = new LinkedHashMap<>(f.details());
        merged.putAll(details);
        FindingState state = f.state();
        List<Finding.StateChange> history = new ArrayList<>(f.history());
        Instant first = f.firstSeen();
        Instant last = f.lastSeen();
        long count = f.count();
        Long okSince = t.okSinceMs();
        if (counted > 0) {
            Instant at = Instant.ofEpochMilli(timeMs);
            count += counted;
            first = at.isBefore(first) ? at : first;
            last = at.isAfter(last) ? at : last;
            if (state == FindingState.RESOLVED
                    && at.isAfter(
                            history.isEmpty()
                                    ? f.lastSeen()
                                    : history.get(history.size() - 1).at())) {
                state = FindingState.OPEN;
                history.add(new Finding.StateChange(at, FindingState.OPEN, "failures again after resolution"));
            }
            if (okSince != null && timeMs >= okSince) {
                okSince = null;
            }
            merged.put("one_sided_count", Long.toString(count - t.pairs()));
        }
        Finding nf = new Finding(
                f.schemaVersion(),
                f.id(),
                f.category(),
                f.clientMesh(),
                f.clientIdentity(),
                f.serverMesh(),
                f.serverService(),
                f.serverIdentity(),
                f.rejectedBy(),
                f.direction(),
                first,
                last,
                count,
                state,
                f.oneSided(),
                f.blindSide(),
                ev,
                f.remediation(),
                merged,
                history);
        RepeatLedger ledger = t.ledger().prune(last.toEpochMilli(), 2 * horizonMs);
        return new Tracked(
                nf,
                t.lastClientSeenMs(),
                t.pairs(),
                t.clientKind(),
                t.serverKind(),
                wallMs,
                state == FindingState.OPEN ? okSince : null,
                ledger);
    }

    /** The finding resolved at {@code at} for {@code reason}. */
    static Tracked resolved(Tracked tr, Instant at, String reason, long wallMs) {
        Finding nf = tr.finding().resolved(at, reason);
        return new Tracked(
                nf, tr.lastClientSeenMs(), tr.pairs(), tr.clientKind(), tr.serverKind(), wallMs, null, tr.ledger());
    }

    /**
     * What a success between the pair does to an open finding it follows.
     *
     * @param tracked the new state, or null when nothing changes
     * @param publish true when the published finding changed (it resolved); false for bookkeeping only
     */
    record AfterSuccess(Tracked tracked, boolean publish) {}

    /**
     * A success (or a roll-up of successes from {@code runStartMs} to {@code t}) after the finding's last failure.
     * It never resolves a finding by itself: it starts (or continues) a run of successes, and the finding resolves
     * once that run has lasted {@code resolveAfterMs} without a failure.
     */
    static AfterSuccess success(Tracked tr, long runStartMs, long t, long resolveAfterMs, long wallMs) {
        // successes after the finding's last failure start (or continue) the run
        long start = Math.max(runStartMs, tr.finding().lastSeen().toEpochMilli() + 1);
        long since = tr.okSinceMs() == null || tr.okSinceMs() > start ? start : tr.okSinceMs();
        if (t - since >= resolveAfterMs) {
            return new AfterSuccess(
                    resolved(
                            tr,
                            Instant.ofEpochMilli(t),
                            "successful mTLS between the pair for " + Duration.ofMillis(t - since)
                                    + " without failures (since " + Instant.ofEpochMilli(since) + ")",
                            wallMs),
                    true);
        }
        if (tr.okSinceMs() == null || since != tr.okSinceMs()) {
            return new AfterSuccess(tr.withOkSince(since), false);
        }
        return new AfterSuccess(null, false);
    }

    /**
     * What a one-sided finding says of its blind mesh: reporting for the key (seen within 10 minutes before
     * {@code t}) but showing no failure means blind, not healthy; otherwise not reporting at all.
     *
     * @param seenMs when the blind mesh last reported anything for {@code key}, or null
     */
    static String blindStatus(String key, String blindMesh, Long seenMs, long t) {
        if (seenMs != null && seenMs > t - Duration.ofMinutes(10).toMillis()) {
            return "mesh " + blindMesh + " reports for " + key
                    + " but showed no handshake failure: blind (listener access"
                    + " logs and ssl.* stats off or not scraped), not healthy";
        }
        if ("unknown".equals(blindMesh)) {
            return "the client's mesh is unknown: no client-side line of any reporting mesh matches";
        }
        return "mesh " + blindMesh + " is not reporting for " + key + " (no collector, or nothing published)";
    }

    /** What a sweep does with a finding. */
    enum Fate {
        KEEP,
        RESOLVE,
        REMOVE
    }

    /**
     * An open finding without failures for the quiet time resolves; a resolved one leaves after the retention.
     *
     * @param wallClock true when {@code now} is wall-clock time (compared with the last update), false for stream
     *     time (compared with the last failure)
     */
    static Fate fate(Tracked t, long now, boolean wallClock, long quietMs, long keepMs) {
        long ref = wallClock ? t.wallMs() : t.finding().lastSeen().toEpochMilli();
        if (t.finding().state() == FindingState.OPEN && now - ref > quietMs) {
            return Fate.RESOLVE;
        }
        if (t.finding().state() == FindingState.RESOLVED && now - ref > keepMs) {
            return Fate.REMOVE;
        }
        return Fate.KEEP;
    }
}
