package dev.meshlens.correlator;

import static dev.meshlens.correlator.PairingRulesTest.client;
import static dev.meshlens.correlator.PairingRulesTest.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.correlator.FindingLedger.Fate;
import dev.meshlens.correlator.FindingLedger.Kind;
import dev.meshlens.correlator.FindingLedger.Observation;
import dev.meshlens.correlator.FindingLedger.Parties;
import dev.meshlens.correlator.FindingLedger.Recorded;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A finding's life as pure state transitions: tracked state + observation → next state. */
class FindingLedgerTest {
    static final long WINDOW = 5_000;
    static final long HORIZON = 25_000;
    static final Parties PARTIES =
            new Parties("istio-east", PairingRulesTest.FRONTEND, "istio", "consul-dc1", "ledger", null, "consul");

    static Observation observe(Half c, Half s, Kind kind) {
        return new Observation(
                c,
                s,
                null,
                kind,
                1,
                FailureCategory.UNTRUSTED_ROOT,
                RejectedBy.PEER,
                PARTIES,
                "f1",
                Map.of(),
                null,
                "mesh consul-dc1 is not reporting for ledger",
                0);
    }

    static Half c(long t) {
        return client("c" + t, t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER);
    }

    static Half s(long t) {
        return server("s" + t, t, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF);
    }

    @Test
    void aPairOpensAFindingSeenByBothSides() {
        Recorded r = FindingLedger.record(null, observe(c(10_000), s(10_500), Kind.PAIR), WINDOW, HORIZON);
        Finding f = r.tracked().finding();
        assertEquals(1, r.counted());
        assertEquals(1, f.count());
        assertEquals(FindingState.OPEN, f.state());
        assertFalse(f.oneSided());
        assertEquals("1", f.details().get("paired_count"));
        assertEquals("failure seen by both sides", f.history().get(0).reason());
        assertEquals(2, f.evidenceIds().size());
    }

    @Test
    void aOneSidedFindingSaysWhichSideIsBlind() {
        Finding f = FindingLedger.record(null, observe(c(10_000), null, Kind.CLIENT_ONLY), WINDOW, HORIZON)
                .tracked()
                .finding();
        assertTrue(f.oneSided());
        assertEquals("consul-dc1", f.blindSide());
        assertEquals("mesh consul-dc1 is not reporting for ledger", f.details().get("blind_side_status"));
    }

    @Test
    void theLateServerTwinOfAOneSidedClientHalfCountsNoSecondFailure() {
        Tracked once = FindingLedger.record(null, observe(c(10_000), null, Kind.CLIENT_ONLY), WINDOW, HORIZON)
                .tracked();
        Recorded twin = FindingLedger.record(once, observe(null, s(12_000), Kind.SERVER_ONLY), WINDOW, HORIZON);
        assertEquals(0, twin.counted());
        assertEquals(1, twin.tracked().finding().count());
        Recorded other =
                FindingLedger.record(twin.tracked(), observe(null, s(40_000), Kind.SERVER_ONLY), WINDOW, HORIZON);
        assertEquals(1, other.counted(), "outside the window: a failure of its own");
        assertEquals(2, other.tracked().finding().count());
    }

    @Test
    void aFailureAfterResolutionReopensTheFindingAndOneFromBeforeItDoesNot() {
        Tracked open = FindingLedger.record(null, observe(c(10_000), s(10_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        Tracked resolved = FindingLedger.resolved(open, Instant.ofEpochMilli(20_000), "quiet", 0);
        assertEquals(FindingState.RESOLVED, resolved.finding().state());
        Tracked late = FindingLedger.record(resolved, observe(c(15_000), s(15_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        assertEquals(FindingState.RESOLVED, late.finding().state(), "a late record from before the resolution");
        assertEquals(2, late.finding().count());
        Tracked again = FindingLedger.record(late, observe(c(30_000), s(30_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        assertEquals(FindingState.OPEN, again.finding().state());
        assertEquals(
                "failures again after resolution",
                again.finding().history().getLast().reason());
    }

    @Test
    void successesResolveOnlyOnceTheirRunHasLastedResolveAfter() {
        Tracked open = FindingLedger.record(null, observe(c(10_000), s(10_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        FindingLedger.AfterSuccess first = FindingLedger.success(open, 11_000, 11_000, 60_000, 0);
        assertFalse(first.publish());
        assertEquals(11_000L, first.tracked().okSinceMs(), "the run starts");
        assertNull(
                FindingLedger.success(first.tracked(), 12_000, 12_000, 60_000, 0)
                        .tracked(),
                "the run goes on: nothing to write");
        FindingLedger.AfterSuccess done = FindingLedger.success(first.tracked(), 71_000, 71_000, 60_000, 0);
        assertTrue(done.publish());
        assertEquals(FindingState.RESOLVED, done.tracked().finding().state());
    }

    @Test
    void aFailureInsideARunOfSuccessesBreaksIt() {
        Tracked open = FindingLedger.record(null, observe(c(10_000), s(10_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        Tracked running = FindingLedger.success(open, 11_000, 11_000, 60_000, 0).tracked();
        Tracked broken = FindingLedger.record(running, observe(c(20_000), s(20_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        assertNull(broken.okSinceMs());
    }

    @Test
    void sweepsResolveQuietFindingsAndDropResolvedOnesAfterRetention() {
        Tracked open = FindingLedger.record(null, observe(c(10_000), s(10_000), Kind.PAIR), WINDOW, HORIZON)
                .tracked();
        assertEquals(Fate.KEEP, FindingLedger.fate(open, 20_000, false, 30_000, 60_000));
        assertEquals(Fate.RESOLVE, FindingLedger.fate(open, 50_000, false, 30_000, 60_000));
        Tracked resolved = FindingLedger.resolved(open, Instant.ofEpochMilli(40_000), "quiet", 0);
        assertEquals(Fate.KEEP, FindingLedger.fate(resolved, 50_000, false, 30_000, 60_000));
        assertEquals(Fate.REMOVE, FindingLedger.fate(resolved, 80_000, false, 30_000, 60_000));
    }

    @Test
    void aBlindMeshIsOneThatReportsButShowedNoFailure() {
        assertTrue(FindingLedger.blindStatus("ledger", "consul-dc1", 9_000L, 10_000)
                .contains("blind"));
        assertTrue(
                FindingLedger.blindStatus("ledger", "consul-dc1", null, 10_000).contains("is not reporting"));
    }
}
