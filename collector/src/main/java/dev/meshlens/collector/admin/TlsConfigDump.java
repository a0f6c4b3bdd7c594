package dev.meshlens.collector.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.events.CertificateInfo;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The certificates an Envoy's {@code /config_dump} shows in its TLS configuration: the chains it
 * presents ({@code tls_certificate(s).certificate_chain}) and the CAs it verifies peers with
 * ({@code validation_context.trusted_ca}). Envoy's own {@code /certs} has neither issuer nor key
 * identifiers (envoy api/envoy/admin/v3/certs.proto: path, serial, SANs, validity only), so this is
 * where the trust matrix's issuer data comes from.
 *
 * <p>Shapes read (all found by walking the dump, so one reader serves every mesh):
 * <ul>
 *   <li>{@code ?resource=dynamic_active_secrets}: {@code {"configs":[DynamicSecret…]}}, each
 *       {@code {"name", "secret":{"tls_certificate":{…}} | {"validation_context":{…}}}} (envoy
 *       api/envoy/admin/v3/config_dump.proto SecretsConfigDump). Istio's SDS names them {@code default}
 *       (the workload chain) and {@code ROOTCA} (the trusted roots); a full {@code /config_dump} nests
 *       the same under {@code SecretsConfigDump.dynamic_active_secrets}.</li>
 *   <li>{@code ?resource=dynamic_listeners}: Consul does not use SDS for Connect; its xDS server inlines
 *       the leaf and the roots into every transport socket (hashicorp/consul agent/xds/listeners.go
 *       makeCommonTLSContext: {@code certificate_chain.inline_string}, {@code trusted_ca.inline_string}).</li>
 * </ul>
 *
 * <p>{@code DataSource} bytes are base64 in JSON ({@code inline_bytes}); {@code inline_string} is the PEM
 * itself; a {@code filename} lives on the proxy's disk and cannot be read from here.
 *
 * <p>Secrets: Envoy redacts private keys to {@code [redacted]} in the dump, but a build or a filter that
 * does not must not leak through meshlens either: any field named in {@link #NEVER_READ} is skipped
 * without looking at its value, and only {@code CERTIFICATE} PEM blocks are ever decoded.
 */
public final class TlsConfigDump {
    /** Fields whose values are never read: TlsCertificate's key and password, session ticket keys, generic secrets. */
    static final Set<String> NEVER_READ = Set.of(
            "private_key",
            "private_key_provider",
            "password",
            "session_ticket_keys",
            "generic_secret",
            "hmac_secret",
            "token_secret");

    private static final int MAX_DEPTH = 64;

    private TlsConfigDump() {}

    /**
     * What a dump showed.
     *
     * @param chain the presented certificates, leaf first, each once (by fingerprint)
     * @param trustedCas the validation contexts' trusted CAs, each once (a root may also be in {@code chain})
     * @param unreadable certificate blocks that did not parse, and base64 that did not decode
     * @param onDisk data sources given as a file on the proxy (not readable from the collector)
     */
    public record Found(List<CertificateInfo> chain, List<CertificateInfo> trustedCas, int unreadable, int onDisk) {
        public static final Found NOTHING = new Found(List.of(), List.of(), 0, 0);

        public Found {
            chain = List.copyOf(chain);
            trustedCas = List.copyOf(trustedCas);
        }

        public boolean isEmpty() {
            return chain.isEmpty() && trustedCas.isEmpty();
        }
    }

    public static Found read(JsonNode root) {
        Walk w = new Walk();
        w.visit(root, 0);
        // a root both presented and trusted stays in both lists: each list is then exactly what Envoy has
        return new Found(
                new ArrayList<>(w.chain.values()), new ArrayList<>(w.trusted.values()), w.unreadable, w.onDisk);
    }

    private static final class Walk {
        final Map<String, CertificateInfo> chain = new LinkedHashMap<>();
        final Map<String, CertificateInfo> trusted = new LinkedHashMap<>();
        int unreadable;
        int onDisk;

        void visit(JsonNode n, int depth) {
            if (n == null || depth > MAX_DEPTH) {
                return;
            }
            if (n.isArray()) {
                for (JsonNode c : n) {
                    visit(c, depth + 1);
                }
                return;
            }
            if (!n.isObject()) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                if (NEVER_READ.contains(name)) {
                    continue;
                }
                switch (name) {
                    case "certificate_chain" -> add(f.getValue(), chain);
                    case "trusted_ca" -> add(f.getValue(), trusted);
                    default -> visit(f.getValue(), depth + 1);
                }
            }
        }

        private void add(JsonNode dataSource, Map<String, CertificateInfo> into) {
            String pem = text(dataSource);
            if (pem == null) {
                return;
            }
            Pem.Blocks b = Pem.certificateBlocks(pem);
            unreadable += b.unreadable();
            for (X509Certificate c : b.certificates()) {
                CertificateInfo i = Pem.info(c);
                into.putIfAbsent(i.sha256Fingerprint() != null ? i.sha256Fingerprint() : i.serialNumber(), i);
            }
        }

        /** The PEM text of a {@code config.core.v3.DataSource}, or null. */
        private String text(JsonNode ds) {
            if (ds == null || !ds.isObject()) {
                return null;
            }
            if (ds.hasNonNull("inline_string")) {
                return ds.get("inline_string").asText();
            }
            if (ds.hasNonNull("inline_bytes")) {
                try {
                    return new String(
                            Base64.getMimeDecoder()
                                    .decode(ds.get("inline_bytes").asText()),
                            StandardCharsets.US_ASCII);
                } catch (IllegalArgumentException e) {
                    unreadable++;
                    return null;
                }
            }
            if (ds.hasNonNull("filename")) {
                onDisk++;
            }
            return null;
        }
    }
}
