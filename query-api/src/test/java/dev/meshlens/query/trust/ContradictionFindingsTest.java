package dev.meshlens.query.trust;

import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL;
import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL_ROOT;
import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO;
import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO_ROOT;
import static dev.meshlens.query.trust.TrustMatrixTest.NOW;
import static dev.meshlens.query.trust.TrustMatrixTest.SETTINGS;
import static dev.meshlens.query.trust.TrustMatrixTest.days;
import static dev.meshlens.query.trust.TrustMatrixTest.federated;
import static dev.meshlens.query.trust.TrustMatrixTest.untrustedRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.fix.FixPlan;
import dev.meshlens.events.fix.Fixes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The matrix's contradictions as findings: opened with the cell as evidence, kept while the
 * contradiction lasts, resolved when it is gone, reopened when it comes back, and a fix that sends
 * the verifier mesh to find out which side is wrong.
 */
class ContradictionFindingsTest {

    /** consul-dc1 imported istio-east's root an hour ago, yet consul-dc1's servers still reject istio's clients. */
    static List<MeshEvent> fixedAnHourAgo() {
        List<MeshEvent> ev = federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        ev.add(TestPki.bundle(
                CONSUL, MeshKind.CONSUL, "1111-2222.consul", NOW.minus(1, ChronoUnit.HOURS), CONSUL_ROOT, ISTIO_ROOT));
        return ev;
    }

    static TrustMatrix at(Instant now, List<MeshEvent> ev, Traffic t) {
        return TrustMatrix.compute(new InventoryBuilder().addAll(ev).build(), t, now, SETTINGS);
    }

    static Traffic failing(Instant last) {
        return new Traffic(List.of(), List.of(untrustedRoot("ur-1", ISTIO, CONSUL, RejectedBy.PEER, last)));
    }

    static Map<String, Finding> stored(List<Finding> written, Map<String, Finding> before) {
        Map<String, Finding> m = new HashMap<>(before);
        // through the wire form, as the writer reads them back from the findings index
        written.forEach(f ->
                m.put(f.id(), EventCodec.get().decodeFinding(EventCodec.get().encodeFinding(f))));
        return m;
    }

    @Test
    void aTrustedCellWithAnOpenUntrustedRootFindingBecomesAFindingWithTheCellAsEvidence() {
        TrustMatrix m = at(NOW, fixedAnHourAgo(), failing(NOW.minusSeconds(30)));
        List<Finding> out = ContradictionFindings.next(m, Map.of());
        assertEquals(1, out.size(), out.toString());
        Finding f = out.get(0);
        assertEquals(FailureCategory.TRUST_CONTRADICTION, f.category());
        assertEquals(FindingState.OPEN, f.state());
        assertEquals(ISTIO, f.clientMesh());
        assertEquals(CONSUL, f.serverMesh());
        assertEquals(RejectedBy.PEER, f.rejectedBy(), "the server's mesh verifies");
        assertEquals(m.contradictions().get(0).id(), f.id(), "the contradiction's stable id");
        assertEquals(NOW.minus(1, ChronoUnit.HOURS), f.firstSeen(), "since the cell became trusted");
        assertEquals(NOW.minusSeconds(30), f.lastSeen(), "the newest contradicting failure");
        assertEquals(1, f.count());
        assertEquals("trusted_but_untrusted_root_finding", f.details().get("contradiction_kind"));
        assertEquals(CONSUL, f.details().get("verifier_mesh"));
        assertEquals("trusted", f.details().get("cell_state"));
        assertEquals("ur-1", f.details().get("contradicting_findings"));
        assertTrue(
                f.details().get("roots").contains(ISTIO_ROOT.sha256().substring(0, 12)),
                f.details().toString());
        assertTrue(
                f.details().get("roots").contains(" in " + CONSUL + "'s bundle"),
                f.details().toString());
        assertTrue(f.direction().contains("mesh " + CONSUL + " trusts the roots of mesh " + ISTIO), f.direction());
        assertEquals(1, f.history().size());
    }

    @Test
    void anUnchangedContradictionIsNotWrittenAgainAndKeepsItsFirstSeen() {
        TrustMatrix m = at(NOW, fixedAnHourAgo(), failing(NOW.minusSeconds(30)));
        Map<String, Finding> stored = stored(ContradictionFindings.next(m, Map.of()), Map.of());
        assertEquals(
                List.of(),
                ContradictionFindings.next(
                        at(NOW.plusSeconds(60), fixedAnHourAgo(), failing(NOW.minusSeconds(30))), stored));

        List<Finding> later = ContradictionFindings.next(
                at(NOW.plusSeconds(60), fixedAnHourAgo(), failing(NOW.plusSeconds(50))), stored);
        assertEquals(1, later.size());
        assertEquals(NOW.minus(1, ChronoUnit.HOURS), later.get(0).firstSeen());
        assertEquals(NOW.plusSeconds(50), later.get(0).lastSeen());
        assertEquals(1, later.get(0).history().size(), "still open: no new state change");
    }

    @Test
    void aContradictionThatIsGoneIsResolvedAndOneThatComesBackIsReopenedWithANewerVersion() {
        List<Finding> opened =
                ContradictionFindings.next(at(NOW, fixedAnHourAgo(), failing(NOW.minusSeconds(30))), Map.of());
        Map<String, Finding> stored = stored(opened, Map.of());

        // the UNTRUSTED_ROOT finding resolved: matrix and traffic agree
        Instant later = NOW.plusSeconds(600);
        List<Finding> resolved = ContradictionFindings.next(at(later, fixedAnHourAgo(), Traffic.none()), stored);
        assertEquals(1, resolved.size());
        Finding r = resolved.get(0);
        assertEquals(opened.get(0).id(), r.id());
        assertEquals(FindingState.RESOLVED, r.state());
        assertEquals(later, r.history().get(r.history().size() - 1).at());
        stored = stored(resolved, stored);
        assertEquals(
                List.of(),
                ContradictionFindings.next(at(later.plusSeconds(60), fixedAnHourAgo(), Traffic.none()), stored),
                "a resolved contradiction is not resolved again");

        Instant again = later.plusSeconds(600);
        List<Finding> reopened =
                ContradictionFindings.next(at(again, fixedAnHourAgo(), failing(again.minusSeconds(5))), stored);
        assertEquals(1, reopened.size());
        Finding o = reopened.get(0);
        assertEquals(FindingState.OPEN, o.state());
        assertEquals(3, o.history().size(), o.history().toString());
        assertEquals(again, o.history().get(2).at(), "so the index's newest-version-wins rule takes it");
        assertEquals(NOW.minus(1, ChronoUnit.HOURS), o.firstSeen());
    }

    @Test
    void aNotTrustedCellWhileMtlsSucceedsIsAFindingCountingTheSuccesses() {
        List<MeshEvent> ev = federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        TrustMatrix m = at(
                NOW,
                ev,
                new Traffic(List.of(new Traffic.PairSuccess(ISTIO, CONSUL, 5, NOW.minusSeconds(10))), List.of()));
        List<Finding> out = ContradictionFindings.next(m, Map.of());
        assertEquals(1, out.size(), out.toString());
        Finding f = out.get(0);
        assertEquals("not_trusted_but_succeeded", f.details().get("contradiction_kind"));
        assertEquals("5", f.details().get("successes"));
        assertEquals(5, f.count());
        assertEquals(NOW.minusSeconds(10), f.lastSeen());
        assertTrue(
                f.details().get("roots").contains(" not in " + CONSUL + "'s bundle"),
                f.details().toString());
    }

    @Test
    void theFixSendsTheVerifierMeshToCompareWhatItsProxiesLoadWithTheBundleMeshlensReads() {
        Finding f = ContradictionFindings.next(at(NOW, fixedAnHourAgo(), failing(NOW.minusSeconds(30))), Map.of())
                .get(0);
        FixPlan p = Fixes.plan(f, Map.of());
        assertEquals(1, p.options().size());
        assertEquals(CONSUL, p.options().get(0).mesh(), "the verifier acts");
        assertTrue(p.options().get(0).describedOnly(), "no configuration until it is known which side is wrong");
        assertTrue(
                p.options().get(0).steps().get(0).contains("/certs"),
                p.options().get(0).steps().toString());
    }
}
