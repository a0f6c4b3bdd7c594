package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionEngineTest {
    static final String ALLOW_ALL = """
      id: permissive
      version: "7"
      allow_all: true
      """;

    @Test
    void defaultPolicyKeepsDiagnosisAndNothingElse() {
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);
        MeshEvent in = Corpus.realistic("istio-east", 1);
        MeshEvent out = engine.redact(in);
        assertEquals(in.eventId(), out.eventId());
        assertEquals(in.observedTime(), out.observedTime());
        assertEquals(FailureCategory.UNTRUSTED_ROOT, out.tls().category());
        assertEquals(in.tls().rawText(), out.tls().rawText());
        assertEquals(in.peerUriSan(), out.peerUriSan());
        assertEquals(in.localUriSan(), out.localUriSan());
        assertEquals(in.upstreamCluster(), out.upstreamCluster());
        assertEquals(in.requestedServerName(), out.requestedServerName());
        assertEquals(in.responseCodeDetails(), out.responseCodeDetails());
        assertEquals("10.244.1.0/24", out.downstreamRemoteAddress());
        assertEquals("172.18.0.0/24", out.upstreamHost());
        assertNull(out.path());
        assertNull(out.userAgent());
        assertNull(out.requestId());
        assertNull(out.forwardedFor());
        assertNull(out.method());
        assertTrue(out.attributes().isEmpty());
        assertEquals("meshlens-default", out.redaction().policyId());
        assertEquals("1", out.redaction().policyVersion());
        Map<String, Integer> c = out.redaction().counts();
        assertEquals(1, c.get("deny.path"));
        assertEquals(1, c.get("deny.user_agent"));
        assertEquals(2, c.get("deny.attributes"));
        assertEquals(1, c.get("field.downstream_remote_address"));
    }

    @Test
    void allowAllStillRunsDetectors() {
        RedactionPolicy p = RedactionPolicy.parse(ALLOW_ALL, "t.yaml", Map.of());
        assertTrue(p.allowAll());
        MeshEvent out = new RedactionEngine(p, null).redact(Corpus.realistic("m", 2));
        assertEquals("/api/v1/orders/84213?include=[REDACTED:query]&page=[REDACTED:query]", out.path());
        assertEquals("session=[REDACTED:cookie]", out.attributes().get("cookie"));
        assertEquals("permissive", out.redaction().policyId());
    }

    @Test
    void noPlantedSecretSurvivesAnyPolicy() {
        RedactionPolicy[] policies = {
            RedactionPolicy.defaultPolicy(),
            RedactionPolicy.parse(ALLOW_ALL, "t", Map.of()),
            RedactionPolicy.parse("""
            id: ops
            version: "2"
            hash_key: {env: K}
            fields:
              path: generalise
              user_agent: mask
              request_id: {action: hash, length: 16}
              forwarded_for: {action: generalise, to: ip, ipv4_prefix: 16}
              authority: keep
              cluster: keep
              response_code_details: keep
              tls.category: keep
              tls.raw_text: keep
              attributes.*: keep
              certificates: keep
              stats: keep
              trust_bundle: keep
            """, "t", Map.of("K", "0123456789abcdef0123456789abcdef"))
        };
        for (RedactionPolicy p : policies) {
            RedactionEngine engine = new RedactionEngine(p, null);
            int i = 0;
            for (Corpus.Secret s : Corpus.SECRETS) {
                String json = EventCodec.get().encode(engine.redact(Corpus.plantedEverywhere("m", s, i++)));
                for (String form : Corpus.forms(Corpus.core(s))) {
                    assertFalse(
                            json.contains(form),
                            () -> "policy " + p.id() + " leaked " + s.kind() + " as '" + form + "' in " + json);
                }
            }
        }
    }

    @Test
    void generalisesAndMasks() {
        RedactionPolicy p = RedactionPolicy.parse("""
        id: g
        version: "1"
        fields:
          path: generalise
          user_agent: mask
          downstream_remote_address: {action: generalise, ipv6_prefix: 48}
          forwarded_for: generalise
          attributes.x-q: {action: generalise, to: query}
        """, "t", Map.of());
        MeshEvent in = Corpus.realistic("m", 3).toBuilder()
                .path(
                        "/api/users/12345/orders/3f2b8c1e-9d4a-4e7b-b6c5-1a2f3e4d5c6b/a@b.io/deadbeefdeadbeefdeadbeef?x=1&y=2")
                .userAgent("curl/8.5.0")
                .downstreamRemoteAddress("[2001:db8:abcd:12::7]:443")
                .forwardedFor("203.0.113.7, 10.0.0.1")
                .attributes(Map.of("x-q", "/p?secret=1&b=2"))
                .build();
        MeshEvent out = new RedactionEngine(p, null).redact(in);
        assertEquals("/api/users/{id}/orders/{uuid}/{email}/{hash}?x&y", out.path());
        assertEquals("****/*.*.*", out.userAgent());
        assertEquals("2001:db8:abcd::/48", out.downstreamRemoteAddress());
        assertEquals("203.0.113.0/24, 10.0.0.0/24", out.forwardedFor());
        MeshEvent odd = new RedactionEngine(p, null)
                .redact(in.toBuilder()
                        .forwardedFor("user:pw@10.1.2.3:80, backend.ns.svc:8080, unknown")
                        .build());
        assertEquals("{address}, backend.ns.svc, unknown", odd.forwardedFor());
        assertEquals("/p?secret&b", out.attributes().get("x-q"));
    }

    @Test
    void hashCorrelatesUnderOneKeyOnly() {
        String policy = """
        id: h
        version: "1"
        hash_key: {env: K}
        fields:
          request_id: {action: hash, length: 24}
          downstream_remote_address: hash
        """;
        RedactionPolicy a = RedactionPolicy.parse(policy, "a", Map.of("K", "shared-key-between-both-meshes"));
        RedactionPolicy b = RedactionPolicy.parse(policy, "b", Map.of("K", "shared-key-between-both-meshes"));
        RedactionPolicy c = RedactionPolicy.parse(policy, "c", Map.of("K", "another-key-entirely-different"));
        MeshEvent e = Corpus.realistic("m", 4);
        MeshEvent ra = new RedactionEngine(a, null).redact(e);
        MeshEvent rb = new RedactionEngine(b, null)
                .redact(e.toBuilder()
                        .downstreamRemoteAddress("10.244.1.17:9999")
                        .build());
        MeshEvent rc = new RedactionEngine(c, null).redact(e);
        assertEquals(24, ra.requestId().length());
        assertEquals(ra.requestId(), rb.requestId());
        assertEquals(
                ra.downstreamRemoteAddress(), rb.downstreamRemoteAddress(), "port is not part of the hashed address");
        assertFalse(ra.requestId().equals(rc.requestId()));
        assertFalse(ra.requestId().contains(e.requestId()));
    }

    @Test
    void countsMetrics() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null, reg);
        engine.redact(Corpus.realistic("istio-east", 1));
        engine.redact(Corpus.realistic("istio-east", 2));
        assertEquals(
                2.0,
                reg.get(RedactionEngine.METRIC_FIELDS)
                        .tags("mesh", "istio-east", "rule", "deny.path", "action", "drop")
                        .counter()
                        .count());
        assertEquals(
                2.0,
                reg.get(RedactionEngine.METRIC_FIELDS)
                        .tags("mesh", "istio-east", "rule", "field.upstream_host", "action", "generalise")
                        .counter()
                        .count());
    }

    @Test
    void ipDetectorSparesGeneralisedNetworks() {
        RedactionPolicy p = RedactionPolicy.parse("""
        id: ip
        version: "1"
        detectors: {ip: true}
        fields:
          downstream_remote_address: generalise
          response_code_details: keep
        """, "t", Map.of());
        MeshEvent out = new RedactionEngine(p, null)
                .redact(Corpus.realistic("m", 6).toBuilder()
                        .responseCodeDetails("reset by 10.9.8.7:443")
                        .build());
        assertEquals("10.244.1.0/24", out.downstreamRemoteAddress());
        assertEquals("reset by [REDACTED:ip]:443", out.responseCodeDetails());
    }

    @Test
    void authorityLosesUserInfo() {
        MeshEvent out = new RedactionEngine(RedactionPolicy.defaultPolicy(), null)
                .redact(Corpus.realistic("m", 5).toBuilder()
                        .authority("admin:pw@backend:8080")
                        .build());
        assertEquals("backend:8080", out.authority());
        assertNotNull(out.redaction().counts().get("detector.userinfo"));
    }

    // issue 9.1: the generic token rule (length + entropy) ate these paths and the correlator used the remains
    static final String CONSUL_SHIPPING =
            "spiffe://7f3c2a1e-1b2c-4d5e-8f90-123456789abc.consul/ns/default/dc/central1/svc/shipping";
    static final String ISTIO_WORKER = "spiffe://cluster.local/ns/payments-prod/sa/checkout-worker3";

    @Test
    void defaultPolicyKeepsIdentitiesWhole() {
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);
        MeshEvent in = Corpus.realistic("istio-east", 7).toBuilder()
                .peerUriSan(CONSUL_SHIPPING)
                .localUriSan(ISTIO_WORKER)
                .responseCodeDetails("upstream_reset_before_response_started{connection_failure,verify_SAN_list:"
                        + ISTIO_WORKER + "}")
                .tls(new dev.meshlens.events.TlsFailure(
                        FailureCategory.SAN_MISMATCH,
                        dev.meshlens.events.RejectedBy.SELF,
                        null,
                        null,
                        "verify SAN list failed, expected " + CONSUL_SHIPPING + " got " + ISTIO_WORKER,
                        "[debug][connection] verify SAN list: " + CONSUL_SHIPPING))
                .build();
        MeshEvent out = engine.redact(in);
        assertEquals(CONSUL_SHIPPING, out.peerUriSan());
        assertEquals(ISTIO_WORKER, out.localUriSan());
        assertEquals(in.responseCodeDetails(), out.responseCodeDetails());
        assertEquals(in.tls().detail(), out.tls().detail());
        assertEquals(in.tls().rawText(), out.tls().rawText());
        assertNull(
                out.redaction().counts().get("detector.token"),
                () -> out.redaction().counts().toString());
    }

    // `explain --json | redact` redacts events that already passed the default policy: a network the
    // first pass produced must stay that network, not become {address}
    @Test
    void redactingAnAlreadyRedactedEventChangesNothing() {
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);
        MeshEvent once = engine.redact(Corpus.realistic("istio-east", 8).toBuilder()
                .upstreamLocalAddress("[2001:db8:1:2::7]:443")
                .build());
        assertEquals("10.244.1.0/24", once.downstreamRemoteAddress());
        assertEquals("2001:db8:1:2::/64", once.upstreamLocalAddress());
        MeshEvent twice = engine.redact(once);
        assertEquals(
                EventCodec.get().encode(once.toBuilder().redaction(null).build()),
                EventCodec.get().encode(twice.toBuilder().redaction(null).build()));

        RedactionPolicy coarse = RedactionPolicy.parse("""
        id: coarse
        version: "1"
        fields:
          downstream_remote_address: {action: generalise, ipv4_prefix: 16}
          upstream_local_address: {action: generalise, ipv6_prefix: 32}
        """, "t", Map.of());
        MeshEvent coarser = new RedactionEngine(coarse, null).redact(once);
        assertEquals("10.244.0.0/16", coarser.downstreamRemoteAddress(), "the coarser prefix wins");
        assertEquals("2001:db8::/32", coarser.upstreamLocalAddress());
    }

    @Test
    void aRootsPemLeavesWithItsSubjectAndIsDroppedWhenTheSubjectIsRedacted() {
        // a root's PEM is public (fixes carry it to the other mesh), but it repeats the subject: when a
        // detector redacts the subject, the PEM must not carry it out
        String pem = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUQUJD\n-----END CERTIFICATE-----\n";
        MeshEvent in = MeshEvent.builder()
                .eventId("b1")
                .observedTime(Instant.parse("2026-01-01T00:00:00Z"))
                .meshId("istio-east")
                .sourceKind(dev.meshlens.events.SourceKind.TRUST_BUNDLE)
                .trustBundle(new dev.meshlens.events.TrustBundle(
                        "istio-east",
                        "cluster.local",
                        "file",
                        List.of(
                                new dev.meshlens.events.TrustBundle.Root(
                                        "CN=Root CA,O=east", "ab", null, null, null, null, pem),
                                new dev.meshlens.events.TrustBundle.Root(
                                        "CN=ops@example.com", "cd", null, null, null, null, pem))))
                .build();
        MeshEvent out = new RedactionEngine(RedactionPolicy.defaultPolicy(), null).redact(in);
        var roots = out.trustBundle().roots();
        assertEquals(pem, roots.get(0).pem());
        assertFalse(
                roots.get(1).subject().contains("ops@example.com"), roots.get(1).subject());
        assertNull(roots.get(1).pem());
    }
}
