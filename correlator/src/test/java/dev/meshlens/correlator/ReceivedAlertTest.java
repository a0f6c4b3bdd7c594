package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 9, item 7: the alert one half received says what the other side's validator saw, so it narrows
 * that side's bare {@code CERTIFICATE_VERIFY_FAILED}; the finding says which evidence decided.
 */
class ReceivedAlertTest {

    static Finding only(Harness h) {
        Map<String, Finding> f = h.findings();
        assertEquals(1, f.size(), f.values().toString());
        return f.values().iterator().next();
    }

    /**
     * The server (Consul info) rejected the client's certificate with a bare verify failure; the client (Istio
     * backend) received the alert the server's Envoy sent. The collector classifies the alert as it can (unknown_ca
     * and certificate_expired name a cause, certificate_unknown and bad_certificate do not).
     */
    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "TLSV1_ALERT_UNKNOWN_CA, UNTRUSTED_ROOT, UNTRUSTED_ROOT",
        "SSLV3_ALERT_CERTIFICATE_EXPIRED, CERT_EXPIRED, CERT_EXPIRED",
        "SSLV3_ALERT_CERTIFICATE_UNKNOWN, CERT_REJECTED, SAN_MISMATCH",
        "SSLV3_ALERT_BAD_CERTIFICATE, CERT_REJECTED, CERT_REJECTED"
    })
    void theReceivedAlertDecidesTheServersBareVerifyFailure(
            String alert, FailureCategory clientCategory, FailureCategory expected) throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(T0, clientCategory, RejectedBy.PEER, alert));
            h.pipe(MeshEvents.infoInbound(
                    T0.plusMillis(200), FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(expected, f.category(), f.details().toString());
            assertEquals(RejectedBy.PEER, f.rejectedBy(), "the server rejected the client");
            String decided = f.details().get("decided_by");
            assertNotNull(decided, f.details().toString());
            assertTrue(decided.contains(alert) && decided.contains("received by the client"), decided);
            assertTrue(f.direction().contains("decided by"), f.direction());
        }
    }

    @ParameterizedTest(name = "server received {0}")
    @CsvSource({"SSLV3_ALERT_CERTIFICATE_UNKNOWN, SAN_MISMATCH", "TLSV1_ALERT_UNKNOWN_CA, UNTRUSTED_ROOT"})
    void theServersReceivedAlertDecidesTheClientsBareVerifyFailure(String alert, FailureCategory expected)
            throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
            h.pipe(MeshEvents.infoInbound(T0.plusMillis(200), FailureCategory.CERT_REJECTED, RejectedBy.PEER, alert));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(expected, f.category(), f.details().toString());
            assertEquals(RejectedBy.SELF, f.rejectedBy(), "the client rejected the server");
            assertTrue(
                    f.details().get("decided_by").contains("received by the server"),
                    f.details().toString());
        }
    }

    /**
     * corpus s09 (TLS 1.2): the client received handshake_failure, which BoringSSL also sends to refuse a missing
     * client certificate before TLS 1.3 (google/conscrypt#777); the server's ssl.fail_verify_no_cert names the
     * cause. Both halves pair, and the server's own evidence decides over the client's ambiguous alert.
     */
    @Test
    void theServersMissingCertificateCounterDecidesAReceivedHandshakeFailure() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.PROTOCOL_MISMATCH, RejectedBy.PEER, "SSLV3_ALERT_HANDSHAKE_FAILURE"));
            h.pipe(MeshEvents.backendToInfo(
                    T0.plusSeconds(3),
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    "SSLV3_ALERT_HANDSHAKE_FAILURE"));
            h.pipe(MeshEvents.listenerDelta(
                    MeshEvents.CONSUL,
                    dev.meshlens.events.MeshKind.CONSUL,
                    T0.plusSeconds(5),
                    "10.20.3.50_20000",
                    Map.of("ssl.fail_verify_no_cert", 2L),
                    MeshEvents.INFO));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            Finding f = only(h);
            assertEquals(
                    FailureCategory.CLIENT_CERT_MISSING,
                    f.category(),
                    f.details().toString());
            assertEquals(RejectedBy.PEER, f.rejectedBy());
            assertEquals(2, f.count());
            assertEquals(false, f.oneSided());
            assertEquals(MeshEvents.INFO, f.serverIdentity());
            assertTrue(
                    f.details().get("decided_by").contains("ssl.fail_verify_no_cert"),
                    f.details().toString());
        }
    }

    /** Without the server's evidence, a received handshake_failure stays what the client saw. */
    @Test
    void aReceivedHandshakeFailureAloneStaysAProtocolMismatch() throws Exception {
        try (Harness h = Harness.withDefaults()) {
            h.pipe(MeshEvents.backendToInfo(
                    T0, FailureCategory.PROTOCOL_MISMATCH, RejectedBy.PEER, "SSLV3_ALERT_HANDSHAKE_FAILURE"));
            h.advanceTo(T0.plus(Duration.ofMinutes(1)));
            assertEquals(FailureCategory.PROTOCOL_MISMATCH, only(h).category());
        }
    }
}
