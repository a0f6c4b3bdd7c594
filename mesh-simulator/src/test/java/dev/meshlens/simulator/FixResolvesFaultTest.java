package dev.meshlens.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.fix.Fix;
import dev.meshlens.events.fix.FixPlan;
import dev.meshlens.events.fix.Fixes;
import dev.meshlens.events.fix.MeshFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every fault, on a cross-mesh edge in each direction: the handshake fails with the fault's
 * category (real verification), the fix generated for that finding is applied to the simulated
 * meshes by reading its resources, and the handshake succeeds again. Where a mesh kind has no
 * configuration for a direction (Consul admitting a foreign identity), the fix is a described step
 * and the test says so instead of applying anything.
 */
class FixResolvesFaultTest {
    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    record Outcome(
            Fault fault,
            String edge,
            FailureCategory category,
            String fixMesh,
            List<String> applied,
            boolean resolved,
            boolean describedOnly) {}

    static Outcome run(Fault fault, boolean istioClient) {
        Federation fed = new Federation(7, "istio-east", "consul-dc1", NOW);
        Federation.Edge edge = fed.crossMeshEdges().stream()
                .filter(e -> (e.client().mesh() == fed.istio()) == istioClient)
                .filter(e -> fault != Fault.GATEWAY_NO_ROUTE || e.gateway() != null)
                .findFirst()
                .orElseThrow();
        fault.apply(edge.client(), edge.server(), edge.gateway(), NOW);
        Instant t = NOW.plusSeconds(1);
        Handshake.Result failed = Handshake.decide(edge.client(), edge.server(), edge.gateway(), t);
        assertFalse(failed.success(), fault + " on " + edge + " fails");
        Finding finding = finding(failed, edge);
        FixPlan plan = Fixes.plan(finding, facts(fed));
        Fix fix = plan.options().stream()
                .filter(f -> !f.describedOnly())
                .findFirst()
                .orElse(null);
        if (fix == null) {
            return new Outcome(
                    fault,
                    edge.toString(),
                    failed.category(),
                    plan.recommended().mesh(),
                    List.of(),
                    false,
                    true);
        }
        Instant later = t.plus(Duration.ofMinutes(1));
        List<String> applied = FixApplier.apply(fix, fed, later);
        Handshake.Result after = Handshake.decide(edge.client(), edge.server(), edge.gateway(), later.plusSeconds(1));
        return new Outcome(fault, edge.toString(), failed.category(), fix.mesh(), applied, after.success(), false);
    }

    /** What the correlator reports for this handshake: category, direction, identities and kinds. */
    static Finding finding(Handshake.Result r, Federation.Edge e) {
        Map<String, String> d = new HashMap<>();
        d.put("client_mesh_kind", e.client().mesh().kind().wireName());
        d.put("server_mesh_kind", e.server().mesh().kind().wireName());
        if (r.category() == FailureCategory.SAN_MISMATCH) {
            d.put(
                    "presented_spiffe_id",
                    r.rejectedBy() == RejectedBy.SELF
                            ? Pki.uriSan(e.server().leaf())
                            : Pki.uriSan(e.client().leaf()));
        }
        return new Finding(
                1,
                "f",
                r.category(),
                e.client().mesh().id(),
                e.client().identity(),
                e.server().mesh().id(),
                e.server().service(),
                e.server().identity(),
                r.rejectedBy(),
                r.why(),
                NOW,
                NOW,
                1,
                FindingState.OPEN,
                false,
                null,
                List.of(),
                null,
                d,
                List.of());
    }

    /** The inventory's view: kind, trust domain and the public root (with PEM) that signs each mesh. */
    static Map<String, MeshFacts> facts(Federation fed) {
        Map<String, MeshFacts> out = new HashMap<>();
        for (SimMesh m : fed.meshes()) {
            TrustBundle.Root own = Pki.bundle(m.id(), m.trustDomain(), "test", List.of(m.ca().root()))
                    .roots()
                    .get(0);
            out.put(m.id(), new MeshFacts(m.id(), m.kind().wireName(), m.trustDomain(), null, List.of(own)));
        }
        return out;
    }

    @Test
    void everyFaultsFixResolvesItsHandshake() {
        List<Outcome> outcomes = new ArrayList<>();
        for (Fault f : Fault.values()) {
            for (boolean istioClient : new boolean[] {true, false}) {
                if (f == Fault.GATEWAY_NO_ROUTE && !istioClient) {
                    continue; // only the Consul mesh has a gateway in the federation
                }
                outcomes.add(run(f, istioClient));
            }
        }
        List<String> unresolved = new ArrayList<>();
        Set<FailureCategory> resolvedCategories = EnumSet.noneOf(FailureCategory.class);
        for (Outcome o : outcomes) {
            System.out.println(o.fault() + " on " + o.edge() + " -> " + o.category() + ", fix by " + o.fixMesh() + ": "
                    + (o.describedOnly()
                            ? "described only"
                            : o.applied() + (o.resolved() ? " RESOLVED" : " STILL FAILING")));
            if (o.resolved()) {
                resolvedCategories.add(o.category());
            } else if (!o.describedOnly()) {
                unresolved.add(o.fault() + " on " + o.edge());
            }
        }
        assertEquals(List.of(), unresolved, "an applied fix left the handshake failing");
        assertEquals(
                EnumSet.of(
                        FailureCategory.UNTRUSTED_ROOT,
                        FailureCategory.SAN_MISMATCH,
                        FailureCategory.CERT_EXPIRED,
                        FailureCategory.CLIENT_CERT_MISSING,
                        FailureCategory.PLAINTEXT_MISMATCH,
                        FailureCategory.PROTOCOL_MISMATCH,
                        FailureCategory.NO_ROUTE),
                resolvedCategories,
                "every category the simulator can inject is resolved by its fix");
        // the only described-only case: Consul cannot admit a foreign SPIFFE ID by configuration
        List<String> described = outcomes.stream()
                .filter(Outcome::describedOnly)
                .map(o -> o.fault() + " " + o.fixMesh())
                .toList();
        assertEquals(List.of("SERVER_EXPECTS_WRONG_SAN consul-dc1"), described);
    }

    @Test
    void theDeliberatePermissiveAlternativeResolvesTooOnBothKinds() {
        for (Fault fault : List.of(Fault.CLIENT_SENDS_NO_CERT, Fault.CLIENT_PLAINTEXT)) {
            for (boolean istioClient : new boolean[] {true, false}) {
                Federation fed = new Federation(7, "istio-east", "consul-dc1", NOW);
                Federation.Edge edge = fed.crossMeshEdges().stream()
                        .filter(e -> (e.client().mesh() == fed.istio()) == istioClient)
                        .findFirst()
                        .orElseThrow();
                fault.apply(edge.client(), edge.server(), edge.gateway(), NOW);
                Handshake.Result failed = Handshake.decide(edge.client(), edge.server(), edge.gateway(), NOW);
                FixPlan plan = Fixes.plan(finding(failed, edge), facts(fed));
                Fix permissive = plan.options().get(1);
                assertEquals(edge.server().mesh().id(), permissive.mesh(), fault + " " + edge);
                FixApplier.apply(permissive, fed, NOW);
                assertTrue(
                        Handshake.decide(edge.client(), edge.server(), edge.gateway(), NOW)
                                .success(),
                        fault + " " + edge);
            }
        }
    }

    @Test
    void aFixForTheOtherMeshDoesNotResolve() {
        // honesty check: applying the Istio mesh's trust fix when Consul is the verifier changes nothing
        Federation fed = new Federation(7, "istio-east", "consul-dc1", NOW);
        Federation.Edge edge = fed.crossMeshEdges().stream()
                .filter(e -> e.client().mesh() == fed.istio())
                .findFirst()
                .orElseThrow();
        Fault.SERVER_DISTRUSTS_CLIENT_ROOT.apply(edge.client(), edge.server(), edge.gateway(), NOW);
        Handshake.Result failed = Handshake.decide(edge.client(), edge.server(), edge.gateway(), NOW);
        Finding wrongSide = finding(failed, edge);
        Finding asIfClientRejected = new Finding(
                1,
                "f",
                wrongSide.category(),
                wrongSide.clientMesh(),
                wrongSide.clientIdentity(),
                wrongSide.serverMesh(),
                wrongSide.serverService(),
                wrongSide.serverIdentity(),
                RejectedBy.SELF,
                null,
                NOW,
                NOW,
                1,
                FindingState.OPEN,
                false,
                null,
                List.of(),
                null,
                wrongSide.details(),
                List.of());
        Fix fix = Fixes.plan(asIfClientRejected, facts(fed)).recommended();
        assertEquals("istio-east", fix.mesh());
        FixApplier.apply(fix, fed, NOW);
        assertFalse(Handshake.decide(edge.client(), edge.server(), edge.gateway(), NOW)
                .success());
        assertTrue(Fixes.plan(wrongSide, facts(fed)).recommended().mesh().equals("consul-dc1"));
    }
}
