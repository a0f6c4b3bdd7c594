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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ClassifierCorpusTest {
  record Case(int line, String category, String rejectedBy, String reason, String text) {}

  static List<Case> corpus() throws Exception {
    List<Case> out = new ArrayList<>();
    try (var in = ClassifierCorpusTest.class.getResourceAsStream("/classify/corpus.tsv")) {
      assertNotNull(in);
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String l;
      int n = 0;
      while ((l = r.readLine()) != null) {
        n++;
        if (l.isBlank() || l.startsWith("#")) {
          continue;
        }
        String[] p = l.split("\t", 4);
        out.add(new Case(n, p[0], p[1], p[2], p[3]));
      }
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> corpusLines() throws Exception {
    return corpus().stream().map(c -> DynamicTest.dynamicTest("corpus line " + c.line() + ": " + abbreviate(c.text()),
        () -> {
          Verdict v = TlsClassifier.INSTANCE.classifyText(c.text());
          if (c.category().equals("NONE")) {
            assertNull(v, () -> "expected no failure, got " + v);
            return;
          }
          assertNotNull(v, "no failure found");
          assertEquals(c.category(), v.failure().category().name(), () -> "category; verdict " + v);
          assertEquals(c.rejectedBy(), v.failure().rejectedBy().wireName(), () -> "rejected_by; verdict " + v);
          if (!c.reason().equals("-")) {
            assertEquals(c.reason(), v.failure().reason(), () -> "reason; verdict " + v);
          }
          assertEquals(c.text().strip(), v.failure().rawText());
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
  void downstreamFailureIsServerSide() {
    Verdict v = TlsClassifier.INSTANCE.classify(new TlsClassifier.Evidence("-", null, null, null,
        "TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher:"
            + "TLS_error_end", null));
    assertEquals(FailureCategory.SAN_MISMATCH, v.failure().category());
    assertEquals(RejectedBy.SELF, v.failure().rejectedBy());
    assertEquals(ObserverRole.SERVER, v.observerRole());
  }

  @Test
  void unknownTransportFailureIsCountedAsUnknown() {
    Verdict v = TlsClassifier.INSTANCE.classify(new TlsClassifier.Evidence("UF", null, null,
        "something_entirely_new", null, 503));
    assertEquals(FailureCategory.UNKNOWN, v.failure().category());
    assertEquals("something_entirely_new", v.failure().rawText());
    assertTrue(!v.recognised());
  }

  private static String abbreviate(String s) {
    return s.length() > 70 ? s.substring(0, 70) + "…" : s;
  }
}
