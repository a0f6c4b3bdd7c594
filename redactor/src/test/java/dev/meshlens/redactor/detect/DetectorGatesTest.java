package dev.meshlens.redactor.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The table's gates are only a shortcut: a detector skipped because the pre-pass did not see its
 * feature bits must be one that would have found nothing anyway.
 */
class DetectorGatesTest {
    static final List<String> SAMPLES = List.of(
            "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
            "Authorization: Bearer abcDEF123456789xyz",
            "authorization=basic dXNlcjpwYXNzd29yZA==",
            "Authorization:%20BEARER%20abcDEF123456789xyz",
            "key AKIAIOSFODNN7EXAMPLE used",
            "k=AIzaSyD-1234567890abcdefghijklmnopqrstu",
            "oauth ya29.a0AfH6SMBx3kQ9zLmN8pR2sT5vW7yZ1cE4gH6jK8 end",
            "tok ghp_0123456789abcdefghijklmnopqrstuvwxyz0 x",
            "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "mail alice.smith+x@example.co.uk now",
            "to=alice%40example.com",
            "card 4111 1111 1111 1111 paid",
            "card 5500-0000-0000-0004",
            "iban DE89370400440532013000 ok",
            "iban GB82 WEST 1234 5698 7654 32 ok",
            "url https://bob:hunter2@internal.example:8443/x",
            "GET /search?q=alice&token=abc HTTP/1.1",
            "Cookie: session=abc123; theme=dark",
            "set-cookie=sid=abc123",
            "password=hunter2 next",
            "random Zx8Qw2Lm9Pv4Rt7Yk3Nb6Hs1 end",
            "from 10.1.2.3:443 and [2001:db8::1]",
            "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
            "spiffe://cluster.local/ns/default/sa/backend",
            "outbound|443||backend.default.svc.cluster.local",
            "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end");

    @Test
    void aGateNeverHidesAHit() {
        Set<DetectorKind> allKinds = EnumSet.allOf(DetectorKind.class);
        Detector[] table = Detectors.table(allKinds, Detectors.classifier(allKinds));
        Set<Class<?>> hitSomething = new HashSet<>();
        for (String s : SAMPLES) {
            int features = Detectors.features(s);
            for (Detector d : table) {
                Spans found = d.find(s, features, null); // ungated
                if (found == null || found.n == 0) {
                    continue;
                }
                hitSomething.add(d.getClass());
                int all = d.requiresAll();
                int any = d.requiresAny();
                assertTrue(
                        (features & all) == all && (any == 0 || (features & any) != 0),
                        d.getClass().getSimpleName() + " finds something in \"" + s + "\" but its gate would skip it");
            }
        }
        // every detector of the table was exercised, so the check above is not vacuous
        assertEquals(table.length, hitSomething.size(), "detectors that found nothing in the samples");
    }

    @Test
    void theTableHoldsOnlyTheEnabledFamilies() {
        Set<DetectorKind> cardOnly = EnumSet.of(DetectorKind.CARD);
        Detector[] table = Detectors.table(cardOnly, Detectors.classifier(cardOnly));
        assertEquals(1, table.length);
        assertTrue(table[0] instanceof CardDetector);
    }
}
