package dev.meshlens.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScenarioGeneratorTest {

    @Test
    void sameSeedSameOutput() {
        Scenario a = ScenarioGenerator.generate(7);
        Scenario b = ScenarioGenerator.generate(7);
        assertEquals(a.lines().size(), b.lines().size());
        for (int i = 0; i < a.lines().size(); i++) {
            assertEquals(a.lines().get(i).text(), b.lines().get(i).text());
            assertEquals(
                    EventCodec.get().encode(a.lines().get(i).expected()),
                    EventCodec.get().encode(b.lines().get(i).expected()));
        }
        assertEquals(a.expected(), b.expected());
    }

    @Test
    void untrustedRootDecidedByRealVerificationInBothDirections() {
        Instant now = ScenarioGenerator.BASE;
        Federation f = new Federation(3, "istio-a", "consul-b", now);
        Federation.Edge e = f.crossMeshEdges().get(0); // backend -> info
        Traffic t = new Traffic(3);
        assertTrue(
                t.call(e.client(), e.server(), e.gateway(), now, "/").result().success());
        f.istio().distrust(f.consul());
        Traffic.Call c = t.call(e.client(), e.server(), e.gateway(), now, "/");
        assertEquals(FailureCategory.UNTRUSTED_ROOT, c.result().category());
        assertEquals(RejectedBy.SELF, c.result().rejectedBy());
        String clientLine = c.lines().get(0).text();
        assertTrue(
                clientLine.contains("\"TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:"
                        + "verify cert failed: X509_verify_cert: certificate verification error at depth 0: unable to get local"
                        + " issuer certificate:TLS_error_end\""),
                clientLine);
        assertTrue(
                clientLine.contains(" 503 UF upstream_reset_before_response_started{connection_failure,TLS_error:|"
                        + "268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:"),
                clientLine);
        String serverLine = c.lines().get(1).text();
        assertTrue(serverLine.startsWith("{\"start_time\":"), serverLine);
        assertTrue(serverLine.contains("268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"), serverLine);
        // the other direction: consul does not trust istio's root -> info rejects backend's client cert
        f.istio().trust(f.consul());
        f.consul().distrust(f.istio());
        Traffic.Call d = t.call(e.client(), e.server(), e.gateway(), now, "/");
        assertEquals(FailureCategory.UNTRUSTED_ROOT, d.result().category());
        assertEquals(RejectedBy.PEER, d.result().rejectedBy());
        assertEquals(
                FailureCategory.UNTRUSTED_ROOT,
                d.lines().get(0).expected().tls().category());
        assertEquals(RejectedBy.PEER, d.lines().get(0).expected().tls().rejectedBy());
    }

    @Test
    void clockSkewMakesAFreshCertificateNotYetValid() {
        Instant now = ScenarioGenerator.BASE;
        Federation f = new Federation(4, "i", "c", now);
        Federation.Edge e = f.crossMeshEdges().get(0);
        e.server().reissue(now.plusSeconds(2), now.plus(Duration.ofDays(1)));
        Traffic t = new Traffic(4);
        f.istio().clockSkew(Duration.ofSeconds(5));
        assertTrue(
                t.call(e.client(), e.server(), e.gateway(), now, "/").result().success());
        f.istio().clockSkew(Duration.ofSeconds(-5));
        Handshake.Result r =
                t.call(e.client(), e.server(), e.gateway(), now, "/").result();
        assertEquals(FailureCategory.CERT_EXPIRED, r.category());
    }

    @Test
    void everyCategoryAppearsInBothMeshDirections() {
        Set<String> seen = new TreeSet<>();
        EnumSet<FailureCategory> cats = EnumSet.noneOf(FailureCategory.class);
        for (long s = 1; s <= 100; s++) {
            Scenario sc = ScenarioGenerator.generate(s);
            assertFalse(sc.expected().isEmpty(), sc.description());
            sc.expected().forEach(x -> {
                cats.add(x.category());
                seen.add(x.category() + " " + (x.clientMesh().startsWith("istio") ? "istio->consul" : "consul->istio"));
            });
        }
        System.out.println("categories x directions over 100 scenarios: " + seen);
        assertTrue(
                cats.containsAll(EnumSet.of(
                        FailureCategory.UNTRUSTED_ROOT,
                        FailureCategory.SAN_MISMATCH,
                        FailureCategory.CERT_EXPIRED,
                        FailureCategory.CLIENT_CERT_MISSING,
                        FailureCategory.PLAINTEXT_MISMATCH,
                        FailureCategory.PROTOCOL_MISMATCH,
                        FailureCategory.NO_ROUTE)),
                cats.toString());
    }

    @Test
    void adminServesStatsAndCerts() throws Exception {
        Instant now = Instant.now();
        Federation f = new Federation(5, "i", "c", now);
        Federation.Edge e = f.crossMeshEdges().get(0);
        f.consul().distrust(f.istio());
        new Traffic(5).call(e.client(), e.server(), e.gateway(), now, "/");
        try (EnvoyAdmin admin = new EnvoyAdmin(e.server(), 0, Instant::now)) {
            HttpClient http = HttpClient.newHttpClient();
            String stats = http.send(
                            HttpRequest.newBuilder(URI.create(admin.baseUrl() + "/stats?format=json&filter=ssl"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(
                    stats.contains("{\"name\":\"listener.0.0.0.0_15006.ssl.fail_verify_error\",\"value\":1}"), stats);
            String certs = http.send(
                            HttpRequest.newBuilder(URI.create(admin.baseUrl() + "/certs"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(certs.contains(e.server().identity()), certs);
            assertNotNull(certs);
        }
    }
}
