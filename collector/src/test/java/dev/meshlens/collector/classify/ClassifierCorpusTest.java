package dev.meshlens.collector.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ClassifierCorpusTest {
    /**
     * One corpus line. {@code format} is null for free text (classified with {@code classifyText}); else the
     * preset the line is an access-log line of, classified from its fields as written by an Envoy in
     * {@code role}. {@code observerRole} is checked when the category column says {@code CATEGORY/role}.
     */
    record Case(
            int line,
            String category,
            String observerRole,
            String rejectedBy,
            String reason,
            String text,
            String format,
            ProxyRole role) {}

    static List<Case> corpus() throws Exception {
        List<Case> out = new ArrayList<>();
        try (var in = ClassifierCorpusTest.class.getResourceAsStream("/classify/corpus.tsv")) {
            assertNotNull(in);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String l;
            int n = 0;
            String format = null;
            ProxyRole role = ProxyRole.UNKNOWN;
            while ((l = r.readLine()) != null) {
                n++;
                if (l.startsWith("#!format ")) {
                    // #!format text | #!format PRESET [sidecar|gateway]: how the following lines are read
                    String[] d = l.substring("#!format ".length()).trim().split("\\s+");
                    format = d[0].equals("text") ? null : d[0];
                    role = d.length > 1 ? ProxyRole.valueOf(d[1].toUpperCase(Locale.ROOT)) : ProxyRole.UNKNOWN;
                    assertTrue(
                            format == null || Presets.byName(format) != null,
                            "corpus line " + n + ": no preset " + format);
                    continue;
                }
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] p = l.split("\t", 4);
                String[] cat = p[0].split("/", 2);
                out.add(new Case(n, cat[0], cat.length > 1 ? cat[1] : null, p[1], p[2], p[3], format, role));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> corpusLines() throws Exception {
        return corpus().stream()
                .map(c -> DynamicTest.dynamicTest("corpus line " + c.line() + ": " + abbreviate(c.text()), () -> {
                    Verdict v;
                    if (c.format() == null) {
                        v = TlsClassifier.INSTANCE.classifyText(c.text());
                    } else {
                        var f = Presets.byName(c.format());
                        ParsedLine p = f.newParsedLine();
                        assertEquals("ok", f.parse(c.text(), p).tag(), "the line fits " + c.format());
                        v = TlsClassifier.INSTANCE.classify(p, c.role());
                    }
                    if (c.category().equals("NONE")) {
                        assertNull(v, () -> "expected no failure, got " + v);
                        return;
                    }
                    assertNotNull(v, "no failure found");
                    assertEquals(c.category(), v.failure().category().name(), () -> "category; verdict " + v);
                    assertEquals(
                            c.rejectedBy(), v.failure().rejectedBy().wireName(), () -> "rejected_by; verdict " + v);
                    if (!c.reason().equals("-")) {
                        assertEquals(c.reason(), v.failure().reason(), () -> "reason; verdict " + v);
                    }
                    if (c.observerRole() != null) {
                        assertEquals(
                                c.observerRole(),
                                v.observerRole() == null
                                        ? null
                                        : v.observerRole().wireName(),
                                () -> "observer role; verdict " + v);
                    }
                    if (c.format() == null) {
                        assertEquals(c.text().strip(), v.failure().rawText());
                    }
                    assertEquals(!c.category().equals("UNKNOWN"), v.recognised(), "recognised");
                }));
    }

    private static Verdict classifyIstio(String line) {
        ParsedLine p = Presets.ISTIO.newParsedLine();
        assertEquals("ok", Presets.ISTIO.parse(line, p).tag(), line);
        return TlsClassifier.INSTANCE.classify(p);
    }

    @Test
    void accessLogLinesUseTheirFieldsAndRole() {
        Verdict ok = classifyIstio("[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" 200 - via_upstream - \"-\" 0 5 1 1 "
                + "\"-\" \"curl\" \"id\" \"svc\" \"10.0.0.1:80\" outbound|80||svc.ns.svc.cluster.local 10.0.0.2:1 10.0.0.3:80 "
                + "10.0.0.4:2 - default");
        assertNull(ok);
        Verdict uf = classifyIstio("[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" 503 UF "
                + "upstream_reset_before_response_started{connection_failure} - \"-\" 0 91 1 - \"-\" \"curl\" \"id\" \"svc\" "
                + "\"10.0.0.1:80\" outbound|80||svc.ns.svc.cluster.local - 10.0.0.3:80 10.0.0.4:2 - default");
        assertEquals(FailureCategory.UPSTREAM_CONNECT_FAILURE, uf.failure().category());
        assertEquals(ObserverRole.CLIENT, uf.observerRole());
        assertEquals(List.of("UF"), uf.flags());
        Verdict nr = classifyIstio("[2024-01-01T00:00:00.000Z] \"- - -\" 0 NR filter_chain_not_found - \"-\" 0 0 0 - "
                + "\"-\" \"-\" \"-\" \"-\" \"-\" - - 10.0.0.3:15443 10.0.0.4:2 unknown.sni.example -");
        assertEquals(FailureCategory.NO_ROUTE, nr.failure().category());
        assertEquals(ObserverRole.SERVER, nr.observerRole());
        Verdict tls = classifyIstio("[2024-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" 503 UF,URX "
                + "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:SSL_routines:"
                + "OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end} - \"TLS_error:|268436504:SSL_routines:OPENSSL_internal:"
                + "TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\" 0 91 1 - \"-\" \"curl\" \"id\" \"svc\" \"10.0.0.1:80\" "
                + "outbound|80||svc.ns.svc.cluster.local - 10.0.0.3:80 10.0.0.4:2 - default");
        assertEquals(FailureCategory.UNTRUSTED_ROOT, tls.failure().category());
        assertEquals(RejectedBy.PEER, tls.failure().rejectedBy());
        assertEquals(268436504L, tls.failure().code());
        assertEquals("upstream_transport_failure_reason", tls.source());
        assertEquals(ObserverRole.CLIENT, tls.observerRole());
    }

    @Test
    void inboundListenerNamedOnTheLineNeedsNoSourceRole() {
        // a client that connected to the inbound capture port itself: the line names the sidecar's listener
        String atCapturePort = "[2024-01-01T00:00:00.000Z] \"- - -\" 0 NR filter_chain_not_found - \"-\" 0 0 0 - \"-\" "
                + "\"-\" \"-\" \"-\" \"-\" - - 10.244.0.15:15006 10.244.0.16:51234 - -";
        Verdict v = classifyIstio(atCapturePort);
        assertEquals(FailureCategory.PLAINTEXT_MISMATCH, v.failure().category());
        assertEquals(RejectedBy.SELF, v.failure().rejectedBy());
        assertEquals(ObserverRole.SERVER, v.observerRole());
        // ... but a gateway is a gateway whatever its port
        ParsedLine p = Presets.ISTIO.newParsedLine();
        Presets.ISTIO.parse(atCapturePort, p);
        assertEquals(
                FailureCategory.NO_ROUTE,
                TlsClassifier.INSTANCE.classify(p, ProxyRole.GATEWAY).failure().category());
        // a format that does not log the SNI cannot show there was none: NO_ROUTE even on a sidecar
        var noSni = dev.meshlens.collector.format.TextFormat.compile(
                "[%START_TIME%] %RESPONSE_FLAGS% " + "%RESPONSE_CODE_DETAILS% %DOWNSTREAM_LOCAL_ADDRESS%");
        ParsedLine q = noSni.newParsedLine();
        assertEquals(
                "ok",
                noSni.parse("[2024-01-01T00:00:00.000Z] NR filter_chain_not_found 10.0.0.1:8080", q)
                        .tag());
        assertEquals(
                FailureCategory.NO_ROUTE,
                TlsClassifier.INSTANCE.classify(q, ProxyRole.SIDECAR).failure().category());
    }

    @Test
    void gatewayRoleComesFromThePath() {
        var gateways = Pattern.compile("^/var/log/pods/[^/]*gateway");
        assertEquals(
                ProxyRole.GATEWAY,
                ProxyRole.fromPath(
                        gateways,
                        "/var/log/pods/istio-system_istio-eastwestgateway-7d9c6b5f4-x2x9q_0f3c/istio-proxy/0.log"));
        assertEquals(
                ProxyRole.SIDECAR,
                ProxyRole.fromPath(gateways, "/var/log/pods/shop_backend-6d8f7c9b5-abcde_1a2b/istio-proxy/0.log"));
        assertEquals(ProxyRole.UNKNOWN, ProxyRole.fromPath(null, "/var/log/pods/shop_backend/istio-proxy/0.log"));
    }

    @Test
    void downstreamFailureIsServerSide() {
        Verdict v = TlsClassifier.INSTANCE.classify(new TlsClassifier.Evidence(
                "-",
                null,
                null,
                null,
                "TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher:"
                        + "TLS_error_end",
                null));
        assertEquals(FailureCategory.SAN_MISMATCH, v.failure().category());
        assertEquals(RejectedBy.SELF, v.failure().rejectedBy());
        assertEquals(ObserverRole.SERVER, v.observerRole());
    }

    @Test
    void unknownTransportFailureIsCountedAsUnknown() {
        Verdict v = TlsClassifier.INSTANCE.classify(
                new TlsClassifier.Evidence("UF", null, null, "something_entirely_new", null, 503));
        assertEquals(FailureCategory.UNKNOWN, v.failure().category());
        assertEquals("something_entirely_new", v.failure().rawText());
        assertTrue(!v.recognised());
    }

    private static String abbreviate(String s) {
        return s.length() > 70 ? s.substring(0, 70) + "…" : s;
    }
}
