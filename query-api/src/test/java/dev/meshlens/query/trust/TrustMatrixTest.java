package dev.meshlens.query.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trust matrix over real certificates: two federated meshes (istio-east, consul-dc1), each with
 * its own root; consul-dc1 signs through an intermediate, as Consul's CA does.
 */
class TrustMatrixTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    static final String ISTIO = "istio-east";
    static final String CONSUL = "consul-dc1";
    static final String FRONTEND = "spiffe://cluster.local/ns/web/sa/frontend";
    static final String REVIEWS = "spiffe://cluster.local/ns/web/sa/reviews";
    static final String LEDGER = "spiffe://1111-2222.consul/ns/default/dc/dc1/svc/ledger";
    static final TrustSettings SETTINGS = TrustSettings.defaults();

    static final TestPki.Ca ISTIO_ROOT = TestPki.root("CN=Istio Root,O=east", days(-365), days(3650));
    static final TestPki.Ca CONSUL_ROOT = TestPki.root("CN=Consul CA 7,O=dc1", days(-365), days(3650));
    static final TestPki.Ca CONSUL_INT =
            TestPki.intermediate(CONSUL_ROOT, "CN=Consul Signing 7,O=dc1", days(-30), days(365));

    /** A CA's subject as the certificate spells it (RFC 2253). */
    static String dn(TestPki.Ca ca) {
        return dev.meshlens.simulator.Pki.info(ca.cert()).subject();
    }

    static Instant days(long d) {
        return NOW.plus(d, ChronoUnit.DAYS);
    }

    static X509Certificate leaf(TestPki.Ca ca, String id) {
        return TestPki.leaf(ca, id, NOW.minus(2, ChronoUnit.HOURS), NOW.plus(22, ChronoUnit.HOURS));
    }

    /** The federated baseline: each mesh imported the other's root a week ago; one workload each. */
    static List<MeshEvent> federated() {
        List<MeshEvent> ev = new ArrayList<>();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-7), ISTIO_ROOT, CONSUL_ROOT));
        ev.add(TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT, ISTIO_ROOT));
        ev.add(TestPki.certs(
                ISTIO,
                "frontend-1",
                NOW.minusSeconds(60),
                List.of(leaf(ISTIO_ROOT, FRONTEND)),
                ISTIO_ROOT,
                CONSUL_ROOT));
        ev.add(TestPki.certs(
                CONSUL,
                "ledger-1",
                NOW.minusSeconds(60),
                List.of(leaf(CONSUL_INT, LEDGER), CONSUL_INT.cert()),
                CONSUL_ROOT,
                ISTIO_ROOT));
        // a week ago the same workloads presented earlier certificates of the same chains
        ev.add(TestPki.certs(
                ISTIO,
                "frontend-1",
                days(-7),
                List.of(TestPki.leaf(ISTIO_ROOT, FRONTEND, days(-7), days(-6))),
                ISTIO_ROOT,
                CONSUL_ROOT));
        ev.add(TestPki.certs(
                CONSUL,
                "ledger-1",
                days(-7),
                List.of(TestPki.leaf(CONSUL_INT, LEDGER, days(-7), days(-6)), CONSUL_INT.cert()),
                CONSUL_ROOT,
                ISTIO_ROOT));
        return ev;
    }

    static TrustMatrix matrix(List<MeshEvent> events, Traffic traffic) {
        return TrustMatrix.compute(new InventoryBuilder().addAll(events).build(), traffic, NOW, SETTINGS);
    }

    static Cell cell(TrustMatrix m, String client, String server, Verification dir) {
        return m.cells().stream()
                .filter(c -> c.clientMesh().equals(client) && c.serverMesh().equals(server) && c.direction() == dir)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no cell " + client + "->" + server + " " + dir + " in " + m.cells()));
    }

    static Traffic.OpenFinding untrustedRoot(String id, String client, String server, RejectedBy rb, Instant last) {
        return new Traffic.OpenFinding(id, "UNTRUSTED_ROOT", client, server, rb, last.minusSeconds(600), last);
    }

    @Test
    void federatedMeshesTrustEachOtherInBothDirectionsAndSuccessesConfirmIt() {
        Traffic t = new Traffic(List.of(new Traffic.PairSuccess(ISTIO, CONSUL, 40, NOW.minusSeconds(30))), List.of());
        TrustMatrix m = matrix(federated(), t);
        assertEquals(List.of(CONSUL, ISTIO), m.meshes());
        assertEquals(4, m.cells().size(), "two directions per ordered pair of distinct meshes");
        for (Cell c : m.cells()) {
            assertEquals(CellState.TRUSTED, c.state(), c.toString());
        }
        Cell c = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CONSUL, c.verifierMesh());
        assertEquals(ISTIO, c.presenterMesh());
        assertEquals(Confirmation.CONFIRMED, c.confirmation());
        assertEquals(40, c.observed().successes());
        AnchorUse root = c.roots().get(0);
        assertEquals(ISTIO_ROOT.sha256(), root.root().sha256(), "the anchor is described by fingerprint");
        assertEquals("fingerprint", root.matchedBy());
        assertEquals(List.of(CONSUL, ISTIO), root.heldBy());
        assertEquals(days(3650), root.root().notAfter());
        // the chain through Consul's intermediate is followed to Consul's root
        Cell back = cell(m, ISTIO, CONSUL, Verification.CLIENT_VERIFIES_SERVER);
        assertEquals(CONSUL_ROOT.sha256(), back.roots().get(0).root().sha256());
        assertEquals(1, back.intermediates().size());
        assertEquals(days(365), back.intermediates().get(0).notAfter());
        // since: the first bundle seen; that is where the data starts
        assertEquals(days(-7), c.since());
        assertTrue(c.sinceStartOfData());
        // the reverse pair has no traffic
        assertEquals(
                Confirmation.NOT_OBSERVED,
                cell(m, CONSUL, ISTIO, Verification.SERVER_VERIFIES_CLIENT).confirmation());
        assertTrue(m.predictions().isEmpty(), m.predictions().toString());
        assertTrue(m.contradictions().isEmpty());
    }

    @Test
    void aBundleWithoutThePeersRootIsNotTrustedInThatDirectionOnlyAndTheFindingConfirmsIt() {
        List<MeshEvent> ev = federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        Traffic t = new Traffic(
                List.of(), List.of(untrustedRoot("f1", ISTIO, CONSUL, RejectedBy.PEER, NOW.minusSeconds(20))));
        TrustMatrix m = matrix(ev, t);
        Cell c = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.NOT_TRUSTED, c.state());
        assertTrue(c.reason().contains("mesh consul-dc1 cannot verify mesh istio-east"), c.reason());
        assertTrue(c.reason().contains("lacks root " + dn(ISTIO_ROOT)), c.reason());
        assertTrue(c.reason().contains(FRONTEND), c.reason());
        assertFalse(c.roots().get(0).inVerifierBundle());
        assertEquals(List.of(ISTIO), c.roots().get(0).heldBy());
        assertEquals(Confirmation.CONFIRMED, c.confirmation());
        assertEquals(List.of("f1"), c.observed().openFindings());
        // the other verification of the same handshake is fine: istio-east holds consul's root
        assertEquals(
                CellState.TRUSTED,
                cell(m, ISTIO, CONSUL, Verification.CLIENT_VERIFIES_SERVER).state());
        // the same trust fact seen from the reverse pair: consul-dc1 as client verifies istio-east as server
        assertEquals(
                CellState.NOT_TRUSTED,
                cell(m, CONSUL, ISTIO, Verification.CLIENT_VERIFIES_SERVER).state());
        // the finding (server rejected the client) says nothing about the client's verification
        assertTrue(cell(m, ISTIO, CONSUL, Verification.CLIENT_VERIFIES_SERVER)
                .observed()
                .openFindings()
                .isEmpty());
    }

    @Test
    void unknownWithoutABundleWithoutCertificatesOrWithCertificatesThatNameNoIssuer() {
        List<MeshEvent> ev = federated();
        // mesh-c: /certs only, as Envoy's own admin endpoint reports them (no issuer, no key ids)
        ev.add(TestPki.bareCerts("mesh-c", "c-1", NOW.minusSeconds(5), leaf(ISTIO_ROOT, "spiffe://c.local/ns/a/sa/b")));
        // mesh-d: a bundle only
        ev.add(TestPki.bundle("mesh-d", MeshKind.ISTIO, "d.local", days(-1), ISTIO_ROOT));
        TrustMatrix m = matrix(ev, Traffic.none());
        Cell noBundle = cell(m, ISTIO, "mesh-c", Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.UNKNOWN, noBundle.state());
        assertTrue(noBundle.reason().contains("no trust bundle of mesh mesh-c"), noBundle.reason());
        Cell noIssuer = cell(m, "mesh-c", ISTIO, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.UNKNOWN, noIssuer.state());
        assertTrue(noIssuer.reason().contains("name no issuer or key identifier"), noIssuer.reason());
        Cell noCerts = cell(m, "mesh-d", ISTIO, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.UNKNOWN, noCerts.state());
        assertTrue(noCerts.reason().contains("no certificate inventory (/certs) of mesh mesh-d"), noCerts.reason());
        assertEquals(Confirmation.NOT_OBSERVED, noCerts.confirmation());
        // mesh-d trusts istio's root, and istio-east's workloads are known: that cell is decided
        assertEquals(
                CellState.TRUSTED,
                cell(m, ISTIO, "mesh-d", Verification.SERVER_VERIFIES_CLIENT).state());
    }

    @Test
    void trustedWhileAnUntrustedRootFindingIsOpenIsAContradictionButAFindingOlderThanTheFixIsNot() {
        List<MeshEvent> ev = federated();
        // consul-dc1 lacked istio's root until an hour ago
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        ev.add(TestPki.bundle(
                CONSUL, MeshKind.CONSUL, "1111-2222.consul", NOW.minus(1, ChronoUnit.HOURS), CONSUL_ROOT, ISTIO_ROOT));
        Traffic stale = new Traffic(
                List.of(),
                List.of(untrustedRoot("old", ISTIO, CONSUL, RejectedBy.PEER, NOW.minus(2, ChronoUnit.HOURS))));
        TrustMatrix quiet = matrix(ev, stale);
        Cell c = cell(quiet, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.TRUSTED, c.state());
        assertEquals(NOW.minus(1, ChronoUnit.HOURS), c.since(), "trusted since the bundle gained the root");
        assertFalse(c.sinceStartOfData());
        assertTrue(quiet.contradictions().isEmpty(), "the last failure predates the fix: " + quiet.contradictions());

        Traffic failing = new Traffic(
                List.of(),
                List.of(
                        untrustedRoot("now", ISTIO, CONSUL, RejectedBy.PEER, NOW.minusSeconds(30)),
                        untrustedRoot("other-way", ISTIO, CONSUL, RejectedBy.SELF, NOW.minusSeconds(30))));
        TrustMatrix m = matrix(ev, failing);
        Cell x = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(Confirmation.CONTRADICTED, x.confirmation());
        assertEquals(List.of("now"), x.observed().openFindings());
        // the client rejecting the server is the other direction, also trusted: contradicted as well
        assertEquals(2, m.contradictions().size(), m.contradictions().toString());
        Contradiction k = m.contradictions().stream()
                .filter(y -> y.direction() == Verification.SERVER_VERIFIES_CLIENT)
                .findFirst()
                .orElseThrow();
        assertEquals(Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING, k.kind());
        assertEquals(List.of("now"), k.findingIds());
        assertTrue(k.description().contains("mesh consul-dc1 trusts the roots of mesh istio-east"), k.description());
        assertEquals(
                k.id(),
                matrix(ev, failing).contradictions().stream()
                        .filter(y -> y.direction() == Verification.SERVER_VERIFIES_CLIENT)
                        .findFirst()
                        .orElseThrow()
                        .id(),
                "the id is stable");
    }

    @Test
    void whenTheStateHoldsSinceTheDataBeganOlderTrafficStillCounts() {
        List<MeshEvent> ev = federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        Traffic t =
                new Traffic(List.of(), List.of(untrustedRoot("before-data", ISTIO, CONSUL, RejectedBy.PEER, days(-8))));
        Cell c = cell(matrix(ev, t), ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertTrue(c.sinceStartOfData());
        assertEquals(List.of("before-data"), c.observed().openFindings());
        assertEquals(Confirmation.CONFIRMED, c.confirmation());
    }

    @Test
    void aStateThatHoldsSinceBothSidesFirstReportedMayBeOlder() {
        List<MeshEvent> ev = federated().subList(0, 4); // certificates only from a minute ago, bundles from a week ago
        Cell c = cell(matrix(new ArrayList<>(ev), Traffic.none()), ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(NOW.minusSeconds(60), c.since());
        assertTrue(
                c.sinceStartOfData(),
                "nothing says the state began there: the certificates only start being known then");
    }

    @Test
    void notTrustedWhileMtlsSucceedsIsAContradiction() {
        List<MeshEvent> ev = federated();
        ev.set(1, TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT));
        TrustMatrix m = matrix(
                ev, new Traffic(List.of(new Traffic.PairSuccess(ISTIO, CONSUL, 5, NOW.minusSeconds(10))), List.of()));
        assertEquals(
                Confirmation.CONTRADICTED,
                cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT).confirmation());
        assertEquals(
                Contradiction.Kind.NOT_TRUSTED_BUT_SUCCEEDED,
                m.contradictions().get(0).kind());
    }

    @Test
    void anIntermediateExpiringWithinTheHorizonPredictsThePairsThatFailThen() {
        TestPki.Ca shortInt = TestPki.intermediate(CONSUL_ROOT, "CN=Consul Signing 8,O=dc1", days(-30), days(10));
        List<MeshEvent> ev = federated();
        ev.set(
                3,
                TestPki.certs(
                        CONSUL,
                        "ledger-1",
                        NOW.minusSeconds(60),
                        List.of(leaf(shortInt, LEDGER), shortInt.cert()),
                        CONSUL_ROOT,
                        ISTIO_ROOT));
        TrustMatrix m = matrix(ev, Traffic.none());
        assertEquals(1, m.predictions().size(), m.predictions().toString());
        Prediction p = m.predictions().get(0);
        assertEquals(Prediction.Kind.INTERMEDIATE_EXPIRY, p.kind());
        assertEquals(days(10), p.at());
        assertFalse(p.atIsDeadline());
        assertEquals(CONSUL, p.mesh());
        assertEquals(shortInt.sha256(), p.root().sha256());
        // whoever verifies consul-dc1's workloads fails: istio-east, as client and as server
        assertEquals(2, p.breaks().size(), p.breaks().toString());
        for (Break b : p.breaks()) {
            assertEquals(ISTIO, b.verifierMesh());
            assertEquals(CONSUL, b.presenterMesh());
            assertEquals(CellState.TRUSTED, b.before());
            assertEquals(CellState.NOT_TRUSTED, b.after());
            assertTrue(b.why().contains("intermediate " + dn(shortInt)), b.why());
        }
    }

    @Test
    void aRootExpiringWithinTheHorizonIsPredictedAndOneBeyondItIsNot() {
        TestPki.Ca soon = TestPki.root("CN=Istio Root,O=east,OU=2026", days(-300), days(20));
        TestPki.Ca late = TestPki.root("CN=Consul CA 9,O=dc1", days(-300), days(45));
        List<MeshEvent> ev = new ArrayList<>();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-7), soon, late));
        ev.add(TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), late, soon));
        ev.add(TestPki.certs(ISTIO, "frontend-1", NOW.minusSeconds(60), List.of(leaf(soon, FRONTEND)), soon, late));
        ev.add(TestPki.certs(CONSUL, "ledger-1", NOW.minusSeconds(60), List.of(leaf(late, LEDGER)), late, soon));
        TrustMatrix m = matrix(ev, Traffic.none());
        assertEquals(1, m.predictions().size(), m.predictions().toString());
        Prediction p = m.predictions().get(0);
        assertEquals(Prediction.Kind.ROOT_EXPIRY, p.kind());
        assertEquals(days(20), p.at());
        assertEquals(ISTIO, p.mesh(), "the mesh whose workloads it signs");
        assertEquals(2, p.breaks().size());
        assertTrue(p.breaks().stream()
                .allMatch(
                        b -> b.presenterMesh().equals(ISTIO) && b.verifierMesh().equals(CONSUL)));
        assertTrue(p.description().contains("import the new root into mesh consul-dc1"), p.description());

        TrustMatrix longer = TrustMatrix.compute(
                new InventoryBuilder().addAll(ev).build(),
                Traffic.none(),
                NOW,
                new TrustSettings(Duration.ofDays(60), SETTINGS.staleAfter()));
        assertEquals(
                List.of(days(20), days(45)),
                longer.predictions().stream().map(Prediction::at).toList());
    }

    @Test
    void aNewRootInOneBundleOnlyIsAPendingRotationThatBreaksThePeersThatLackIt() {
        TestPki.Ca next = TestPki.root("CN=Istio Root 2,O=east", days(-2), days(3650));
        List<MeshEvent> ev = federated();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-1), ISTIO_ROOT, CONSUL_ROOT, next));
        TrustMatrix m = matrix(ev, Traffic.none());
        // nothing fails yet
        assertTrue(m.cells().stream().allMatch(c -> c.state() == CellState.TRUSTED));
        assertEquals(1, m.predictions().size(), m.predictions().toString());
        Prediction p = m.predictions().get(0);
        assertEquals(Prediction.Kind.ROTATION_PENDING, p.kind());
        assertEquals(ISTIO, p.mesh());
        assertEquals(next.sha256(), p.root().sha256());
        assertTrue(p.atIsDeadline());
        assertEquals(days(3650), p.at(), "at the latest when the current signing root expires");
        assertEquals(2, p.breaks().size());
        assertTrue(p.breaks().stream()
                .allMatch(b -> b.verifierMesh().equals(CONSUL) && b.after() == CellState.NOT_TRUSTED));
        assertTrue(p.description().contains("import root " + dn(next)), p.description());

        // once consul-dc1 imported it, nothing is predicted
        ev.add(TestPki.bundle(
                CONSUL, MeshKind.CONSUL, "1111-2222.consul", NOW.minusSeconds(600), CONSUL_ROOT, ISTIO_ROOT, next));
        assertTrue(matrix(ev, Traffic.none()).predictions().isEmpty());
    }

    @Test
    void workloadsAlreadyOnANewRootThatAPeerLacksArePartialNowAndFailFullyWhenTheRestMove() {
        TestPki.Ca next = TestPki.root("CN=Istio Root 2,O=east", days(-2), days(3650));
        List<MeshEvent> ev = federated();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-1), ISTIO_ROOT, CONSUL_ROOT, next));
        X509Certificate reviews = leaf(next, REVIEWS);
        ev.add(TestPki.certs(
                ISTIO, "reviews-1", NOW.minusSeconds(30), List.of(reviews), ISTIO_ROOT, CONSUL_ROOT, next));
        TrustMatrix m = matrix(ev, Traffic.none());
        Cell c = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.PARTIAL, c.state());
        assertEquals(NOW.minusSeconds(30), c.since(), "partial since the first workload on the new root appeared");
        assertTrue(
                c.reason().startsWith("1 of 2 workloads of mesh istio-east fail verification by mesh consul-dc1"),
                c.reason());
        assertEquals(2, c.roots().size());
        Prediction p = m.predictions().stream()
                .filter(x -> x.kind() == Prediction.Kind.ROTATION_IN_PROGRESS)
                .findFirst()
                .orElseThrow(() -> new AssertionError(m.predictions().toString()));
        assertEquals(next.sha256(), p.root().sha256());
        assertEquals(NOW.plus(22, ChronoUnit.HOURS), p.at(), "when the last leaf on the old root is renewed");
        assertEquals(2, p.breaks().size());
        assertTrue(p.breaks().stream()
                .allMatch(b -> b.before() == CellState.PARTIAL && b.after() == CellState.NOT_TRUSTED));
        assertTrue(
                m.predictions().stream().noneMatch(x -> x.kind() == Prediction.Kind.ROTATION_PENDING),
                "the new root already signs a workload: not pending");
    }

    @Test
    void aRotationThatKeptTheSubjectIsToldApartByKey() {
        TestPki.Ca sameName = TestPki.root("CN=Istio Root,O=east", days(-1), days(3650));
        List<MeshEvent> ev = federated();
        ev.set(
                2,
                TestPki.certs(
                        ISTIO,
                        "frontend-1",
                        NOW.minusSeconds(60),
                        List.of(leaf(sameName, FRONTEND)),
                        sameName,
                        CONSUL_ROOT));
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-1), sameName, CONSUL_ROOT));
        TrustMatrix m = matrix(ev, Traffic.none());
        Cell c = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.NOT_TRUSTED, c.state());
        assertTrue(c.reason().contains("holds a root named " + dn(ISTIO_ROOT) + " but with another key"), c.reason());
    }

    @Test
    void chainsWithoutKeyIdentifiersMatchBySubjectAndSayItIsWeak() {
        List<MeshEvent> ev = federated();
        var info = dev.meshlens.simulator.Pki.info(leaf(ISTIO_ROOT, FRONTEND));
        var noKeys = new dev.meshlens.events.CertificateInfo(
                info.subject(),
                info.issuer(),
                info.serialNumber(),
                info.sha256Fingerprint(),
                info.uriSans(),
                List.of(),
                info.notBefore(),
                info.notAfter(),
                null,
                null,
                false);
        ev.set(
                2,
                MeshEvent.builder()
                        .eventId("e-nokeys")
                        .observedTime(NOW.minusSeconds(60))
                        .meshId(ISTIO)
                        .sourceKind(dev.meshlens.events.SourceKind.ENVOY_CERTS)
                        .certificates(List.of(noKeys))
                        .build());
        Cell c = cell(matrix(ev, Traffic.none()), ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.TRUSTED, c.state());
        assertEquals("subject", c.roots().get(0).matchedBy());
    }

    @Test
    void anExpiredRootInTheVerifiersBundleIsNotTrustedSinceItsExpiry() {
        TestPki.Ca expired = TestPki.root("CN=Istio Root,O=east,OU=old", days(-400), days(-3));
        List<MeshEvent> ev = new ArrayList<>();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-7), expired, CONSUL_ROOT));
        ev.add(TestPki.bundle(CONSUL, MeshKind.CONSUL, "1111-2222.consul", days(-7), CONSUL_ROOT, expired));
        ev.add(TestPki.certs(
                ISTIO,
                "frontend-1",
                days(-5),
                List.of(TestPki.leaf(expired, FRONTEND, days(-5), days(30))),
                expired,
                CONSUL_ROOT));
        ev.add(TestPki.certs(
                ISTIO,
                "frontend-1",
                NOW.minusSeconds(60),
                List.of(TestPki.leaf(expired, FRONTEND, days(-5), days(30))),
                expired,
                CONSUL_ROOT));
        TrustMatrix m = matrix(ev, Traffic.none());
        Cell c = cell(m, ISTIO, CONSUL, Verification.SERVER_VERIFIES_CLIENT);
        assertEquals(CellState.NOT_TRUSTED, c.state());
        assertTrue(c.reason().contains(" expired at " + days(-3)), c.reason());
        assertEquals(days(-3).plusMillis(1), c.since());
    }

    @Test
    void scopingKeepsOnlyCellsAndBreaksInvolvingAGrantedMesh() {
        TestPki.Ca next = TestPki.root("CN=Istio Root 2,O=east", days(-2), days(3650));
        List<MeshEvent> ev = federated();
        ev.add(TestPki.bundle(ISTIO, MeshKind.ISTIO, "cluster.local", days(-1), ISTIO_ROOT, CONSUL_ROOT, next));
        ev.add(TestPki.bundle("mesh-c", MeshKind.ISTIO, "c.local", days(-1), ISTIO_ROOT));
        TrustMatrix all = matrix(ev, Traffic.none());
        assertEquals(12, all.cells().size());
        TrustMatrix onlyC = all.filter("mesh-c"::equals);
        assertEquals(8, onlyC.cells().size());
        assertTrue(onlyC.cells().stream()
                .allMatch(c -> c.clientMesh().equals("mesh-c") || c.serverMesh().equals("mesh-c")));
        Prediction p = onlyC.predictions().get(0);
        assertTrue(p.breaks().stream()
                .allMatch(b -> b.clientMesh().equals("mesh-c") || b.serverMesh().equals("mesh-c")));
        assertNull(onlyC.predictions().stream()
                .flatMap(x -> x.breaks().stream())
                .filter(b -> b.verifierMesh().equals(CONSUL))
                .findFirst()
                .orElse(null));
    }
}
