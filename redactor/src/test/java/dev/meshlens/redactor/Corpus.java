package dev.meshlens.redactor;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.events.TrustBundle;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Planted secrets and events that carry them in every field position. */
public final class Corpus {
    private Corpus() {}

    /** A planted secret: the raw value and how it is written into text. */
    public record Secret(String kind, String value) {}

    public static final List<Secret> SECRETS = List.of(
            new Secret(
                    "jwt",
                    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc2NDM3NDQwMH0."
                            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
            new Secret("bearer", "Bearer 9fQx2LmA7pWz4KcR8tYv1NbE5hJs3Du0"),
            new Secret("basic", "Basic YWxpY2U6czNjcjN0LXBhc3N3MHJk"),
            new Secret("aws", "AKIAZ7XQ4R2LM9PVT3KW"),
            new Secret("aws_secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Lr3NvW2"),
            new Secret("gcp", "AIzaSyB3xK9mQ2vL7pR4tW8nZ1cF6hJ0dS5aE2u"),
            new Secret("github", "ghp_R8mK2xQ9vL4pT7wN1cF6hJ0dS5aE3uY2bZ8g"),
            new Secret("slack", "xoxb-2938475610-3948576102-Qx7Lm2Pv9Rt4Wz8Kc1Nb6Hs3"),
            new Secret("token", "Zq8Xw2Lm9Pv4Rt7Yk3Nb6Hs1Jd5Fg0Ca"),
            new Secret(
                    "pem",
                    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
                            + "-----END PRIVATE KEY-----"),
            new Secret("email", "carol.danvers+ops@acme-corp.example"),
            new Secret("card", "4539 1488 0343 6467"),
            new Secret("iban", "GB29NWBK60161331926819"),
            new Secret("userinfo", "svc-user:Pa55w0rdXYZ"),
            new Secret("cookie", "sess_7Gh2Kq9LmX4Pz1Rt"),
            new Secret("query", "qv_8HsK2mLq9XpZ4wRt"));

    /** Every form a planted secret must not appear in: raw, URL-encoded, base64. */
    public static List<String> forms(String secret) {
        List<String> f = new ArrayList<>();
        f.add(secret);
        String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!url.equals(secret)) {
            f.add(url);
        }
        f.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        f.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        return f;
    }

    /** The sensitive core of a secret as planted (Bearer/Basic: the credential; userinfo: the password). */
    public static String core(Secret s) {
        return switch (s.kind()) {
            case "bearer", "basic" -> s.value().substring(s.value().indexOf(' ') + 1);
            case "userinfo" -> s.value().substring(s.value().indexOf(':') + 1);
            case "pem" -> "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
            case "card" -> s.value().replace(" ", "");
            default -> s.value();
        };
    }

    /**
     * True when the secret is recognisable without context (a JWT, a key with a known prefix, an
     * e-mail, a card number...). A cookie value or a URL password is only recognisable next to its
     * cookie name or URL, so it is planted only in context.
     */
    public static boolean selfEvident(Secret s) {
        return !(s.kind().equals("userinfo")
                || s.kind().equals("cookie")
                || s.kind().equals("query"));
    }

    /** The text a secret is planted in, so that a reader of that field would recognise it. */
    public static String plant(Secret s, String prefix) {
        return switch (s.kind()) {
            case "userinfo" -> prefix + " https://" + s.value() + "@db.internal:5432/x";
            case "cookie" -> prefix + " cookie: sid=" + s.value() + "; theme=dark";
            case "query" -> prefix + " /cb?state=" + s.value() + "&x=1";
            case "aws_secret" -> prefix + " aws_secret_access_key=" + s.value();
            default -> prefix + " " + s.value() + " end";
        };
    }

    /** An access-log failure event with {@code s} planted in every string field and header. */
    public static MeshEvent plantedEverywhere(String mesh, Secret s, int i) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("x-custom", plant(s, "h"));
        attrs.put("authorization", s.kind().equals("basic") ? s.value() : "Bearer " + core(s));
        attrs.put("cookie", "sid=" + core(s) + "; a=b");
        attrs.put(
                "x-forwarded-client-cert", plant(s, "By=spiffe://cluster.local/ns/a/sa/b;Hash=abc;Subject=\"\";URI="));
        CertificateInfo cert = new CertificateInfo(
                "CN=" + plant(s, "w"),
                "O=" + plant(s, "i"),
                "0a1b2c",
                "3b2f8e5c0d9a4b1c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                List.of("spiffe://cluster.local/ns/default/sa/web", plant(s, "uri")),
                List.of(plant(s, "dns")),
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"),
                "aa11",
                "bb22",
                false);
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "corpus", i))
                .observedTime(Instant.parse("2026-11-29T00:00:00Z").plusSeconds(i))
                .meshId(mesh)
                .meshKind(MeshKind.ISTIO)
                .cluster(plant(s, "cluster"))
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .downstreamRemoteAddress("10.1.2.3:51234")
                .downstreamLocalAddress("10.1.2.4:15001")
                .upstreamHost("10.9.8.7:8443")
                .upstreamLocalAddress("10.1.2.4:40000")
                .requestedServerName(plant(s, "sni"))
                .authority(s.kind().equals("userinfo") ? s.value() + "@backend:8080" : plant(s, "backend"))
                .method("GET")
                .path("/api/users/" + (selfEvident(s) ? URLEncoder.encode(core(s), StandardCharsets.UTF_8) : "42")
                        + "/x?token=" + core(s) + "&q="
                        + URLEncoder.encode(s.value(), StandardCharsets.UTF_8))
                .protocol("HTTP/1.1")
                .userAgent(plant(s, "curl/8.5"))
                .requestId(plant(s, "rid"))
                .forwardedFor("203.0.113.7, 10.0.0.1")
                .responseCode(503)
                .responseFlags("UF")
                .responseCodeDetails(plant(s, "upstream_reset_before_response_started{connection_failure}"))
                .connectionTerminationDetails(plant(s, "term"))
                .upstreamTransportFailureReason(plant(
                        s,
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:"
                                + "CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .downstreamTransportFailureReason(plant(s, "-"))
                .upstreamCluster(plant(s, "outbound|8080||backend.default.svc.cluster.local"))
                .localUriSan("spiffe://cluster.local/ns/default/sa/web")
                .peerUriSan(plant(s, "spiffe://peer"))
                .peerIssuer(plant(s, "O=cluster.local"))
                .peerSubject(plant(s, "CN=x"))
                .tlsVersion("TLSv1.3")
                .durationMs(12L)
                .bytesReceived(0L)
                .bytesSent(0L)
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        plant(s, "verify cert failed"),
                        plant(s, "raw")))
                .stats(new StatsDelta(
                        "cluster",
                        plant(s, "c"),
                        Map.of("ssl.fail_verify_error", 3L, plant(s, "cluster.x.ssl"), 1L),
                        10))
                .certificates(List.of(cert))
                .trustBundle(new TrustBundle(
                        mesh,
                        "cluster.local",
                        plant(s, "/etc/certs/root-cert.pem"),
                        List.of(new TrustBundle.Root(plant(s, "CN=root"), "ff00", "aa11", "aa11", null, null))))
                .attributes(attrs)
                .build();
    }

    /** A realistic, clean Istio client-side failure (no secrets). */
    public static MeshEvent realistic(String mesh, int i) {
        return MeshEvent.builder()
                .eventId(EventIds.of(mesh, "bench", i))
                .observedTime(Instant.parse("2026-11-29T00:00:00Z").plusMillis(i))
                .meshId(mesh)
                .meshKind(MeshKind.ISTIO)
                .cluster("east-1")
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .downstreamRemoteAddress("10.244.1.17:48230")
                .downstreamLocalAddress("10.96.12.4:8080")
                .upstreamHost("172.18.0.5:15443")
                .upstreamLocalAddress("10.244.1.17:51872")
                .requestedServerName("outbound_.8080_._.backend.default.svc.cluster.local")
                .authority("backend.default.svc.cluster.local:8080")
                .method("GET")
                .path("/api/v1/orders/84213?include=items&page=2")
                .protocol("HTTP/1.1")
                .userAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
                .requestId("3f2b8c1e-9d4a-4e7b-b6c5-1a2f3e4d5c6b")
                .forwardedFor("198.51.100.23")
                .responseCode(503)
                .responseFlags("UF")
                .responseCodeDetails("upstream_reset_before_response_started{connection_failure,TLS_error:_268435581:"
                        + "SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end}")
                .connectionTerminationDetails("-")
                .upstreamTransportFailureReason("TLS_error:|268435581:SSL routines:OPENSSL_internal:"
                        + "CERTIFICATE_VERIFY_FAILED:TLS_error_end")
                .upstreamCluster("outbound|8080||backend.default.svc.cluster.local")
                .localUriSan("spiffe://cluster.local/ns/default/sa/frontend")
                .peerUriSan("spiffe://5a1c2f3e-0b9d-4e8f-a7c6-1b2d3e4f5a6b.consul/ns/default/dc/dc1/svc/backend")
                .peerIssuer("CN=Consul CA 7")
                .peerSubject("")
                .tlsVersion("TLSv1.3")
                .durationMs(3L)
                .bytesReceived(0L)
                .bytesSent(0L)
                .tls(new TlsFailure(
                        FailureCategory.UNTRUSTED_ROOT,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        null,
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .attributes(
                        Map.of("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7", "cookie", "session=abc123def456"))
                .build();
    }
}
