package dev.meshlens.collector.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.CertificateInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsConfigDump} on JSON written after Envoy's and the meshes' own sources, with real certificates:
 * <ul>
 *   <li>{@code ?resource=dynamic_active_secrets}: envoy api/envoy/admin/v3/config_dump.proto
 *       (SecretsConfigDump.DynamicSecret: name, version_info, last_updated, secret as Any), the entries listed
 *       under {@code configs} (source/server/admin/config_dump_handler.cc adds each repeated entry as one
 *       config); Istio's SDS resource names {@code default} and {@code ROOTCA}; private keys redacted to
 *       {@code [redacted]}, base64 {@code W3JlZGFjdGVkXQ==} for bytes (test/common/secret/secret_manager_impl_test.cc).</li>
 *   <li>{@code ?resource=dynamic_listeners}: ListenersConfigDump.DynamicListener with Consul's inline TLS
 *       context (hashicorp/consul agent/xds/listeners.go makeCommonTLSContext: certificate_chain and
 *       trusted_ca as inline_string).</li>
 * </ul>
 */
class TlsConfigDumpTest {
    static final ObjectMapper M = new ObjectMapper();
    static final TestCerts.Ca EAST = TestCerts.root("O=cluster.local,CN=istio-ca-east");
    static final TestCerts.Ca DC1 = TestCerts.root("CN=pri-1.consul.ca.11111111.consul");
    static final TestCerts.Leaf FRONTEND = TestCerts.leaf(EAST, "spiffe://cluster.local/ns/shop/sa/frontend");
    static final TestCerts.Leaf INFO =
            TestCerts.leaf(DC1, "spiffe://11111111-2222-3333-4444-555555555555.consul/ns/default/dc/dc1/svc/info");

    /** Istio's answer: the workload chain (leaf + root) and the trusted roots (own and a federated one). */
    static String istioSecrets(String privateKeyDataSource) {
        return """
        {
         "configs": [
          {
           "@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump.DynamicSecret",
           "name": "default",
           "version_info": "2026-11-28 23:10:52.178",
           "last_updated": "2026-11-28T23:10:52.446Z",
           "secret": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
            "name": "default",
            "tls_certificate": {
             "certificate_chain": {"inline_bytes": "%s"},
             "private_key": %s
            }
           }
          },
          {
           "@type": "type.googleapis.com/envoy.admin.v3.SecretsConfigDump.DynamicSecret",
           "name": "ROOTCA",
           "version_info": "2026-11-01 08:05:53.174860205 +0000 UTC m=+1.073140142",
           "last_updated": "2026-11-01T08:05:53.275Z",
           "secret": {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret",
            "name": "ROOTCA",
            "validation_context": {"trusted_ca": {"inline_bytes": "%s"}}
           }
          }
         ]
        }""".formatted(
                        TestCerts.b64(TestCerts.pem(FRONTEND.cert(), EAST.cert())),
                        privateKeyDataSource,
                        TestCerts.b64(TestCerts.pem(EAST.cert(), DC1.cert())));
    }

    static final String REDACTED_BYTES = "{\"inline_bytes\": \"W3JlZGFjdGVkXQ==\"}";

    /** Consul's answer: no SDS; the public listener's transport socket carries leaf and roots inline. */
    static String consulListeners(String privateKey) throws Exception {
        return """
        {
         "configs": [
          {
           "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump.DynamicListener",
           "name": "public_listener:10.0.1.7:20000",
           "active_state": {
            "version_info": "00000001",
            "listener": {
             "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
             "name": "public_listener:10.0.1.7:20000",
             "address": {"socket_address": {"address": "10.0.1.7", "port_value": 20000}},
             "filter_chains": [
              {
               "filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {
                 "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                 "stat_prefix": "public_listener", "cluster": "local_app"}}],
               "transport_socket": {
                "name": "tls",
                "typed_config": {
                 "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
                 "common_tls_context": {
                  "tls_params": {},
                  "tls_certificates": [{"certificate_chain": {"inline_string": %s},
                                        "private_key": {"inline_string": %s}}],
                  "validation_context": {"trusted_ca": {"inline_string": %s}}
                 },
                 "require_client_certificate": true
                }
               }
              }
             ]
            },
            "last_updated": "2026-11-28T23:00:00.000Z"
           }
          }
         ]
        }""".formatted(
                        M.writeValueAsString(TestCerts.pem(INFO.cert())),
                        M.writeValueAsString(privateKey),
                        M.writeValueAsString(TestCerts.pem(DC1.cert(), EAST.cert())));
    }

    @Test
    void istioSdsSecretsGiveTheChainWithIssuersAndTheTrustedRoots() throws Exception {
        TlsConfigDump.Found f = TlsConfigDump.read(M.readTree(istioSecrets(REDACTED_BYTES)));
        assertEquals(2, f.chain().size(), "leaf and the root Istio appends");
        CertificateInfo leaf = f.chain().get(0);
        assertEquals(Pem.info(FRONTEND.cert()), leaf);
        assertEquals("CN=istio-ca-east,O=cluster.local", leaf.issuer(), "RFC 2253, as the bundle roots are named");
        assertEquals(List.of("spiffe://cluster.local/ns/shop/sa/frontend"), leaf.uriSans());
        assertEquals(64, leaf.sha256Fingerprint().length());
        assertEquals(Pem.subjectKeyId(EAST.cert()), leaf.authorityKeyId(), "AKI names the signing root's key");
        assertTrue(leaf.subjectKeyId() != null && !leaf.ca());
        assertEquals(FRONTEND.cert().getNotAfter().toInstant(), leaf.notAfter());
        assertTrue(f.chain().get(1).ca());
        assertEquals(
                List.of(Pem.info(EAST.cert()), Pem.info(DC1.cert())),
                f.trustedCas(),
                "ROOTCA: the own root and the federated one, in the dump's order");
        assertEquals(0, f.unreadable());
    }

    @Test
    void consulInlineListenerGivesTheLeafAndTheRoots() throws Exception {
        TlsConfigDump.Found f = TlsConfigDump.read(M.readTree(consulListeners("[redacted]")));
        assertEquals(List.of(Pem.info(INFO.cert())), f.chain());
        assertEquals(List.of(Pem.info(DC1.cert()), Pem.info(EAST.cert())), f.trustedCas());
    }

    @Test
    void anUnredactedPrivateKeyIsNeverReadNorKept() throws Exception {
        String key = FRONTEND.keyPem();
        String keyBody = key.split("\n")[1];
        // an Envoy (or a proxy in front of it) that did not redact, as bytes and as a string
        TlsConfigDump.Found bytes =
                TlsConfigDump.read(M.readTree(istioSecrets("{\"inline_bytes\": \"" + TestCerts.b64(key) + "\"}")));
        TlsConfigDump.Found string = TlsConfigDump.read(M.readTree(consulListeners(key)));
        // and a key concatenated into the chain itself: only CERTIFICATE blocks are decoded
        TlsConfigDump.Found mixed = TlsConfigDump.read(M.readTree("{\"tls_certificate\":{\"certificate_chain\":"
                + "{\"inline_string\":" + M.writeValueAsString(key + TestCerts.pem(FRONTEND.cert())) + "}}}"));
        for (TlsConfigDump.Found f : List.of(bytes, string, mixed)) {
            assertFalse(f.chain().isEmpty());
            assertFalse(f.toString().contains(keyBody), "nothing of the key in what was kept");
            assertEquals(0, f.unreadable(), "the key block is not even tried as a certificate");
        }
        assertEquals(Pem.info(FRONTEND.cert()), mixed.chain().get(0));
    }

    @Test
    void garbageAndEmptyAnswersGiveNothingWithoutThrowing() throws Exception {
        assertTrue(TlsConfigDump.read(M.readTree("{}")).isEmpty(), "Consul's secrets: the dump exists but is empty");
        assertTrue(TlsConfigDump.read(M.readTree("{\"configs\":[]}")).isEmpty());
        assertTrue(TlsConfigDump.read(M.readTree("[1, \"x\", null, {\"certificate_chain\": 7}]"))
                .isEmpty());
        TlsConfigDump.Found bad = TlsConfigDump.read(M.readTree("""
        {"configs":[{"secret":{"tls_certificate":{"certificate_chain":{"inline_bytes":"%%%%not base64"}}}},
         {"secret":{"tls_certificate":{"certificate_chain":{"inline_string":
           "-----BEGIN CERTIFICATE-----\\nMIIBzzCCAXWgAwIBAgIUZ2FyYmFnZQ==\\n-----END CERTIFICATE-----\\n"}}}},
         {"secret":{"validation_context":{"trusted_ca":{"filename":"/etc/certs/root-cert.pem"}}}}]}"""));
        assertTrue(bad.isEmpty());
        assertEquals(2, bad.unreadable(), "bad base64 and a truncated certificate are counted");
        assertEquals(1, bad.onDisk());
    }

    @Test
    void derHeadersThatRunPastTheirBufferAreRejectedNotThrown() {
        assertNull(Pem.header(new byte[] {0x04}, 0));
        assertNull(Pem.header(new byte[] {0x04, 0x05, 1, 2}, 0), "content longer than the buffer");
        assertNull(Pem.header(new byte[] {0x04, (byte) 0x82, 0x01}, 0), "length bytes past the end");
        assertNull(Pem.header(new byte[] {0x04, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0));
        assertNull(Pem.header(new byte[] {0x30, (byte) 0x80, 0, 0}, 0), "indefinite length is not DER");
        // OCTET STRING { OCTET STRING of length 20 with 2 bytes }, and AKI [0] running past its SEQUENCE
        assertNull(Pem.subjectKeyId(new byte[] {0x04, 0x04, 0x04, 0x14, 1, 2}));
        assertNull(Pem.authorityKeyId(new byte[] {0x04, 0x06, 0x30, 0x04, (byte) 0x80, 0x09, 1, 2}));
        assertEquals("0102", Pem.authorityKeyId(new byte[] {0x04, 0x06, 0x30, 0x04, (byte) 0x80, 0x02, 1, 2}));
    }
}
