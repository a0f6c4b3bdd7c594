package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.correlator.PairingRules.Match;
import dev.meshlens.correlator.PairingRules.Pending;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pairing rules on their own: no store, no topology. */
class PairingRulesTest {
    static final long WINDOW = 5_000;
    static final String FRONTEND = "spiffe://cluster.local/ns/web/sa/frontend";

    static Half client(String id, long t, FailureCategory c, RejectedBy rb) {
        return new Half(
                id,
                "istio-east",
                "istio",
                true,
                t,
                t,
                c,
                rb,
                FRONTEND,
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

    static Half server(String id, long t, FailureCategory c, RejectedBy rb) {
        return new Half(
                id,
                "consul-dc1",
                "consul",
                false,
                t,
                t,
                c,
                rb,
                "ledger",
                FRONTEND,
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

    static Half stats(String id, long from, long to, Half.Unit... units) {
        return new Half(
                id,
                "consul-dc1",
                "consul",
                false,
                to,
                from,
                FailureCategory.UNKNOWN,
                RejectedBy.UNKNOWN,
                "ledger",
                null,
                null,
                null,
                null,
                false,
                true,
                List.of(units),
                false,
                "listener 0.0.0.0_20000",
                false,
                0);
    }

    static Pending pending(Half h) {
        return new Pending("k\u0000" + h.eventId(), h.timeMs(), h);
    }

    @Test
    void aClientPairsWithTheServerThatNamesTheSameCauseBeforeAMerelyCompatibleOne() {
        Half c = client("c", 10_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER);
        Pending generic = pending(server("s1", 10_000, FailureCategory.CERT_REJECTED, RejectedBy.SELF));
        Pending exact = pending(server("s2", 13_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF));
        Match m = PairingRules.bestServerFor(c, List.of(generic, exact), WINDOW);
        assertSame(exact, m.pending());
        assertNull(m.unit());
    }

    @Test
    void amongEqualCandidatesTheNearestInTimeWinsAndOneOutsideTheWindowNeverPairs() {
        Half c = client("c", 10_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER);
        Pending far = pending(server("far", 14_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF));
        Pending near = pending(server("near", 9_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF));
        Pending outside = pending(server("out", 16_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF));
        assertSame(
                near,
                PairingRules.bestServerFor(c, List.of(far, near, outside), WINDOW)
                        .pending());
        assertNull(PairingRules.bestServerFor(c, List.of(outside), WINDOW));
    }

    @Test
    void bothSidesRejectingIsNoPair() {
        Half c = client("c", 10_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF);
        Half s = server("s", 10_000, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF);
        assertNull(PairingRules.bestClientFor(s, List.of(pending(c))));
    }

    @Test
    void aCounterUnitStandsForTheServerOfAClientInItsInterval() {
        Half.Unit unit = new Half.Unit(FailureCategory.CERT_REJECTED, RejectedBy.SELF, "ssl.fail_verify_error", 2);
        Pending s = pending(stats("st", 5_000, 15_000, unit));
        Match m = PairingRules.bestServerFor(
                client("c", 10_000, FailureCategory.CERT_REJECTED, RejectedBy.PEER), List.of(s), WINDOW);
        assertEquals(unit, m.unit());
        Half left = PairingRules.consume(s.half(), m.unit());
        assertEquals(1, left.remaining());
    }

    @Test
    void aStatsHalfPairsExactCategoriesFirstAndEachClientOnce() {
        Half.Unit san = new Half.Unit(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "ssl.fail_verify_san", 1);
        Half s = stats("st", 5_000, 15_000, san);
        Pending older = pending(client("generic", 6_000, FailureCategory.CERT_REJECTED, RejectedBy.PEER));
        Pending exact = pending(client("exact", 9_000, FailureCategory.SAN_MISMATCH, RejectedBy.PEER));
        PairingRules.StatsPairing p = PairingRules.pairStats(s, List.of(older, exact));
        assertEquals(1, p.matches().size());
        assertSame(exact, p.matches().get(0).pending());
        assertEquals(0, p.left().remaining());
    }

    @Test
    void anOrdinaryConnectionLineOnlyExplainsAPlaintextRejection() {
        Half ordinary = new Half(
                "o",
                "istio-east",
                "istio",
                true,
                0,
                0,
                FailureCategory.UNKNOWN,
                RejectedBy.UNKNOWN,
                FRONTEND,
                null,
                null,
                null,
                null,
                false,
                false,
                List.of(),
                true,
                null,
                false,
                0);
        assertTrue(PairingRules.compatible(ordinary, FailureCategory.PLAINTEXT_MISMATCH, RejectedBy.SELF, null));
        assertFalse(PairingRules.compatible(ordinary, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null));
    }

    @Test
    void aServerThatSawAnotherClientIdentityIsNotThisClientsPeer() {
        Half c = client("c", 0, FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER);
        assertFalse(PairingRules.compatible(
                c, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "spiffe://cluster.local/ns/web/sa/other"));
        assertTrue(PairingRules.compatible(c, FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, FRONTEND));
    }

    @Test
    void aGenericHalfFoldsIntoAnOpenSpecificFindingOfTheSamePairOnly() {
        Finding open = finding(FailureCategory.UNTRUSTED_ROOT, FindingState.OPEN, FRONTEND);
        Half generic = client("g", 20_000, FailureCategory.CERT_REJECTED, RejectedBy.PEER);
        assertTrue(PairingRules.foldsInto(
                open, "istio-east", FRONTEND, FailureCategory.CERT_REJECTED, RejectedBy.PEER, generic, 25_000));
        assertFalse(
                PairingRules.foldsInto(
                        open,
                        "istio-east",
                        "spiffe://cluster.local/ns/web/sa/other",
                        FailureCategory.CERT_REJECTED,
                        RejectedBy.PEER,
                        generic,
                        25_000),
                "another client");
        Finding genericFinding = finding(FailureCategory.CERT_REJECTED, FindingState.OPEN, FRONTEND);
        assertFalse(
                PairingRules.foldsInto(
                        genericFinding,
                        "istio-east",
                        FRONTEND,
                        FailureCategory.CERT_REJECTED,
                        RejectedBy.PEER,
                        generic,
                        25_000),
                "a generic finding names no cause to fold into");
    }

    static Finding finding(FailureCategory category, FindingState state, String clientIdentity) {
        Instant t = Instant.ofEpochMilli(10_000);
        return new Finding(
                1,
                "id",
                category,
                "istio-east",
                clientIdentity,
                "consul-dc1",
                "ledger",
                null,
                RejectedBy.PEER,
                "",
                t,
                t,
                1,
                state,
                false,
                null,
                List.of(),
                "",
                Map.of(),
                List.of());
    }
}
