package dev.meshlens.query.trust;

import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL;
import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL_INT;
import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL_ROOT;
import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO;
import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO_ROOT;
import static dev.meshlens.query.trust.TrustMatrixTest.NOW;
import static dev.meshlens.query.trust.TrustMatrixTest.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What-if over the federated baseline of {@link TrustMatrixTest}, through the same parsing as the API. */
class WhatIfTest {
    static final TrustSettings S = TrustSettings.defaults();

    static TrustInventory inv(List<MeshEvent> ev) {
        return new InventoryBuilder().addAll(ev).build();
    }

    static WhatIf ask(TrustInventory inv, String json) throws Exception {
        JsonNode body = TrustJson.mapper().readTree(json);
        return WhatIf.run(inv, TrustJson.changes(body, fp -> WhatIf.findRoot(inv, NOW, S, fp)), NOW, S);
    }

    @Test
    void rotatingToARootNoPeerHoldsBreaksEveryPeerVerifyingThatMesh() throws Exception {
        TestPki.Ca fresh = TestPki.root("CN=Istio Root 3,O=east", days(-1), days(3650));
        String pem = TrustJson.mapper().writeValueAsString(fresh.pem());
        WhatIf w = ask(
                inv(TrustMatrixTest.federated()),
                "{\"rotate\": {\"mesh\": \"istio-east\", \"root_pem\": " + pem + "}}");
        assertTrue(
                w.changes().get(0).startsWith("mesh istio-east rotates its signing root to"),
                w.changes().toString());
        assertEquals(2, w.breaks().size(), w.breaks().toString());
        for (Break b : w.breaks()) {
            assertEquals(CONSUL, b.verifierMesh());
            assertEquals(ISTIO, b.presenterMesh());
            assertEquals(CellState.NOT_TRUSTED, b.after());
            assertTrue(b.why().contains("lacks root") && b.why().contains("Istio Root 3"), b.why());
        }
        assertEquals(4, w.cells());
        // the same rotation once consul-dc1 imported the root first: nothing breaks
        WhatIf safe = ask(
                inv(TrustMatrixTest.federated()),
                "{\"add_bundle\": {\"mesh\": \"consul-dc1\", \"root_pem\": " + pem
                        + "}, \"rotate\": {\"mesh\": \"istio-east\", \"root_pem\": " + pem + "}}");
        assertTrue(safe.breaks().isEmpty(), safe.breaks().toString());
        assertEquals(2, safe.changes().size());
    }

    @Test
    void aRootThatExpiresBreaksThePairsThatRelyOnItInBothDirections() throws Exception {
        WhatIf w = ask(
                inv(TrustMatrixTest.federated()),
                "{\"expire\": \"" + CONSUL_ROOT.sha256().substring(0, 10) + "\"}");
        assertEquals(2, w.breaks().size(), w.breaks().toString());
        assertTrue(w.breaks().stream()
                .allMatch(b ->
                        b.presenterMesh().equals(CONSUL) && b.verifierMesh().equals(ISTIO)));
        assertTrue(
                w.breaks().get(0).why().contains(" expired at "),
                w.breaks().get(0).why());
        // an intermediate, named by its fingerprint, expires the same way
        WhatIf i = ask(
                inv(TrustMatrixTest.federated()), "{\"expire\": {\"fingerprint\": \"" + CONSUL_INT.sha256() + "\"}}");
        assertEquals(2, i.breaks().size());
        assertTrue(
                i.breaks().get(0).why().contains("intermediate"),
                i.breaks().get(0).why());
    }

    @Test
    void droppingAPeersRootBreaksOneVerificationOfBothPairsAndImportingItHeals() throws Exception {
        WhatIf w = ask(
                inv(TrustMatrixTest.federated()),
                "{\"drop_bundle\": {\"mesh\": \"consul-dc1\", \"fingerprint\": \"" + ISTIO_ROOT.sha256() + "\"}}");
        assertEquals(
                List.of(
                        "istio-east->consul-dc1 server_verifies_client",
                        "consul-dc1->istio-east client_verifies_server"),
                w.breaks().stream()
                        .map(b -> b.clientMesh() + "->" + b.serverMesh() + " "
                                + b.direction().wireName())
                        .sorted((a, b) -> b.compareTo(a))
                        .toList());

        List<MeshEvent> ev = TrustMatrixTest.federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        WhatIf heal = ask(
                inv(ev),
                "{\"add_bundle\": {\"mesh\": \"consul-dc1\", \"fingerprint\": \"" + ISTIO_ROOT.sha256() + "\"}}");
        assertTrue(heal.breaks().isEmpty());
        assertEquals(2, heal.fixes().size());
        assertTrue(heal.fixes().stream()
                .allMatch(f -> f.before() == CellState.NOT_TRUSTED && f.after() == CellState.TRUSTED));
    }

    @Test
    void badRequestsNameTheFieldAtFault() {
        TrustInventory inv = inv(TrustMatrixTest.federated());
        TrustJson.BadRequest unknownRoot = assertThrows(
                TrustJson.BadRequest.class,
                () -> ask(inv, "{\"drop_bundle\": {\"mesh\": \"consul-dc1\", \"fingerprint\": \"00000000\"}}"));
        assertEquals("drop_bundle.fingerprint", unknownRoot.field());
        assertTrue(unknownRoot.getMessage().contains("give its PEM instead"), unknownRoot.getMessage());
        assertEquals(
                "rotate",
                assertThrows(TrustJson.BadRequest.class, () -> ask(inv, "{\"rotate\": {\"mesh\": \"istio-east\"}}"))
                        .field());
        assertEquals(
                "rotate.mesh",
                assertThrows(
                                TrustJson.BadRequest.class,
                                () -> ask(inv, "{\"rotate\": {\"fingerprint\": \"" + ISTIO_ROOT.sha256() + "\"}}"))
                        .field());
        assertEquals(
                "rotate.root_pem",
                assertThrows(
                                TrustJson.BadRequest.class,
                                () -> ask(
                                        inv,
                                        "{\"rotate\": {\"mesh\": \"x\", \"root_pem\": \"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}}"))
                        .field());
        assertEquals(
                "expire",
                assertThrows(TrustJson.BadRequest.class, () -> ask(inv, "{\"expire\": \"xyz\"}"))
                        .field());
        assertEquals(
                "body",
                assertThrows(TrustJson.BadRequest.class, () -> ask(inv, "{}")).field());
        assertEquals(
                "drop_bundle.root_pem",
                assertThrows(
                                TrustJson.BadRequest.class,
                                () -> ask(inv, "{\"drop_bundle\": {\"mesh\": \"x\", \"root_pem\": \"p\"}}"))
                        .field());
    }

    static final String FRONTEND = TrustMatrixTest.FRONTEND;
    static final String LEDGER = TrustMatrixTest.LEDGER;

    /** consul-dc1's ledger called istio-east's frontend; istio-east's own reviews called it too. */
    static List<AcceptedSan> accepted() {
        return List.of(
                new AcceptedSan(CONSUL, LEDGER, FRONTEND, 40, NOW.minusSeconds(30)),
                new AcceptedSan(ISTIO, TrustMatrixTest.REVIEWS, FRONTEND, 7, NOW.minusSeconds(20)));
    }

    static WhatIf naming(String template) throws Exception {
        TrustInventory inv = inv(TrustMatrixTest.federated());
        JsonNode body = TrustJson.mapper()
                .createObjectNode()
                .set(
                        "naming",
                        TrustJson.mapper().createObjectNode().put("mesh", ISTIO).put("template", template));
        return WhatIf.run(inv, accepted(), TrustJson.changes(body, fp -> WhatIf.findRoot(inv, NOW, S, fp)), NOW, S);
    }

    @Test
    void aNewTrustDomainFailsTheSanChecksOfOtherMeshesClientsThatAcceptedTheOldIdentity() throws Exception {
        WhatIf w = naming("spiffe://east.example/ns/<namespace>/sa/<service-account>");
        assertEquals(
                List.of(
                        "mesh istio-east names its workloads spiffe://east.example/ns/<namespace>/sa/<service-account>"),
                w.changes());
        assertTrue(w.breaks().isEmpty(), "no root changes: no cell of the matrix moves");
        assertEquals(1, w.sanBreaks().size(), "istio-east's own client is renamed with it: " + w.sanBreaks());
        SanBreak b = w.sanBreaks().get(0);
        assertEquals(CONSUL, b.clientMesh());
        assertEquals(LEDGER, b.clientId());
        assertEquals(ISTIO, b.serverMesh());
        assertEquals(FRONTEND, b.expectedId());
        assertEquals("spiffe://east.example/ns/web/sa/frontend", b.presentedAfter());
        assertEquals(40, b.requests());
        assertTrue(b.why().contains("Fix: add spiffe://east.example/ns/web/sa/frontend to the expected SANs"), b.why());
    }

    @Test
    void theSameTemplateBreaksNothingAndAMissingPartIsNamed() throws Exception {
        assertTrue(naming("spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>")
                .sanBreaks()
                .isEmpty());
        WhatIf w = naming("spiffe://<trust-domain>/cluster/<cluster>/ns/<namespace>/sa/<service-account>");
        assertEquals(1, w.sanBreaks().size());
        assertEquals(null, w.sanBreaks().get(0).presentedAfter());
        assertTrue(
                w.sanBreaks().get(0).why().contains("<cluster>"),
                w.sanBreaks().get(0).why());
        // a literal segment renames every identity of the mesh
        assertEquals(
                "spiffe://cluster.local/cluster/east/ns/web/sa/frontend",
                naming("spiffe://<trust-domain>/cluster/east/ns/<namespace>/sa/<service-account>")
                        .sanBreaks()
                        .get(0)
                        .presentedAfter());
    }

    @Test
    void aTemplateThatIsNotOneIsRefusedNamingTheField() {
        TrustJson.BadRequest e =
                assertThrows(TrustJson.BadRequest.class, () -> naming("spiffe://<trust-domain>/static/name"));
        assertEquals("naming.template", e.field());
        assertTrue(e.getMessage().contains("has no <part>"), e.getMessage());
        assertEquals(
                "naming.template",
                assertThrows(TrustJson.BadRequest.class, () -> naming("ns/<namespace>"))
                        .field());
    }
}
