package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mesh-specific words of a finding come from the profile of the mesh that has to change. */
class NarratorDialectTest {
    static Narrator.Facts facts(FailureCategory c, RejectedBy rb, String clientKind, String serverKind) {
        return new Narrator.Facts(
                c,
                rb,
                "client-mesh",
                clientKind,
                "spiffe://td/client",
                "server-mesh",
                serverKind,
                "ledgerbook",
                null,
                Map.of());
    }

    @Test
    void theVerifiersDialectSaysHowToImportARoot() {
        String kuma = Narrator.remediation(facts(FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "consul", "kuma"));
        assertTrue(kuma.contains("MeshTrust"), kuma);
        assertFalse(kuma.contains("Connect CA"), "the client's (Consul's) words are not the verifier's: " + kuma);
        String istio = Narrator.remediation(facts(FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "istio", "kuma"));
        assertTrue(istio.contains("istiod"), istio);
    }

    @Test
    void anUnknownKindGetsPlainEnvoyWordsNotAnotherMeshs() {
        String r = Narrator.remediation(facts(FailureCategory.CLIENT_CERT_MISSING, RejectedBy.PEER, null, "istio"));
        assertTrue(r.contains("upstream TLS context of ledgerbook"), r);
        assertFalse(r.contains("Consul"), r);
        assertEquals("spiffe://<trust-domain>/<path>", Narrator.template(null));
        assertEquals("spiffe://<trust-domain>/<service>", Narrator.template("kuma"));
    }

    @Test
    void aSanMismatchNamesThePresentersTemplateInTheClientsDialect() {
        String r = Narrator.remediation(facts(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "consul", "kuma"));
        assertTrue(r.contains("Consul upstream"), r);
        assertTrue(r.contains("spiffe://<trust-domain>/<service>"), r);
    }
}
