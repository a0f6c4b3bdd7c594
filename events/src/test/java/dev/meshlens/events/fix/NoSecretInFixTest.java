package dev.meshlens.events.fix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TrustBundle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Private keys and tokens planted in the inventory and in a finding's evidence never reach a fix. */
class NoSecretInFixTest {
    static final String KEY_BODY = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPLANTEDKEYPLANTEDKEYPLANTEDKEY";
    static final String PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\n" + KEY_BODY + "\n-----END PRIVATE KEY-----\n";
    static final String EC_KEY =
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPLANTEDECKEY\n-----END EC PRIVATE KEY-----\n";
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2VjcmV0c2lnbmF0dXJlcGxhbnRlZA";
    static final String API_KEY = "sk_live_PLANTEDAPIKEY0123456789abcdefghij";

    @Test
    void plantedKeysAndTokensAreNotInAnyFix() {
        // the inventory's root PEM also holds private keys (a bundle file someone concatenated with its key)
        TrustBundle.Root leaky = new TrustBundle.Root(
                "CN=leaky",
                "d1104cda",
                null,
                null,
                null,
                null,
                PRIVATE_KEY + FixFixtures.pem("istio-root.pem") + EC_KEY);
        TrustBundle.Root subjectToken = new TrustBundle.Root(
                "CN=x " + PRIVATE_KEY, null, null, null, null, null, FixFixtures.pem("consul-root.pem"));
        Map<String, MeshFacts> meshes = new HashMap<>();
        meshes.put("istio-east", new MeshFacts("istio-east", "istio", "cluster.local", null, List.of(leaky)));
        meshes.put(
                "consul-dc1",
                new MeshFacts("consul-dc1", "consul", FixFixtures.CONSUL_TD, null, List.of(subjectToken)));
        Map<String, String> details = new HashMap<>();
        details.put("presented_spiffe_id", "Bearer " + JWT);
        details.put("sni", "ledger.service.consul?token=" + API_KEY);
        details.put("place", "listener " + JWT);
        details.put("not_before", API_KEY);
        details.put("not_after", "2026-01-01T00:00:00Z");
        details.put("missing_root_subject", "CN=root " + PRIVATE_KEY);
        details.put("server_port", "8080 " + API_KEY);
        details.put("authorization", "Bearer " + JWT);
        List<String> texts = new ArrayList<>();
        for (FailureCategory c : FailureCategory.values()) {
            for (RejectedBy by : RejectedBy.values()) {
                for (boolean istioClient : new boolean[] {true, false}) {
                    for (boolean counterOnly : new boolean[] {false, true}) {
                        Map<String, String> d = new HashMap<>(details);
                        if (counterOnly) {
                            d.put("counter_only", "true");
                        }
                        FixPlan p = Fixes.plan(FixFixtures.finding(c, by, istioClient, d), meshes);
                        texts.add(p.summary());
                        for (Fix f : p.options()) {
                            texts.add(f.why());
                            texts.addAll(f.steps());
                            f.resources().forEach(r -> texts.add(r.name() + " " + r.text() + " " + r.applyWith()));
                        }
                    }
                }
            }
        }
        String all = String.join("\n", texts);
        assertTrue(all.contains("BEGIN CERTIFICATE"), "the public roots are still there");
        for (String secret :
                List.of("PRIVATE KEY", "PLANTEDKEY", "PLANTEDECKEY", JWT, "eyJ", API_KEY, "PLANTEDAPIKEY")) {
            assertFalse(all.contains(secret), "a fix carries " + secret);
        }
    }

    @Test
    void publicPemKeepsOnlyCertificateBlocks() {
        String mixed = "junk\n" + PRIVATE_KEY + FixFixtures.pem("istio-root.pem") + EC_KEY
                + "-----BEGIN CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\n" + KEY_BODY
                + "\n-----END CERTIFICATE-----\n";
        String kept = dev.meshlens.events.PublicPem.certificatesOnly(mixed);
        assertTrue(kept.contains("BEGIN CERTIFICATE"));
        assertFalse(kept.contains("PRIVATE") || kept.contains("PLANTED") || kept.contains("junk"), kept);
        assertTrue(dev.meshlens.events.PublicPem.certificatesOnly(PRIVATE_KEY) == null);
    }
}
