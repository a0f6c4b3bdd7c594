package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BoringSslTest {
    @Test
    void codesAreDecodedFromLibraryAndReason() {
        assertEquals(16, BoringSsl.library(268435581L));
        assertEquals(125, BoringSsl.reason(268435581L));
        assertEquals("CERTIFICATE_VERIFY_FAILED", BoringSsl.reasonName(268435581L));
        assertEquals("TLSV1_ALERT_UNKNOWN_CA", BoringSsl.reasonName(BoringSsl.pack(16, 1000 + 48)));
        assertTrue(BoringSsl.isAlert(268436504L));
        assertEquals("Connection reset by peer", BoringSsl.reasonName(33554536L));
        assertEquals("system library", BoringSsl.libraryName(2));
        assertEquals("WRONG_VERSION_NUMBER", BoringSsl.completeSslReason("WRONG_VERSION_NUMBE"));
        assertNull(BoringSsl.completeSslReason("SSLV3_ALERT"));
    }

    /** Spot checks against include/openssl/ssl.h where OpenSSL numbers or spells the same reason differently. */
    @Test
    void reasonsAreBoringSslsNotOpenSsls() {
        assertEquals(192, BoringSsl.sslReasonCode("PEER_DID_NOT_RETURN_A_CERTIFICATE"));
        assertEquals(
                268435648L, BoringSsl.ssl("PEER_DID_NOT_RETURN_A_CERTIFICATE").code());
        assertEquals("RECORD_LENGTH_MISMATCH", BoringSsl.reasonName(BoringSsl.pack(BoringSsl.LIB_SSL, 199)));
        assertEquals(1116, BoringSsl.sslReasonCode("TLSV1_ALERT_CERTIFICATE_REQUIRED"));
        assertFalse(BoringSsl.isSslReason("TLSV13_ALERT_CERTIFICATE_REQUIRED"));
        assertThrows(IllegalArgumentException.class, () -> BoringSsl.ssl("TLSV13_ALERT_CERTIFICATE_REQUIRED"));
        assertEquals(156, BoringSsl.sslReasonCode("HTTP_REQUEST"));
        assertEquals(247, BoringSsl.sslReasonCode("WRONG_VERSION_NUMBER"));
        assertEquals(1122, BoringSsl.sslReasonCode("PAKE_AND_KEY_SHARE_NOT_ALLOWED"));
    }

    @Test
    void reasonsPrintAsEnvoyPrintsThem() {
        BoringSsl.Reason alert = BoringSsl.ssl("TLSV1_ALERT_UNKNOWN_CA");
        assertEquals(268436504L, alert.code());
        assertEquals("SSL routines", alert.libraryName());
        assertTrue(alert.isAlert());
        BoringSsl.Reason reset = BoringSsl.sys(104);
        assertEquals(33554536L, reset.code());
        assertEquals("system library", reset.libraryName());
        assertEquals("Connection reset by peer", reset.name());
        assertFalse(reset.isAlert());
    }
}
