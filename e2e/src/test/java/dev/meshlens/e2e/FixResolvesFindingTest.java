package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.fix.Fix;
import dev.meshlens.events.fix.FixPlan;
import dev.meshlens.events.fix.Fixes;
import dev.meshlens.events.fix.MeshFacts;
import dev.meshlens.query.trust.FixFacts;
import dev.meshlens.query.trust.InventoryBuilder;
import dev.meshlens.query.trust.TrustSettings;
import dev.meshlens.simulator.Envoy;
import dev.meshlens.simulator.Fault;
import dev.meshlens.simulator.Federation;
import dev.meshlens.simulator.FixApplier;
import dev.meshlens.simulator.SimLine;
import dev.meshlens.simulator.SimMesh;
import dev.meshlens.simulator.Traffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fix loop end to end, per category: a fault in the simulated federation → its Envoys' events
 * through the correlation topology → the finding opens → its fix is generated from the finding
 * and from the trust inventory built out of the meshes' own trust-bundle and /certs events (as the
 * query API builds it) → the simulator applies the fix by reading its resources → traffic goes on
 * → the same finding resolves.
 */
class FixResolvesFindingTest {
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    record Case(Fault fault, boolean istioClient, FailureCategory category) {}

    static final List<Case> CASES = List.of(
            new Case(Fault.SERVER_DISTRUSTS_CLIENT_ROOT, true, FailureCategory.UNTRUSTED_ROOT),
            new Case(Fault.CLIENT_DISTRUSTS_SERVER_ROOT, true, FailureCategory.UNTRUSTED_ROOT),
            new Case(Fault.CLIENT_EXPECTS_WRONG_SAN, true, FailureCategory.SAN_MISMATCH),
            new Case(Fault.SERVER_EXPECTS_WRONG_SAN, false, FailureCategory.SAN_MISMATCH),
            new Case(Fault.SERVER_CERT_EXPIRED, false, FailureCategory.CERT_EXPIRED),
            new Case(Fault.CLIENT_SENDS_NO_CERT, true, FailureCategory.CLIENT_CERT_MISSING),
            new Case(Fault.SERVER_PLAINTEXT, true, FailureCategory.PLAINTEXT_MISMATCH),
            new Case(Fault.CLIENT_TLS_TOO_OLD, false, FailureCategory.PROTOCOL_MISMATCH),
            new Case(Fault.GATEWAY_NO_ROUTE, true, FailureCategory.NO_ROUTE));

    @Test
    void everyCategorysFixResolvesItsFindingThroughTheCorrelator() throws Exception {
        assertTrue(
                CASES.stream().map(Case::category).distinct().count() == 7, "the 7 categories the simulator injects");
        List<String> problems = new ArrayList<>();
        for (Case c : CASES) {
            String p = run(c);
            System.out.println(c + " -> " + (p == null ? "resolved" : p));
            if (p != null) {
                problems.add(c + ": " + p);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void withoutTheFixTheSameFindingStaysOpen() throws Exception {
        String p = run(CASES.get(0), false);
        assertTrue(p != null && p.startsWith("still OPEN"), p);
    }

    static String run(Case c) throws Exception {
        return run(c, true);
    }

    /** Null when the finding opened and its fix resolved it, else what went wrong. */
    static String run(Case c, boolean applyFix) throws Exception {
        Federation fed = new Federation(3, "istio-east", "consul-dc1", START);
        Federation.Edge edge = fed.crossMeshEdges().stream()
                .filter(e -> (e.client().mesh() == fed.istio()) == c.istioClient())
                .filter(e -> c.fault() != Fault.GATEWAY_NO_ROUTE || e.gateway() != null)
                .findFirst()
                .orElseThrow();
        c.fault().apply(edge.client(), edge.server(), edge.gateway(), START);
        Traffic traffic = new Traffic(3);
        List<MeshEvent> events = new ArrayList<>();
        inventory(fed, traffic, START, events);
        Instant t = START;
        for (int i = 0; i < 10; i++, t = t.plusSeconds(2)) {
            call(traffic, edge, t, events);
        }
        poll(fed, traffic, t, events);
        Finding open = findingOf(CorrelationPipelineEvaluationTest.correlateEvents(sorted(events)), edge, c.category());
        if (open == null || open.state() != FindingState.OPEN) {
            return "no open " + c.category() + " finding for " + edge + " (got " + open + ")";
        }

        // the fix, from the finding and the inventory the meshes' own events give
        Map<String, MeshFacts> facts = FixFacts.of(
                new InventoryBuilder().addAll(events).build(),
                t,
                TrustSettings.defaults().staleAfter(),
                mesh -> null);
        FixPlan plan = Fixes.plan(open, facts);
        Fix fix = plan.options().stream()
                .filter(f -> !f.describedOnly())
                .findFirst()
                .orElse(null);
        if (fix == null) {
            return "only described steps: " + plan.recommended().steps();
        }
        if (applyFix) {
            FixApplier.apply(fix, fed, t);
        }
        inventory(fed, traffic, t, events);
        // the correlator resolves after resolve-after (default 5 min) of successes without a failure
        for (int i = 0; i < 190; i++, t = t.plusSeconds(2)) {
            call(traffic, edge, t, events);
            if (i % 10 == 0) {
                poll(fed, traffic, t, events);
            }
        }
        Finding after =
                findingOf(CorrelationPipelineEvaluationTest.correlateEvents(sorted(events)), edge, c.category());
        assertNotNull(after);
        assertEquals(open.id(), after.id());
        return after.state() == FindingState.RESOLVED
                ? null
                : "still " + after.state() + " after "
                        + fix.resources().stream().map(r -> r.kind()).toList();
    }

    static void call(Traffic traffic, Federation.Edge e, Instant t, List<MeshEvent> out) {
        for (SimLine l :
                traffic.call(e.client(), e.server(), e.gateway(), t, e.path()).lines()) {
            out.add(l.expected());
        }
    }

    static void inventory(Federation fed, Traffic traffic, Instant t, List<MeshEvent> out) {
        for (SimMesh m : fed.meshes()) {
            out.add(traffic.trustBundle(m, t).expected());
            for (Envoy e : m.envoys()) {
                out.add(traffic.certs(e, t).expected());
            }
        }
    }

    static void poll(Federation fed, Traffic traffic, Instant t, List<MeshEvent> out) {
        for (Envoy e : fed.envoys()) {
            traffic.pollStats(e, t).forEach(l -> out.add(l.expected()));
        }
    }

    static List<MeshEvent> sorted(List<MeshEvent> events) {
        List<MeshEvent> s = new ArrayList<>(events);
        s.sort(Comparator.comparing(MeshEvent::observedTime));
        return s;
    }

    static Finding findingOf(Map<String, Finding> findings, Federation.Edge e, FailureCategory c) {
        return findings.values().stream()
                .filter(f -> f.category() == c
                        && f.clientMesh().equals(e.client().mesh().id())
                        && f.serverMesh().equals(e.server().mesh().id())
                        && e.server().service().equals(f.serverService()))
                .findFirst()
                .orElse(null);
    }
}
