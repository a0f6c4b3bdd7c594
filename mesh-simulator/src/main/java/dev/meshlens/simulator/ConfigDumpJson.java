package dev.meshlens.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a simulated Envoy's {@code /config_dump?resource=…} answers, in the shapes real meshes produce, so
 * the collector is tested against what it meets in production rather than against our own convenience.
 *
 * <ul>
 *   <li>Istio delivers its certificates by SDS: {@code resource=dynamic_active_secrets} lists
 *       {@code SecretsConfigDump.DynamicSecret}s (envoy api/envoy/admin/v3/config_dump.proto) named
 *       {@code default} ({@code tls_certificate.certificate_chain.inline_bytes}, the private key redacted
 *       to {@code [redacted]}, base64 {@code W3JlZGFjdGVkXQ==}, as Envoy's secret_manager_impl dumps it)
 *       and {@code ROOTCA} ({@code validation_context.trusted_ca.inline_bytes}). With {@code resource=},
 *       Envoy lists the repeated field's entries directly under {@code configs}.</li>
 *   <li>Consul inlines the leaf and the roots into each transport socket (hashicorp/consul
 *       agent/xds/listeners.go makeCommonTLSContext, {@code inline_string}) and has no SDS secrets:
 *       {@code dynamic_active_secrets} is empty, {@code dynamic_listeners} carries the public listener's
 *       {@code DownstreamTlsContext}.</li>
 * </ul>
 * A resource no dump has answers null (the admin answers 404, as Envoy does).
 */
final class ConfigDumpJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Envoy's redaction of a bytes field: base64 of {@code [redacted]}. */
    static final String REDACTED_BYTES =
            Base64.getEncoder().encodeToString("[redacted]".getBytes(StandardCharsets.US_ASCII));

    private static final String T = "type.googleapis.com/";

    private ConfigDumpJson() {}

    static ObjectNode resource(Envoy envoy, String resource, Instant now) {
        if (resource == null || resource.isEmpty()) {
            return null; // the full dump (bootstrap, clusters, routes…) is not simulated
        }
        boolean istio = envoy.mesh().dialect().certificatesInSecrets();
        ObjectNode root = JSON.createObjectNode();
        switch (resource) {
            case "dynamic_active_secrets" -> {
                if (istio) {
                    ArrayNode configs = root.putArray("configs");
                    configs.add(istioSecret("default", now, s -> {
                        ObjectNode tls = s.putObject("tls_certificate");
                        tls.set("certificate_chain", inlineBytes(envoy.presentedChain()));
                        tls.putObject("private_key").put("inline_bytes", REDACTED_BYTES);
                    }));
                    configs.add(istioSecret(
                            "ROOTCA",
                            now,
                            s -> s.putObject("validation_context")
                                    .set("trusted_ca", inlineBytes(envoy.mesh().trustedRoots()))));
                }
                return root; // Consul: the secrets dump exists but is empty, printed as {}
            }
            case "dynamic_listeners" -> {
                ArrayNode configs = root.putArray("configs");
                if (!istio) {
                    configs.add(consulPublicListener(envoy, now));
                }
                return root;
            }
            default -> {
                return null;
            }
        }
    }

    private static ObjectNode istioSecret(String name, Instant now, Consumer<ObjectNode> body) {
        ObjectNode d = JSON.createObjectNode();
        d.put("@type", T + "envoy.admin.v3.SecretsConfigDump.DynamicSecret");
        d.put("name", name);
        d.put("version_info", now.toString());
        d.put("last_updated", now.toString());
        ObjectNode s = d.putObject("secret");
        s.put("@type", T + "envoy.extensions.transport_sockets.tls.v3.Secret");
        s.put("name", name);
        body.accept(s);
        return d;
    }

    private static ObjectNode consulPublicListener(Envoy envoy, Instant now) {
        String name = "public_listener:" + envoy.ip() + ":20000";
        ObjectNode d = JSON.createObjectNode();
        d.put("@type", T + "envoy.admin.v3.ListenersConfigDump.DynamicListener");
        d.put("name", name);
        ObjectNode active = d.putObject("active_state");
        active.put("version_info", "1");
        ObjectNode l = active.putObject("listener");
        l.put("@type", T + "envoy.config.listener.v3.Listener");
        l.put("name", name);
        l.putObject("address")
                .putObject("socket_address")
                .put("address", envoy.ip())
                .put("port_value", 20000);
        ObjectNode chain = l.putArray("filter_chains").addObject();
        chain.putArray("filters")
                .addObject()
                .put("name", "envoy.filters.network.tcp_proxy")
                .putObject("typed_config")
                .put("@type", T + "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy")
                .put("stat_prefix", "public_listener")
                .put("cluster", "local_app");
        ObjectNode ts = chain.putObject("transport_socket");
        ts.put("name", "tls");
        ObjectNode tc = ts.putObject("typed_config");
        tc.put("@type", T + "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
        ObjectNode common = tc.putObject("common_tls_context");
        common.putObject("tls_params");
        ObjectNode cert = common.putArray("tls_certificates").addObject();
        cert.putObject("certificate_chain").put("inline_string", pem(envoy.presentedChain()));
        cert.putObject("private_key").put("inline_string", "[redacted]");
        common.putObject("validation_context")
                .putObject("trusted_ca")
                .put("inline_string", pem(envoy.mesh().trustedRoots()));
        tc.put("require_client_certificate", true);
        active.put("last_updated", now.toString());
        return d;
    }

    private static ObjectNode inlineBytes(List<X509Certificate> certs) {
        ObjectNode ds = JSON.createObjectNode();
        ds.put("inline_bytes", Base64.getEncoder().encodeToString(pem(certs).getBytes(StandardCharsets.US_ASCII)));
        return ds;
    }

    static String pem(List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            try {
                sb.append("-----BEGIN CERTIFICATE-----\n")
                        .append(enc.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return sb.toString();
    }
}
