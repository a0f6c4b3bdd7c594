package dev.meshlens.collector.admin;

import static dev.meshlens.collector.config.CollectorKeys.BUNDLE_CA_FILE;
import static dev.meshlens.collector.config.CollectorKeys.BUNDLE_TOKEN;
import static dev.meshlens.collector.config.CollectorKeys.TRUST_BUNDLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.config.ConfigException;
import dev.meshlens.config.Environment;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.testkit.TestCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Consul trust-bundle poll over HTTPS, as Consul serves it on port 8501 with its own private CA: an HTTPS server
 * with a certificate from a CA made here answers {@code /v1/connect/ca/roots} only to the right ACL token. With
 * {@code ca_file} naming that CA the roots are read; with another CA, or none, the poll fails with an error that names
 * the key to set.
 */
class ConsulHttpsTest {
    static final String KEY = "sources.trust_bundles[0].ca_file";

    @TempDir
    Path dir;

    TestCa consulCa;
    TestCa meshRoot;
    HttpsServer server;
    String url;
    String token;
    final AtomicInteger refused = new AtomicInteger();

    @BeforeEach
    void startConsulLikeServer() throws Exception {
        consulCa = TestCa.create("Consul Agent CA");
        meshRoot = TestCa.create("Consul CA Primary Cert");
        token = UUID.randomUUID().toString();
        String roots = "{\"ActiveRootID\":\"r1\",\"TrustDomain\":\"11111111-2222-3333-4444-555555555555.consul\","
                + "\"Roots\":[{\"ID\":\"r1\",\"Name\":\"Consul CA Primary Cert\",\"RootCert\":"
                + new ObjectMapper().writeValueAsString(meshRoot.pem()) + ",\"Active\":true}]}";
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(
                new HttpsConfigurator(consulCa.issue("127.0.0.1", "localhost").serverContext()));
        server.createContext("/v1/connect/ca/roots", ex -> {
            boolean ok = token.equals(ex.getRequestHeaders().getFirst("X-Consul-Token"));
            if (!ok) {
                refused.incrementAndGet();
            }
            byte[] b = (ok ? roots : "ACL not found").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 403, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AdminSources consulSource(Path caFile) {
        return new AdminSources(
                "consul-dc1", MeshKind.CONSUL, "dc1", AdminSources.PolledEnvoy.UNNAMED, new HttpsTrust(caFile, KEY));
    }

    @Test
    void readsTheRootsOverHttpsWithTheCaFileAndTheToken() throws Exception {
        Path ca = consulCa.writePem(dir.resolve("consul-agent-ca.pem"));
        TrustBundle b = consulSource(ca).bundleFromConsul(url, token);
        assertEquals("11111111-2222-3333-4444-555555555555.consul", b.trustDomain());
        assertEquals(1, b.roots().size());
        assertEquals(meshRoot.sha256Fingerprint(), b.roots().get(0).sha256Fingerprint());
        assertEquals(0, refused.get(), "the token went as X-Consul-Token");
    }

    @Test
    void aWrongTokenIsRefusedByConsulNotByTls() throws Exception {
        Path ca = consulCa.writePem(dir.resolve("consul-agent-ca.pem"));
        IOException e = assertThrows(IOException.class, () -> consulSource(ca).bundleFromConsul(url, "wrong"));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
        assertEquals(1, refused.get());
    }

    @Test
    void aCaThatDidNotSignConsulsCertificateFailsNamingTheKey() {
        Path other = TestCa.create("some other CA").writePem(dir.resolve("other.pem"));
        IOException e =
                assertThrows(IOException.class, () -> consulSource(other).bundleFromConsul(url, token));
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
        assertFalse(e.getMessage().contains(token), "the token never appears in an error");
    }

    @Test
    void withoutACaFileTheDefaultTrustStoreRefusesThePrivateCaAndSaysWhichKeyToSet() {
        IOException e = assertThrows(IOException.class, () -> consulSource(null).bundleFromConsul(url, token));
        assertTrue(e.getMessage().contains("JVM's default trust store"), e.getMessage());
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
    }

    @Test
    void aCaFileWithoutACertificateIsAStartErrorNamingTheKey() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> consulSource(empty));
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void theConfigTakesTheCaFileAndTheTokenFromTheEnvironment() {
        String yaml = """
                mesh: {id: consul-dc1, kind: consul}
                kafka: {bootstrap_servers: 127.0.0.1:9092}
                sources:
                  trust_bundles:
                    - consul_url: https://consul-server.consul.svc:8501
                      ca_file: /etc/meshlens/consul-ca/ca.crt
                      token_env: MESHLENS_CONSUL_TOKEN
                """;
        CollectorConfig c = CollectorConfig.parse(yaml, "test", Environment.of(Map.of("MESHLENS_CONSUL_TOKEN", token)));
        var tb = c.get(TRUST_BUNDLES).get(0);
        assertEquals("/etc/meshlens/consul-ca/ca.crt", tb.get(BUNDLE_CA_FILE));
        assertEquals(token, tb.get(BUNDLE_TOKEN).reveal());
    }

    @Test
    void aCaFileWithoutAConsulUrlIsAConfigurationProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> CollectorConfig.parse("""
                mesh: {id: istio-east, kind: istio}
                kafka: {bootstrap_servers: 127.0.0.1:9092}
                sources:
                  trust_bundles:
                    - path: /etc/istio/root-cert.pem
                      ca_file: /etc/meshlens/consul-ca/ca.crt
                """, "test"));
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
    }
}
