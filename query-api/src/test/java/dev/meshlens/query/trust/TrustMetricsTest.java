package dev.meshlens.query.trust;

import static dev.meshlens.query.trust.TrustMatrixTest.CONSUL;
import static dev.meshlens.query.trust.TrustMatrixTest.ISTIO;
import static dev.meshlens.query.trust.TrustMatrixTest.days;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.query.metrics.MeshlensMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The matrix rendered as Prometheus series, and series that disappear with their cause. */
class TrustMetricsTest {

    @Test
    void cellsPredictionsAndContradictionsBecomeSeriesAndGoAwayWithTheirCause() {
        TestPki.Ca next = TestPki.root("CN=Istio Root 2,O=east", days(-2), days(3650));
        List<MeshEvent> ev = TrustMatrixTest.federated();
        ev.add(TestPki.bundle(
                ISTIO,
                MeshKind.ISTIO,
                "cluster.local",
                days(-1),
                TrustMatrixTest.ISTIO_ROOT,
                TrustMatrixTest.CONSUL_ROOT,
                next));
        Traffic failing = new Traffic(
                List.of(),
                List.of(TrustMatrixTest.untrustedRoot(
                        "f1", ISTIO, CONSUL, RejectedBy.PEER, TrustMatrixTest.NOW.minusSeconds(30))));
        MeshlensMetrics metrics = MeshlensMetrics.prometheus();
        TrustMetrics tm = new TrustMetrics(metrics.registry());
        tm.update(TrustMatrixTest.matrix(ev, failing));
        String text = metrics.scrape();
        assertTrue(
                text.contains("meshlens_trust_cells{client_mesh=\"istio-east\",direction=\"server_verifies_client\","
                        + "server_mesh=\"consul-dc1\",state=\"trusted\"} 1.0"),
                text);
        assertTrue(
                text.contains("meshlens_trust_cells{client_mesh=\"istio-east\",direction=\"server_verifies_client\","
                        + "server_mesh=\"consul-dc1\",state=\"not_trusted\"} 0.0"),
                text);
        long deadline = Duration.between(TrustMatrixTest.NOW, days(3650)).toSeconds();
        assertEquals(
                deadline,
                tm.value(
                        TrustMetrics.GAP_PREDICTED,
                        List.of(
                                "client_mesh",
                                ISTIO,
                                "server_mesh",
                                CONSUL,
                                "direction",
                                "server_verifies_client",
                                "kind",
                                "rotation_pending")));
        assertTrue(
                text.contains("meshlens_trust_gap_predicted_seconds{client_mesh=\"istio-east\","
                        + "direction=\"server_verifies_client\",kind=\"rotation_pending\""),
                text);
        assertEquals(
                1L,
                tm.value(
                        TrustMetrics.CONTRADICTIONS,
                        List.of(
                                "client_mesh",
                                ISTIO,
                                "server_mesh",
                                CONSUL,
                                "direction",
                                "server_verifies_client",
                                "kind",
                                "trusted_but_untrusted_root_finding")));
        assertTrue(text.contains("meshlens_trust_contradictions{client_mesh=\"istio-east\","), text);

        // consul-dc1 imports the new root and the finding resolves: the series go away
        ev.add(TestPki.bundle(
                CONSUL,
                MeshKind.CONSUL,
                "1111-2222.consul",
                TrustMatrixTest.NOW.minusSeconds(60),
                TrustMatrixTest.CONSUL_ROOT,
                TrustMatrixTest.ISTIO_ROOT,
                next));
        tm.update(TrustMatrixTest.matrix(ev, Traffic.none()));
        assertNull(tm.value(TrustMetrics.GAP_PREDICTED, List.of("kind", "rotation_pending")));
        assertNull(tm.value(TrustMetrics.CONTRADICTIONS, List.of("client_mesh", ISTIO)));
        String after = metrics.scrape();
        assertTrue(!after.contains("meshlens_trust_gap_predicted_seconds{"), after);
        assertTrue(!after.contains("meshlens_trust_contradictions{"), after);
        assertTrue(after.contains("meshlens_trust_cells{"), after);
    }
}
