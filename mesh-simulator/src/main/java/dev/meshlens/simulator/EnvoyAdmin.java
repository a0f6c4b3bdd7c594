package dev.meshlens.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An Envoy admin interface for one simulated Envoy (JDK HttpServer on loopback): {@code /stats}
 * ({@code ?format=json} and Envoy's plain text, {@code filter=} regex), {@code /certs} in Envoy's
 * JSON shape (no issuers, as Envoy's), {@code /config_dump?resource=dynamic_active_secrets|dynamic_listeners}
 * (see {@link ConfigDumpJson}), {@code /ready} and {@code /server_info}.
 */
public final class EnvoyAdmin implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Envoy envoy;
    private final HttpServer server;
    private final Supplier<Instant> clock;

    public EnvoyAdmin(Envoy envoy, int port, Supplier<Instant> clock) throws IOException {
        this.envoy = envoy;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/stats", this::stats);
        server.createContext("/certs", this::certs);
        server.createContext("/config_dump", this::configDump);
        server.createContext("/ready", ex -> send(ex, 200, "text/plain", "LIVE\n"));
        server.createContext(
                "/server_info",
                ex -> send(
                        ex,
                        200,
                        "application/json",
                        "{\"version\":\"simulated/1.31.0/Clean/RELEASE/BoringSSL\",\"state\":\"LIVE\",\"node\":{\"id\":\""
                                + envoy.mesh().id() + "~" + envoy.service() + "\"}}"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public Envoy envoy() {
        return envoy;
    }

    private void stats(HttpExchange ex) throws IOException {
        String q = ex.getRequestURI().getQuery();
        Map<String, String> params = new HashMap<>();
        if (q != null) {
            for (String p : q.split("&")) {
                int eq = p.indexOf('=');
                params.put(
                        eq < 0 ? p : p.substring(0, eq),
                        eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Pattern filter = params.containsKey("filter") && !params.get("filter").isEmpty()
                ? Pattern.compile(params.get("filter"))
                : null;
        Map<String, Long> counters = envoy.counters();
        // Envoy always has these, even at zero.
        String lp = envoy.listenerStatPrefix();
        for (String c : new String[] {
            "ssl.handshake",
            "ssl.connection_error",
            "ssl.fail_verify_error",
            "ssl.fail_verify_san",
            "ssl.fail_verify_no_cert",
            "ssl.fail_verify_cert_hash"
        }) {
            counters.putIfAbsent(lp + c, 0L);
        }
        if ("json".equals(params.get("format"))) {
            ObjectNode root = JSON.createObjectNode();
            ArrayNode stats = root.putArray("stats");
            counters.forEach((k, v) -> {
                if (filter == null || filter.matcher(k).find()) {
                    stats.addObject().put("name", k).put("value", v);
                }
            });
            send(ex, 200, "application/json", root.toString());
        } else {
            StringBuilder sb = new StringBuilder();
            counters.forEach((k, v) -> {
                if (filter == null || filter.matcher(k).find()) {
                    sb.append(k).append(": ").append(v).append('\n');
                }
            });
            send(ex, 200, "text/plain", sb.toString());
        }
    }

    private void certs(HttpExchange ex) throws IOException {
        Instant now = envoy.mesh().clock(clock.get());
        ObjectNode root = JSON.createObjectNode();
        ObjectNode entry = root.putArray("certificates").addObject();
        ArrayNode ca = entry.putArray("ca_cert");
        for (X509Certificate r : envoy.mesh().trustedRoots()) {
            ca.add(certJson(r, "<inline>", now));
        }
        entry.putArray("cert_chain").add(certJson(envoy.leaf(), "<inline>", now));
        send(ex, 200, "application/json", root.toPrettyString());
    }

    private void configDump(HttpExchange ex) throws IOException {
        String resource = query(ex).get("resource");
        Instant now = envoy.mesh().clock(clock.get());
        ObjectNode body = ConfigDumpJson.resource(envoy, resource, now);
        if (body == null) {
            // what Envoy answers for a resource no config dump has (source/server/admin/config_dump_handler.cc)
            send(ex, 404, "text/plain", resource + " not found in config dump\n");
            return;
        }
        send(ex, 200, "application/json", body.toPrettyString());
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> params = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String p : q.split("&")) {
                int eq = p.indexOf('=');
                params.put(
                        eq < 0 ? p : p.substring(0, eq),
                        eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static ObjectNode certJson(X509Certificate c, String path, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("path", path);
        n.put("serial_number", c.getSerialNumber().toString(16));
        ArrayNode sans = n.putArray("subject_alt_names");
        for (String u : Pki.uriSans(c)) {
            sans.addObject().put("uri", u);
        }
        long days =
                Math.floorDiv(Duration.between(now, c.getNotAfter().toInstant()).toSeconds(), 86_400L);
        n.put("days_until_expiration", Long.toString(Math.max(0, days)));
        n.put("valid_from", c.getNotBefore().toInstant().toString());
        n.put("expiration_time", c.getNotAfter().toInstant().toString());
        // no subject, issuer, fingerprint or key ids: real Envoy's /certs has none (envoy
        // api/envoy/admin/v3/certs.proto CertificateDetails: path, serial_number, subject_alt_names,
        // days_until_expiration, valid_from, expiration_time, ocsp_details); the collector reads them from
        // /config_dump, served below as a real Envoy would
        return n;
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
