package dev.meshlens.collector.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
    static final String ISTIO_FAIL = "[2026-10-09T10:49:40.880Z] \"GET /get HTTP/1.1\" 503 URX,UF "
            + "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268435703:SSL_routines:"
            + "OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end} - \"TLS_error:|268435703:SSL_routines:OPENSSL_internal:"
            + "WRONG_VERSION_NUMBER:TLS_error_end\" 0 121 792 - \"-\" \"curl/8.11.1\" \"c0d24b36-5483-46ab-a1a5-4acfa4f5e52b\" "
            + "\"httpbin.org\" \"32.194.118.12:80\" outbound|80||httpbin.org - 98.88.155.171:80 10.244.0.6:56600 - default";
    static final String ISTIO_OK =
            "[2024-01-01T00:00:00.000Z] \"GET /a?token=secret HTTP/1.1\" 200 - via_upstream - \"-\" "
                    + "0 5 1 1 \"-\" \"curl\" \"id\" \"svc\" \"10.0.0.1:80\" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:1 "
                    + "10.0.0.3:80 10.0.0.4:2 - default";
    static final String CONSUL = "{\"start_time\":\"2024-01-01T00:00:00.000Z\",\"route_name\":null,\"method\":\"GET\","
            + "\"path\":\"/\",\"protocol\":\"HTTP/1.1\",\"response_code\":503,\"response_flags\":\"UF\","
            + "\"response_code_details\":\"upstream_reset_before_response_started{connection_failure}\","
            + "\"connection_termination_details\":null,\"bytes_received\":0,\"bytes_sent\":91,\"duration\":3,"
            + "\"upstream_service_time\":null,\"x_forwarded_for\":null,\"user_agent\":\"curl\",\"request_id\":\"abc\","
            + "\"authority\":\"backend:8080\",\"upstream_host\":\"10.0.0.5:20000\","
            + "\"upstream_cluster\":\"backend.default.dc1.internal.1d2e3f4a-0000-0000-0000-000000000000.consul\","
            + "\"upstream_local_address\":null,\"downstream_local_address\":\"127.0.0.1:8080\","
            + "\"downstream_remote_address\":\"127.0.0.1:50000\",\"requested_server_name\":null,"
            + "\"upstream_transport_failure_reason\":\"TLS_error:|268436504:SSL_routines:OPENSSL_internal:"
            + "TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\"}";

    record Run(int code, String out, String err) {}

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ExplainCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<JsonNode> jsonLines(String out) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String s : out.split("\n")) {
            if (!s.isEmpty()) {
                l.add(new ObjectMapper().readTree(s));
            }
        }
        return l;
    }

    @Test
    void jsonModePrintsExactlyOneObjectPerInputLine() throws Exception {
        String input = String.join(
                        "\n",
                        ISTIO_FAIL,
                        ISTIO_OK,
                        CONSUL,
                        "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport "
                                + "failure reason: TLS error: 268436501:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED",
                        "[2025-04-15 21:45:11.169][15][debug][connection] [source/common/tls/cert_validator/default_validator.cc:339] "
                                + "verify cert failed: X509_verify_cert: certificate verification error at depth 0: unable to get local "
                                + "issuer certificate",
                        "2026-11-28T10:00:00.123456789Z stdout F " + ISTIO_FAIL,
                        "{\"log\":\"TLS error: 268435612:SSL routines:OPENSSL_internal:HTTP_REQUEST\\n\",\"stream\":\"stderr\","
                                + "\"time\":\"2026-01-01T00:00:00Z\"}",
                        "",
                        "hello world")
                + "\n";
        Run r = run(input, "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> l = jsonLines(r.out());
        assertEquals(9, l.size(), r.out());
        for (JsonNode n : l) {
            assertTrue(n.has("category") && n.has("rejected_by") && n.has("reason") && n.has("kind"), n.toString());
        }
        assertEquals("istio-text", l.get(0).get("kind").asText());
        assertEquals("PLAINTEXT_MISMATCH", l.get(0).get("category").asText());
        assertEquals("self", l.get(0).get("rejected_by").asText());
        assertEquals("WRONG_VERSION_NUMBER", l.get(0).get("reason").asText());
        assertEquals(268435703L, l.get(0).get("code").asLong());
        assertEquals("client", l.get(0).get("observer_role").asText());
        assertEquals("URX", l.get(0).get("response_flags").get(0).asText());
        assertEquals("httpbin", l.get(0).get("destination").asText());
        assertEquals(
                "PLAINTEXT_MISMATCH",
                l.get(0).get("event").get("tls").get("category").asText());

        assertEquals("istio-text", l.get(1).get("kind").asText());
        assertTrue(l.get(1).get("category").isNull());
        assertFalse(l.get(1).get("failure").asBoolean());
        assertFalse(l.get(1).get("event").toString().contains("secret"), "redacted before output");

        assertEquals("consul-json", l.get(2).get("kind").asText());
        assertEquals("UNTRUSTED_ROOT", l.get(2).get("category").asText());
        assertEquals("peer", l.get(2).get("rejected_by").asText());
        assertEquals("backend", l.get(2).get("destination").asText());

        assertEquals("response-body", l.get(3).get("kind").asText());
        assertEquals("CERT_EXPIRED", l.get(3).get("category").asText());
        assertEquals("peer", l.get(3).get("rejected_by").asText());

        assertEquals("envoy-log", l.get(4).get("kind").asText());
        assertEquals("UNTRUSTED_ROOT", l.get(4).get("category").asText());
        assertEquals("self", l.get(4).get("rejected_by").asText());

        assertEquals("cri", l.get(5).get("wrapper").asText());
        assertEquals("istio-text", l.get(5).get("kind").asText());
        assertEquals("PLAINTEXT_MISMATCH", l.get(5).get("category").asText());

        assertEquals("docker", l.get(6).get("wrapper").asText());
        assertEquals("tls-string", l.get(6).get("kind").asText());
        assertEquals("PLAINTEXT_MISMATCH", l.get(6).get("category").asText());

        assertEquals("empty", l.get(7).get("kind").asText());
        assertEquals("unrecognized", l.get(8).get("kind").asText());
    }

    @Test
    void humanModeAndFileInput(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("access.log");
        Files.writeString(f, ISTIO_FAIL + "\n" + ISTIO_OK + "\n");
        Run r = run("", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PLAINTEXT_MISMATCH (rejected by: self; observed by the client)"), r.out());
        assertTrue(r.out().contains("reason:    WRONG_VERSION_NUMBER (code 268435703, SSL routines)"), r.out());
        assertTrue(r.out().contains("no TLS or connection failure (response 200)"), r.out());
    }

    @Test
    void explicitFormatAndErrors() throws Exception {
        Run r = run(
                "503 TLS error: 268436504:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA\n",
                "--json",
                "--format",
                "%RESPONSE_CODE% %UPSTREAM_TRANSPORT_FAILURE_REASON%");
        assertEquals(0, r.code(), r.err());
        JsonNode n = jsonLines(r.out()).get(0);
        assertEquals("access-log", n.get("kind").asText());
        assertEquals("UNTRUSTED_ROOT", n.get("category").asText());
        assertEquals(503, n.get("response_code").asInt());

        Run p = run(ISTIO_FAIL + "\n", "--json", "--format", "consul-json");
        JsonNode pn = jsonLines(p.out()).get(0);
        assertEquals("not_json", pn.get("parse_status").asText());
        assertEquals("PLAINTEXT_MISMATCH", pn.get("category").asText(), "falls back to the text classifier");

        Run bad = run("", "--format", "%RESPONSE_CODE");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("Couldn't find valid command at position 0"), bad.err());
        assertEquals(2, run("", "--bogus").code());
        assertEquals(1, run("", "/nonexistent/file.log").code());
        assertEquals(0, run("", "--help").code());
    }

    static Run runBytes(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ExplainCommand.run(
                args,
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** ISTIO_FAIL with a Latin-1 byte in its user agent: not valid UTF-8. */
    static byte[] withInvalidUtf8() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((ISTIO_FAIL + "\n").getBytes(StandardCharsets.UTF_8));
        b.write(ISTIO_FAIL
                .replace("\"curl/8.11.1\"", "\"curl/8.11.1 (Gr\u00fc\u00dfe)\"")
                .getBytes(StandardCharsets.ISO_8859_1));
        b.write(("\n" + ISTIO_OK + "\n").getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    // issue 9.8: one bad byte used to stop explain with "not valid UTF-8" and no output at all
    @Test
    void invalidUtf8IsDecodedLossilyFlaggedAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.log");
        Files.write(f, withInvalidUtf8());
        for (Run r : List.of(run("", "--json", f.toString()), runBytes(withInvalidUtf8(), "--json"))) {
            assertEquals(0, r.code(), r.err());
            List<JsonNode> l = jsonLines(r.out());
            assertEquals(3, l.size(), r.out());
            assertEquals("ok", l.get(0).get("line_status").asText());
            assertEquals("invalid_utf8", l.get(1).get("line_status").asText());
            assertEquals("ok", l.get(2).get("line_status").asText());
            assertEquals("PLAINTEXT_MISMATCH", l.get(1).get("category").asText(), "still explained, as decoded");
            assertTrue(l.get(1).get("event").isNull(), "the collector publishes no event for a flagged line");
            assertFalse(l.get(0).get("event").isNull());
            assertTrue(r.err().contains("1 line(s) were not valid UTF-8"), r.err());
        }
        Run human = run("", f.toString());
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("input:     not valid UTF-8 (decoded lossily"), human.out());
        assertTrue(human.out().contains("no TLS or connection failure (response 200)"), "went on: " + human.out());
    }
}
