package dev.meshlens.redactor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DetectorsTest {
    static final Detectors ALL = new Detectors(EnumSet.allOf(DetectorKind.class), List.of());
    static final Detectors NO_IP;

    static {
        EnumSet<DetectorKind> k = EnumSet.allOf(DetectorKind.class);
        k.remove(DetectorKind.IP);
        NO_IP = new Detectors(k, List.of());
    }

    static String run(Detectors d, String s) {
        return d.apply(s, "f", new int[DetectorKind.values().length], 0);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok|auth [REDACTED:jwt] ok",
                "Authorization: Bearer abcDEF123456789xyz|Authorization: Bearer [REDACTED:bearer]",
                "authorization=basic dXNlcjpwYXNzd29yZA==|authorization=basic [REDACTED:basic]",
                "key AKIAIOSFODNN7EXAMPLE used|key [REDACTED:aws_key] used",
                "k=AIzaSyD-1234567890abcdefghijklmnopqrstu|k=[REDACTED:gcp_key]",
                "tok ghp_0123456789abcdefghijklmnopqrstuvwxyz0 x|tok [REDACTED:github_token] x",
                "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx|slack [REDACTED:slack_token]",
                "mail alice.smith+x@example.co.uk now|mail [REDACTED:email] now",
                "card 4111 1111 1111 1111 paid|card [REDACTED:card] paid",
                "card 5500-0000-0000-0004|card [REDACTED:card]",
                "port 443 5119784951861091, ok|port 443 [REDACTED:card], ok",
                "n 4111 1111 1111 1111 2024|n [REDACTED:card] 2024",
                "iban DE89370400440532013000 ok|iban [REDACTED:iban] ok",
                "iban GB82 WEST 1234 5698 7654 32 ok|iban [REDACTED:iban] ok",
                "url https://bob:hunter2@internal.example:8443/x|url https://[REDACTED:userinfo]@internal.example:8443/x",
                "GET /search?q=alice&token=abc HTTP/1.1|GET /search?q=[REDACTED:query]&token=[REDACTED:query] HTTP/1.1",
                "Cookie: session=abc123; theme=dark|Cookie: session=[REDACTED:cookie]; theme=[REDACTED:cookie]",
                "password=hunter2 next|password=[REDACTED:secret_param] next",
                "random Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1 end|random [REDACTED:token] end",
                "from 10.1.2.3:443 and [2001:db8::1]|from [REDACTED:ip]:443 and [[REDACTED:ip]]",
                "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc|stripe [REDACTED:token]",
            })
    void detects(String in, String expected) {
        assertEquals(expected, run(ALL, in));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end",
                "upstream_reset_before_response_started{connection_failure,TLS_error:_268435581:SSL_routines}",
                "spiffe://cluster.local/ns/default/sa/backend",
                "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/dc1/svc/backend",
                "outbound|443||backend.default.svc.cluster.local",
                "CN=backend,O=cluster.local",
                "3b2f8e5c0d9a4b1c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                "550e8400-e29b-41d4-a716-446655440000",
                "observed 1764374400000 ms",
                "via_upstream",
                "TLSv1.3",
                "verify cert failed: SAN matcher",
                "Connection reset by peer",
                "istio-ingressgateway.istio-system.svc.cluster.local:15443",
            })
    void leavesDiagnosticTextAlone(String in) {
        assertEquals(in, run(NO_IP, in));
    }

    @Test
    void privateKeyBlock() {
        String pem = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- tail";
        assertEquals("key: [REDACTED:private_key] tail", run(ALL, pem));
    }

    @Test
    void allowListWins() {
        Detectors d = new Detectors(
                EnumSet.allOf(DetectorKind.class),
                List.of(new Detectors.AllowEntry(Pattern.compile("ops@example\\.com"), Set.of())));
        assertEquals(
                "to ops@example.com and [REDACTED:email]",
                d.apply("to ops@example.com and eve@example.com", "f", null, 0));
    }

    @Test
    void countsPerDetector() {
        int[] c = new int[DetectorKind.values().length];
        ALL.apply("a@b.io c@d.io AKIAIOSFODNN7EXAMPLE", "f", c, 0);
        assertEquals(2, c[DetectorKind.EMAIL.ordinal()]);
        assertEquals(1, c[DetectorKind.AWS_KEY.ordinal()]);
    }

    @Test
    void tableEntropyMatchesDefinition() {
        for (String t : List.of(
                "aaaaaaaaaaaaaaaaaaaa",
                "Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1",
                "consul/ns/default/dc/dc1/svc/backend",
                "abababababababababab12")) {
            double slow = 0;
            for (char c : t.chars().distinct().mapToObj(c -> (char) c).toList()) {
                double p = t.chars().filter(x -> x == c).count() / (double) t.length();
                slow -= p * Math.log(p) / Math.log(2);
            }
            assertEquals(slow, Detectors.entropy(t, 0, t.length()), 1e-9, t);
            assertEquals(slow, Detectors.entropy(t, 0, t.length()), 1e-9, "scratch array left clean: " + t);
        }
    }

    @Test
    void luhnAndIban() {
        assertTrue(Detectors.luhn("4111 1111 1111 1111", 0, 19));
        assertFalse(Detectors.luhn("4111111111111112", 0, 16));
        assertTrue(Detectors.ibanValid("DE89370400440532013000", 0, 22));
        assertFalse(Detectors.ibanValid("DE88370400440532013000", 0, 22));
        assertEquals("card 4111111111111112", run(ALL, "card 4111111111111112"));
    }

    // issue 9.1: identities are recognised by their grammar, never guessed at by length or entropy
    @ParameterizedTest
    @ValueSource(
            strings = {
                "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/central1/svc/shipping",
                "spiffe://cluster.local/ns/payments-prod/sa/checkout-worker3",
                "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ap/team-a7/ns/billing2/dc/eu-central1/svc/ledger-writer9",
                "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/agent/client/dc/central1/id/0f8e4c2a-9b1d-4e3f-a2c5-d7b9e1f3a5c8",
                "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/gateway/mesh/dc/central1",
                "spiffe://prod.example.org/spire/agent/k8s_psat/eu-west1-cluster7/8d2f4a6c-1e3b-4c5d-9f7a-2b4d6f8a0c1e",
                "outbound|8080||checkout-worker3.payments-prod7.svc.cluster.local",
                "outbound_.8080_.v2_.checkout-worker3.payments-prod7.svc.cluster.local",
                "checkout-worker3x9k2.payments-prod7q4m8.svc.cluster.local:8080",
                "shipping-central1.default.dc1.internal.7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul",
                "shipping-central1.default.default.peer-west2.external.7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul",
                "[2025-04-15 21:45:11.169][15][debug][connection] verify SAN list failed: "
                        + "spiffe://cluster.local/ns/payments-prod/sa/checkout-worker3, expected "
                        + "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/central1/svc/shipping",
                "upstream_reset_before_response_started{connection_failure,verify_SAN_list:"
                        + "spiffe://cluster.local/ns/payments-prod/sa/checkout-worker3}",
            })
    void identitiesAreNeverJudgedByEntropy(String in) {
        assertEquals(in, run(NO_IP, in));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // a secret glued to an identity is judged on its own
                "spiffe://cluster.local/ns/a/sa/web+Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1 x|spiffe://cluster.local/ns/a/sa/web[REDACTED:token] x",
                "Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1spiffe://cluster.local/ns/a/sa/web|[REDACTED:token]spiffe://cluster.local/ns/a/sa/web",
                "Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1/backend.default.svc.cluster.local|[REDACTED:token]backend.default.svc.cluster.local",
                // named shapes still count inside an identity
                "spiffe://cluster.local/ns/a/sa/AKIAIOSFODNN7EXAMPLE|spiffe://cluster.local/ns/a/sa/[REDACTED:aws_key]",
                // mixed case is not a mesh host name: the generic rule still judges it
                "Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1.svc.cluster.local|[REDACTED:token].svc.cluster.local",
            })
    void secretsNextToIdentitiesAreStillFound(String in, String expected) {
        assertEquals(expected, run(NO_IP, in));
    }
}
