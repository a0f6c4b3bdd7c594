package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.admin.AdminSources;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.query.trust.Cell;
import dev.meshlens.query.trust.CellState;
import dev.meshlens.query.trust.InventoryBuilder;
import dev.meshlens.query.trust.Prediction;
import dev.meshlens.query.trust.Traffic;
import dev.meshlens.query.trust.TrustMatrix;
import dev.meshlens.query.trust.TrustSettings;
import dev.meshlens.simulator.Envoy;
import dev.meshlens.simulator.EnvoyAdmin;
import dev.meshlens.simulator.Federation;
import dev.meshlens.simulator.Handshake;
import dev.meshlens.simulator.SimMesh;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The trust matrix from what the collector reads over HTTP from simulated Envoys whose {@code /certs} is as
 * poor as real Envoy's (no issuer, fingerprint or key ids): the issuers come from
 * {@code /config_dump} alone (Istio's SDS secrets, Consul's inline listener), and the cells are known;
 * with {@code /certs} alone (what the collector read before), every cell is unknown.
 */
class ConfigDumpTrustMatrixTest {

    @Test
    void cellsAreKnownFromConfigDumpAndUnknownFromCertsAlone() throws Exception {
        Instant now = Instant.now();
        Federation f = new Federation(11, "istio-east", "consul-dc1", now);
        TrustMatrix m = matrix(f, now, false);
        assertEquals(4, m.cells().size(), "two directions for each ordered pair");
        for (Cell c : m.cells()) {
            assertEquals(CellState.TRUSTED, c.state(), c.toString());
        }
        for (Cell c : matrix(f, now, true).cells()) {
            assertEquals(CellState.UNKNOWN, c.state(), "Envoy's /certs names no issuer: " + c.reason());
            assertTrue(c.reason().contains("no issuer"), c.reason());
        }

        // Consul drops Istio's root: the cells where Consul verifies Istio's workloads fail, the others hold
        f.consul().distrust(f.istio());
        Map<String, CellState> byVerifier = matrix(f, now, false).cells().stream()
                .collect(Collectors.toMap(
                        c -> c.verifierMesh() + " verifies " + c.presenterMesh() + " " + c.direction(), Cell::state));
        for (Map.Entry<String, CellState> e : byVerifier.entrySet()) {
            CellState want =
                    e.getKey().startsWith("consul-dc1 verifies istio-east") ? CellState.NOT_TRUSTED : CellState.TRUSTED;
            assertEquals(want, e.getValue(), e.getKey());
        }
    }

    /**
     * The demo's second act on the simulator: consul-dc1 stages a new root (its own bundle only), the matrix
     * predicts which cells fail when the root signs, while every handshake still succeeds; once ledger moves
     * to the new root, exactly the predicted verification fails, as UNTRUSTED_ROOT.
     */
    @Test
    void aStagedRootIsPredictedBeforeAnyHandshakeFailsAndTheMovedWorkloadThenFailsAsPredicted() throws Exception {
        Instant now = Instant.now();
        Federation f = new Federation(13, "istio-east", "consul-dc1", now);
        f.consul().stageNextRoot(99, now);
        TrustMatrix staged = matrix(f, now, false);
        List<Prediction> pending = staged.predictions().stream()
                .filter(p -> p.kind() == Prediction.Kind.ROTATION_PENDING)
                .toList();
        assertEquals(1, pending.size(), staged.predictions().toString());
        assertEquals("consul-dc1", pending.get(0).mesh());
        assertTrue(
                pending.get(0).breaks().stream()
                        .allMatch(b -> b.verifierMesh().equals("istio-east")
                                && b.presenterMesh().equals("consul-dc1")),
                pending.get(0).breaks().toString());
        assertEquals(2, pending.get(0).breaks().size(), "both verifications istio-east makes of consul-dc1");
        for (Federation.Edge e : f.edges()) {
            assertTrue(
                    Handshake.decide(e.client(), e.server(), e.gateway(), now).success(), "nothing fails yet: " + e);
        }

        f.consul().moveToNextRoot("ledger", now);
        Federation.Edge toLedger = f.edges().stream()
                .filter(e -> e.server().service().equals("ledger"))
                .findFirst()
                .orElseThrow();
        Handshake.Result r = Handshake.decide(toLedger.client(), toLedger.server(), toLedger.gateway(), now);
        assertFalse(r.success(), r.why());
        assertEquals(FailureCategory.UNTRUSTED_ROOT, r.category(), r.why());
        assertEquals(RejectedBy.SELF, r.rejectedBy(), "istio-east's client verifies ledger (client_verifies_server)");
        TrustMatrix moved = matrix(f, now, false);
        assertTrue(
                moved.predictions().stream().anyMatch(p -> p.kind() == Prediction.Kind.ROTATION_IN_PROGRESS),
                moved.predictions().toString());
    }

    /** Polls every simulated Envoy's admin with the collector; {@code certsOnly} keeps /certs' own fields only. */
    private static TrustMatrix matrix(Federation f, Instant now, boolean certsOnly) throws Exception {
        List<MeshEvent> events = new ArrayList<>();
        for (SimMesh mesh : List.of(f.istio(), f.consul())) {
            AdminSources src = new AdminSources(mesh.id(), mesh.kind(), mesh.cluster());
            events.add(src.bundleEvent(mesh.trustBundle(), now));
            for (Envoy e : mesh.envoys()) {
                try (EnvoyAdmin admin = new EnvoyAdmin(e, 0, () -> now)) {
                    MeshEvent certs = src.pollCerts(admin.baseUrl());
                    assertEquals("known", certs.attributes().get(AdminSources.ATTR_ISSUERS), e.service());
                    events.add(certsOnly ? certsFieldsOnly(certs) : certs);
                }
            }
        }
        assertTrue(events.size() > 2);
        // judged after the polls: their events are stamped when they were read
        return TrustMatrix.compute(
                new InventoryBuilder().addAll(events).build(), Traffic.none(), Instant.now(), TrustSettings.defaults());
    }

    /** What real Envoy's /certs carries of each certificate (envoy api/envoy/admin/v3/certs.proto). */
    private static MeshEvent certsFieldsOnly(MeshEvent e) {
        List<CertificateInfo> poor = e.certificates().stream()
                .map(c -> new CertificateInfo(
                        "<inline>",
                        null,
                        c.serialNumber(),
                        null,
                        c.uriSans(),
                        c.dnsSans(),
                        c.notBefore(),
                        c.notAfter(),
                        null,
                        null,
                        c.ca()))
                .toList();
        return e.toBuilder().certificates(poor).build();
    }
}
