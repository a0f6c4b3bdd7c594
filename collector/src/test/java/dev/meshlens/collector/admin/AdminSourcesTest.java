package dev.meshlens.collector.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TrustBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Polls a local HTTP server that serves real-shaped Envoy /stats?format=json, /certs and Consul roots. */
class AdminSourcesTest {
    static String stats(int handshakes, int san, int noCert) {
        return """
        {"stats":[
         {"name":"cluster.outbound|8080||backend.shop.svc.cluster.local.ssl.handshake","value":%d},
         {"name":"cluster.outbound|8080||backend.shop.svc.cluster.local.ssl.fail_verify_san","value":%d},
         {"name":"cluster.outbound|8080||backend.shop.svc.cluster.local.ssl.connection_error","value":0},
         {"name":"listener.0.0.0.0_15006.ssl.handshake","value":40},
         {"name":"listener.0.0.0.0_15006.ssl.fail_verify_no_cert","value":%d},
         {"name":"listener.0.0.0.0_15006.ssl.versions.TLSv1.3","value":40},
         {"name":"cluster_manager.cds.update_success","value":7},
         {"histograms":{"supported_quantiles":[0,25,50],"computed_quantiles":[]}}
        ]}""".formatted(handshakes, san, noCert);
    }

    static final String CERTS = """
      {"certificates":[{"ca_cert":[{"path":"<inline>","serial_number":"1f2e","subject_alt_names":[],
        "days_until_expiration":"3650","valid_from":"2024-01-01T00:00:00Z","expiration_time":"2034-01-01T00:00:00Z"}],
       "cert_chain":[{"path":"<inline>","serial_number":"a1b2c3",
        "subject_alt_names":[{"uri":"spiffe://cluster.local/ns/shop/sa/frontend"}],
        "days_until_expiration":"0","valid_from":"2026-11-28T00:00:00Z","expiration_time":"2026-11-30T12:00:00Z"}]}]}
      """;

    @Test
    void pollsStatsCertsAndConsulRoots() throws Exception {
        AtomicInteger poll = new AtomicInteger();
        String pem = Files.readString(
                Path.of(getClass().getResource("/admin/istio-root.pem").toURI()));
        String roots = "{\"ActiveRootID\":\"x\",\"TrustDomain\":\"11111111-2222-3333-4444-555555555555.consul\","
                + "\"Roots\":[{\"ID\":\"x\",\"Name\":\"Consul CA Primary Cert\",\"RootCert\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(pem) + ",\"Active\":true}]}";
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stats", ex -> {
            int n = poll.getAndIncrement();
            byte[] b = (n == 0 ? stats(100, 2, 0) : stats(130, 7, 3)).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/certs", ex -> {
            byte[] b = CERTS.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.createContext("/v1/connect/ca/roots", ex -> {
            byte[] b = roots.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestHeaders().getFirst("X-Consul-Token") == null ? 403 : 200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            AdminSources a = new AdminSources("istio-east", MeshKind.ISTIO, "east");
            assertEquals(List.of(), a.pollStats(url), "first poll is the baseline");
            List<MeshEvent> ev = a.pollStats(url);
            assertEquals(2, ev.size());
            MeshEvent cl = ev.stream()
                    .filter(e -> e.stats().scope().equals("cluster"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    "outbound|8080||backend.shop.svc.cluster.local", cl.stats().name());
            assertEquals(30, cl.stats().delta("ssl.handshake"));
            assertEquals(5, cl.stats().delta("ssl.fail_verify_san"));
            assertEquals(FailureCategory.SAN_MISMATCH, cl.tls().category());
            assertEquals(ObserverRole.CLIENT, cl.observerRole());
            assertEquals(SourceKind.ENVOY_STATS, cl.sourceKind());
            MeshEvent li = ev.stream()
                    .filter(e -> e.stats().scope().equals("listener"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("0.0.0.0_15006", li.stats().name());
            assertEquals(3, li.stats().delta("ssl.fail_verify_no_cert"));
            assertEquals(FailureCategory.CLIENT_CERT_MISSING, li.tls().category());
            assertEquals(ObserverRole.SERVER, li.observerRole());
            assertNull(li.localUriSan(), "an unnamed endpoint says nothing about its Envoy");

            MeshEvent certs = a.pollCerts(url);
            assertEquals(2, certs.certificates().size());
            assertTrue(certs.certificates().get(0).ca());
            assertEquals(
                    List.of("spiffe://cluster.local/ns/shop/sa/frontend"),
                    certs.certificates().get(1).uriSans());
            assertEquals(1, certs.certificates().get(1).daysUntilExpiry(Instant.parse("2026-11-29T00:00:00Z")));
            assertNotNull(certs.attributes().get("cert.1.days_until_expiry"));

            TrustBundle consul = a.bundleFromConsul(url, "token-1");
            assertEquals("11111111-2222-3333-4444-555555555555.consul", consul.trustDomain());
            assertEquals(1, consul.roots().size());
            assertEquals(
                    "6777be1468c998403832413cd34fce9ccc39752b",
                    consul.roots().get(0).subjectKeyId());
            assertEquals(
                    "2859eeba7ea84d4c0c67dca8019df00c929c70391bf091ca794350f446c69ffc",
                    consul.roots().get(0).sha256Fingerprint());
            assertTrue(consul.trusts("6777BE1468C998403832413CD34FCE9CCC39752B"));

            TrustBundle file = a.bundleFromPem(
                    Path.of(getClass().getResource("/admin/istio-root.pem").toURI()), "cluster.local");
            assertEquals("O=cluster.local", file.roots().get(0).subject());
            assertEquals(
                    SourceKind.TRUST_BUNDLE, a.bundleEvent(file, Instant.now()).sourceKind());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void eventsOfANamedEndpointCarryItsEnvoysIdentity() throws Exception {
        String id = "spiffe://cluster.local/ns/shop/sa/frontend";
        AdminSources a =
                new AdminSources("istio-east", MeshKind.ISTIO, "east", new AdminSources.PolledEnvoy(id, "frontend"));
        ObjectMapper m = new ObjectMapper();
        Instant t0 = Instant.parse("2026-11-29T00:00:00Z");
        assertEquals(List.of(), a.statsEvents("http://frontend:15000", m.readTree(stats(100, 2, 0)), t0));
        List<MeshEvent> ev = a.statsEvents("http://frontend:15000", m.readTree(stats(130, 7, 3)), t0.plusSeconds(30));
        assertEquals(2, ev.size());
        for (MeshEvent e : ev) {
            assertEquals(id, e.localUriSan(), e.stats().scope() + " delta names its Envoy");
            assertEquals("frontend", e.attributes().get("workload"));
        }
        MeshEvent certs = a.certsEvent("http://frontend:15000", m.readTree(CERTS), t0);
        assertEquals(id, certs.localUriSan());
        assertEquals("frontend", certs.attributes().get("workload"));
        assertNotNull(certs.attributes().get("cert.1.days_until_expiry"), "the certificate attributes stay");
    }

    // ---- /config_dump: where the issuers come from (Envoy's /certs has none) ----

    /** /certs as real Envoy answers it for {@code leaf} and {@code cas}: serials, SANs and dates, no issuer. */
    static String realCerts(X509Certificate leaf, X509Certificate... cas) {
        StringBuilder ca = new StringBuilder();
        for (X509Certificate c : cas) {
            ca.append(ca.isEmpty() ? "" : ",").append(realDetails(c));
        }
        return "{\"certificates\":[{\"ca_cert\":[" + ca + "],\"cert_chain\":[" + realDetails(leaf) + "]}]}";
    }

    private static String realDetails(X509Certificate c) {
        List<String> uris = Pem.info(c).uriSans();
        return "{\"path\":\"<inline>\",\"serial_number\":\""
                + c.getSerialNumber().toString(16)
                + "\",\"subject_alt_names\":[" + (uris.isEmpty() ? "" : "{\"uri\":\"" + uris.get(0) + "\"}")
                + "],\"days_until_expiration\":\"0\",\"valid_from\":\""
                + c.getNotBefore().toInstant()
                + "\",\"expiration_time\":\"" + c.getNotAfter().toInstant() + "\"}";
    }

    /** An admin endpoint: /certs, and /config_dump answering per resource (null = 404, as Envoy for a missing one). */
    static HttpServer admin(String certs, Map<String, String> dumps, List<String> asked) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/certs", ex -> reply(ex, 200, certs));
        server.createContext("/config_dump", ex -> {
            String q = ex.getRequestURI().getQuery();
            String resource = q == null ? "" : q.replace("resource=", "");
            asked.add(resource);
            String body = dumps.get(resource);
            reply(ex, body == null ? 404 : 200, body == null ? resource + " not found in config dump" : body);
        });
        server.start();
        return server;
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    @Test
    void istioSecretsGiveTheInventoryItsIssuers() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer s = admin(
                realCerts(
                        TlsConfigDumpTest.FRONTEND.cert(), TlsConfigDumpTest.EAST.cert(), TlsConfigDumpTest.DC1.cert()),
                Map.of("dynamic_active_secrets", TlsConfigDumpTest.istioSecrets(TlsConfigDumpTest.REDACTED_BYTES)),
                asked);
        try {
            MeshEvent e = new AdminSources("istio-east", MeshKind.ISTIO, "east").pollCerts(url(s));
            assertEquals(List.of("dynamic_active_secrets"), asked, "SDS had the chain: the listeners are not read");
            assertEquals("known", e.attributes().get(AdminSources.ATTR_ISSUERS));
            assertEquals("2", e.attributes().get(AdminSources.ATTR_TRUSTED_CAS));
            List<CertificateInfo> c = e.certificates();
            assertEquals(
                    List.of(
                            Pem.info(TlsConfigDumpTest.EAST.cert()),
                            Pem.info(TlsConfigDumpTest.DC1.cert()),
                            Pem.info(TlsConfigDumpTest.FRONTEND.cert()),
                            Pem.info(TlsConfigDumpTest.EAST.cert())),
                    c,
                    "trusted CAs, then the presented chain leaf first; every /certs serial covered");
            assertEquals("CN=istio-ca-east,O=cluster.local", c.get(2).issuer());
            assertNotNull(c.get(2).authorityKeyId());
            assertNotNull(e.attributes().get("cert.2.days_until_expiry"));
        } finally {
            s.stop(0);
        }
    }

    @Test
    void consulHasNoSecretsSoTheListenersAreRead() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer s = admin(
                realCerts(TlsConfigDumpTest.INFO.cert(), TlsConfigDumpTest.DC1.cert(), TlsConfigDumpTest.EAST.cert()),
                Map.of(
                        "dynamic_active_secrets",
                        "{}",
                        "dynamic_listeners",
                        TlsConfigDumpTest.consulListeners("[redacted]")),
                asked);
        try {
            MeshEvent e = new AdminSources("consul-dc1", MeshKind.CONSUL, "dc1").pollCerts(url(s));
            assertEquals(List.of("dynamic_active_secrets", "dynamic_listeners"), asked);
            assertEquals("known", e.attributes().get(AdminSources.ATTR_ISSUERS));
            assertEquals(
                    List.of(
                            Pem.info(TlsConfigDumpTest.DC1.cert()),
                            Pem.info(TlsConfigDumpTest.EAST.cert()),
                            Pem.info(TlsConfigDumpTest.INFO.cert())),
                    e.certificates());
        } finally {
            s.stop(0);
        }
    }

    @Test
    void withoutAUsableConfigDumpTheCertsInventoryStaysAsBefore() throws Exception {
        String certs = realCerts(TlsConfigDumpTest.FRONTEND.cert(), TlsConfigDumpTest.EAST.cert());
        for (Map<String, String> dumps : List.<Map<String, String>>of(
                Map.of(),
                Map.of("dynamic_active_secrets", "<html>not json", "dynamic_listeners", "{\"configs\":[{\"x\":"),
                Map.of("dynamic_active_secrets", "{}", "dynamic_listeners", "{\"configs\":[]}"))) {
            HttpServer s = admin(certs, dumps, new ArrayList<>());
            try {
                MeshEvent e = new AdminSources("istio-east", MeshKind.ISTIO, "east").pollCerts(url(s));
                assertEquals("unknown", e.attributes().get(AdminSources.ATTR_ISSUERS), dumps.toString());
                assertEquals(2, e.certificates().size());
                assertTrue(e.certificates().get(0).ca());
                assertNull(e.certificates().get(1).issuer(), "Envoy's /certs names no issuer");
                assertEquals(
                        TlsConfigDumpTest.FRONTEND.cert().getSerialNumber().toString(16),
                        e.certificates().get(1).serialNumber());
            } finally {
                s.stop(0);
            }
        }
    }

    @Test
    void anUnredactedPrivateKeyIsNeitherPublishedNorLogged() throws Exception {
        String key = TlsConfigDumpTest.FRONTEND.keyPem();
        String keyBody = key.split("\n")[1];
        HttpServer s = admin(
                realCerts(TlsConfigDumpTest.FRONTEND.cert(), TlsConfigDumpTest.EAST.cert()),
                Map.of(
                        "dynamic_active_secrets",
                        TlsConfigDumpTest.istioSecrets("{\"inline_bytes\": \"" + TestCerts.b64(key) + "\"}"),
                        // and a listener dump that is garbage right after a key: a parser's message would quote it
                        "dynamic_listeners",
                        "{\"private_key\":\"" + keyBody + "\" oops"),
                new ArrayList<>());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            AdminSources a = new AdminSources("istio-east", MeshKind.ISTIO, "east");
            MeshEvent e = a.pollCerts(url(s));
            assertEquals("known", e.attributes().get(AdminSources.ATTR_ISSUERS));
            String published = dev.meshlens.events.EventCodec.get().encode(e);
            assertFalse(published.contains(keyBody), "the key is not in the event");
            assertFalse(published.contains(TestCerts.b64(key).substring(0, 40)), "nor its base64");
            // the garbage listener dump is only read when the secrets have no chain
            assertFalse(a.tlsConfig(url(s)).isEmpty());
        } finally {
            System.setErr(err);
            s.stop(0);
        }
        HttpServer g = admin(
                realCerts(TlsConfigDumpTest.FRONTEND.cert()),
                Map.of(
                        "dynamic_active_secrets",
                        "{}",
                        "dynamic_listeners",
                        "{\"private_key\":\"" + keyBody + "\" oops"),
                new ArrayList<>());
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(
                    "unknown",
                    new AdminSources("istio-east", MeshKind.ISTIO, "east")
                            .pollCerts(url(g))
                            .attributes()
                            .get(AdminSources.ATTR_ISSUERS));
        } finally {
            System.setErr(err);
            g.stop(0);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("issuers unknown"), "the debug line says why: " + logged);
        assertTrue(logged.contains("dynamic_listeners: Json"), "the parser failure by its class only: " + logged);
        assertFalse(logged.contains(keyBody), "no line quotes the key: " + logged);
    }
}
