package dev.meshlens.events.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixPlanTest {
    static final Map<String, String> NONE = Map.of();

    /** Every plan for every category, direction and pair of kinds. */
    static List<FixPlan> allPlans() {
        List<FixPlan> out = new ArrayList<>();
        for (FailureCategory c : FailureCategory.values()) {
            for (RejectedBy by : RejectedBy.values()) {
                for (boolean istioClient : new boolean[] {true, false}) {
                    out.add(Fixes.plan(
                            FixFixtures.finding(
                                    c,
                                    by,
                                    istioClient,
                                    Map.of(
                                            "presented_spiffe_id",
                                            istioClient ? FixFixtures.LEDGER : FixFixtures.INFO,
                                            "sni",
                                            "ledger.service.consul")),
                            FixFixtures.meshes()));
                }
            }
        }
        return out;
    }

    @Test
    void everyGeneratedResourceIsValidForItsMesh() {
        List<String> problems = new ArrayList<>();
        int resources = 0;
        for (FixPlan p : allPlans()) {
            for (Fix f : p.options()) {
                for (Resource r : f.resources()) {
                    resources++;
                    ResourceChecks.problems(r)
                            .forEach(x -> problems.add(
                                    p.findingId() + " " + r.kind() + " " + r.name() + ": " + x + "\n" + r.text()));
                }
            }
        }
        assertTrue(resources > 40, "resources generated: " + resources);
        assertEquals(List.of(), problems);
    }

    @Test
    void everyCategoryHasAFixNamingMeshTeamAndWhy() {
        for (FixPlan p : allPlans()) {
            assertFalse(p.options().isEmpty(), p.findingId());
            for (Fix f : p.options()) {
                assertTrue(
                        f.mesh().equals("istio-east") || f.mesh().equals("consul-dc1"), p.findingId() + " " + f.mesh());
                assertEquals(f.mesh().equals("istio-east") ? "team-web" : "team-ledger", f.team(), p.findingId());
                assertFalse(f.why().isBlank(), p.findingId());
                assertTrue(!f.resources().isEmpty() || !f.steps().isEmpty(), p.findingId() + " has neither");
            }
        }
    }

    @Test
    void categoriesWithAConfigurationFixGetResources() {
        for (FailureCategory c : List.of(
                FailureCategory.UNTRUSTED_ROOT,
                FailureCategory.SAN_MISMATCH,
                FailureCategory.CERT_EXPIRED,
                FailureCategory.CLIENT_CERT_MISSING,
                FailureCategory.PLAINTEXT_MISMATCH,
                FailureCategory.PROTOCOL_MISMATCH,
                FailureCategory.NO_ROUTE)) {
            FixPlan p = Fixes.plan(
                    FixFixtures.finding(c, RejectedBy.SELF, true, Map.of("presented_spiffe_id", FixFixtures.LEDGER)),
                    FixFixtures.meshes());
            assertTrue(p.options().stream().anyMatch(f -> !f.resources().isEmpty()), c + " has no resource");
        }
        for (FailureCategory c : List.of(
                FailureCategory.CERT_REJECTED,
                FailureCategory.TRUST_CONFIG_ERROR,
                FailureCategory.UPSTREAM_CONNECT_FAILURE,
                FailureCategory.UNKNOWN)) {
            FixPlan p = Fixes.plan(FixFixtures.finding(c, RejectedBy.PEER, true, NONE), FixFixtures.meshes());
            assertTrue(p.recommended().describedOnly(), c + " is a described step");
        }
    }

    @Test
    void istioVerifierGetsTheClientMeshRootInMeshConfig() {
        FixPlan p = Fixes.plan(
                FixFixtures.finding(FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, false, NONE),
                FixFixtures.meshes());
        Fix f = p.recommended();
        assertEquals("istio-east", f.mesh());
        Resource mc = f.resources().get(0);
        assertEquals("MeshConfig", mc.kind());
        Map<String, Object> doc = ResourceChecks.parse(mc);
        @SuppressWarnings("unchecked")
        var certs = (List<Map<String, Object>>) ((Map<String, Object>) doc.get("meshConfig")).get("caCertificates");
        assertEquals(FixFixtures.CONSUL_ROOT.pem(), certs.get(0).get("pem"));
        assertEquals(List.of(FixFixtures.CONSUL_TD), certs.get(0).get("trustDomains"));
    }

    @Test
    void consulVerifierGetsThePemAndADescribedCrossSigningStep() {
        FixPlan p = Fixes.plan(
                FixFixtures.finding(FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, true, NONE), FixFixtures.meshes());
        Fix f = p.recommended();
        assertEquals("consul-dc1", f.mesh());
        assertEquals(FixFixtures.ISTIO_ROOT.pem(), f.resources().get(0).text());
        assertTrue(f.steps().get(0).contains("private key"), f.steps().toString());
    }

    @Test
    void namedMissingRootIsTheOneOffered() {
        var other = FixFixtures.root("CN=other", "0123456789abcdef01", "consul-root.pem");
        Map<String, MeshFacts> meshes = new HashMap<>(FixFixtures.meshes());
        meshes.put(
                "istio-east",
                new MeshFacts(
                        "istio-east", "istio", FixFixtures.ISTIO_TD, null, List.of(other, FixFixtures.ISTIO_ROOT)));
        FixPlan p = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.PEER,
                        true,
                        Map.of("missing_root_sha256", "d1104cda00000000")),
                meshes);
        // the named fingerprint is not in the inventory: both roots with a PEM are offered, and the name is kept
        assertEquals(
                FixFixtures.CONSUL_ROOT.pem() + FixFixtures.ISTIO_ROOT.pem(),
                p.recommended().resources().get(0).text());
        FixPlan exact = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.PEER,
                        true,
                        Map.of("missing_root_sha256", "0123456789abcdef01")),
                meshes);
        assertEquals(other.pem(), exact.recommended().resources().get(0).text());
    }

    @Test
    void sanMismatchExpectsThePresentedIdentity() {
        FixPlan p = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.SAN_MISMATCH,
                        RejectedBy.SELF,
                        true,
                        Map.of("presented_spiffe_id", FixFixtures.LEDGER)),
                FixFixtures.meshes());
        Resource dr = p.recommended().resources().get(0);
        assertEquals("DestinationRule", dr.kind());
        assertEquals("web", dr.namespace());
        Map<String, Object> doc = ResourceChecks.parse(dr);
        assertTrue(
                dr.text().contains("- " + "\"" + FixFixtures.LEDGER + "\"")
                        || dr.text().contains(FixFixtures.LEDGER),
                dr.text());
        @SuppressWarnings("unchecked")
        var tls = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("trafficPolicy")).get("tls");
        assertEquals(List.of(FixFixtures.LEDGER), tls.get("subjectAltNames"));
        assertEquals("ledger.service.consul", ((Map<?, ?>) doc.get("spec")).get("host"));
    }

    @Test
    void clientCertMissingOffersMutualTlsThenADeliberatePermissivePort() {
        FixPlan p = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.CLIENT_CERT_MISSING, RejectedBy.PEER, false, Map.of("server_port", "8080")),
                FixFixtures.meshes());
        assertEquals("consul-dc1", p.options().get(0).mesh());
        assertEquals("service-defaults", p.options().get(0).resources().get(0).kind());
        Resource pa = p.options().get(1).resources().get(0);
        assertEquals("PeerAuthentication", pa.kind());
        assertTrue(pa.text().contains("PERMISSIVE") && pa.text().contains("\"8080\""), pa.text());
    }

    @Test
    void counterOnlyFindingsAskForTheClientFirst() {
        FixPlan p = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.SAN_MISMATCH,
                        RejectedBy.PEER,
                        true,
                        Map.of("counter_only", "true", "place", "listener 0.0.0.0_15006")),
                FixFixtures.meshes());
        assertTrue(p.recommended().describedOnly());
        assertTrue(p.recommended().steps().get(0).contains("listener 0.0.0.0_15006"));
    }

    @Test
    void unknownMeshKindGetsDescribedSteps() {
        Map<String, MeshFacts> meshes =
                Map.of("istio-east", MeshFacts.unknown("istio-east"), "consul-dc1", MeshFacts.unknown("consul-dc1"));
        FixPlan p = Fixes.plan(FixFixtures.finding(FailureCategory.NO_ROUTE, RejectedBy.PEER, true, NONE), meshes);
        assertTrue(p.recommended().describedOnly());
        // the finding's own details name the kinds when the inventory does not
        FixPlan k = Fixes.plan(
                FixFixtures.finding(
                        FailureCategory.NO_ROUTE, RejectedBy.PEER, true, Map.of("server_mesh_kind", "consul")),
                meshes);
        assertEquals("ingress-gateway", k.recommended().resources().get(0).kind());
    }

    @Test
    void twoConsulMeshesPeerAndTheServerExportsTheService() {
        Map<String, MeshFacts> meshes = new HashMap<>(FixFixtures.meshes());
        meshes.put("istio-east", new MeshFacts("istio-east", "consul", "other.consul", "team-web", List.of()));
        FixPlan p =
                Fixes.plan(FixFixtures.finding(FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, true, NONE), meshes);
        Fix f = p.recommended();
        assertEquals("consul-dc1", f.mesh());
        Resource exported = f.resources().get(0);
        assertEquals("exported-services", exported.kind());
        assertEquals(List.of(), ResourceChecks.problems(exported));
        assertTrue(exported.text().contains("\"Peer\" : \"istio-east\""), exported.text());
        assertTrue(
                f.steps().get(0).contains("consul peering generate-token -name istio-east"),
                f.steps().toString());
        assertTrue(f.steps().get(0).contains("secret"), f.steps().toString());
    }
}
