package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.admin.AdminSources;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.trust.Cell;
import dev.meshlens.query.trust.CellState;
import dev.meshlens.query.trust.InventoryBuilder;
import dev.meshlens.query.trust.Traffic;
import dev.meshlens.query.trust.TrustMatrix;
import dev.meshlens.query.trust.TrustSettings;
import dev.meshlens.simulator.Envoy;
import dev.meshlens.simulator.EnvoyAdmin;
import dev.meshlens.simulator.Federation;
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
