package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.testkit.TestCa;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CA the Elasticsearch client trusts, and the errors that name the key to change (no cluster needed). */
class ElasticTrustTest {
    @TempDir
    Path dir;

    @Test
    void noCaKeepsTheClientDefault() {
        assertNull(ElasticTrust.JVM_DEFAULT.sslContext());
    }

    @Test
    void aCaFileAndAFingerprintEachGiveTheClientItsOwnContext() {
        TestCa ca = TestCa.create("test");
        Path pem = ca.writePem(dir.resolve("ca.crt"));
        assertNotNull(new ElasticTrust(pem.toString(), null).sslContext());
        assertNotNull(new ElasticTrust(null, ca.sha256Fingerprint()).sslContext());
    }

    @Test
    void aMissingCaFileIsAnErrorNamingTheKeyAndTheFix() {
        String missing = dir.resolve("nope.crt").toString();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ElasticTrust(missing, null).sslContext());
        assertTrue(e.getMessage().contains("elasticsearch.ca_file"), e.getMessage());
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(e.getMessage().contains("Fix:"), e.getMessage());
    }

    @Test
    void fingerprintsAreComparedWithoutColonsOrCase() {
        assertEquals("ab01ff", ElasticTrust.normalise(" AB:01:FF "));
    }

    @Test
    void onlyTlsFailuresAreExplainedAndTheyNameTheKeyInUse() {
        ElasticTrust byFingerprint = new ElasticTrust(null, "ab".repeat(32));
        IOException tls = new IOException("request failed", new SSLHandshakeException("PKIX path building failed"));
        IOException named = byFingerprint.explain(tls, "https://es:9200");
        assertNotNull(named);
        assertTrue(named.getMessage().contains("elasticsearch.ca_fingerprint"), named.getMessage());
        assertTrue(named.getMessage().contains("https://es:9200"), named.getMessage());
        assertNull(byFingerprint.explain(new ConnectException("Connection refused"), "https://es:9200"));
    }
}
