package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class HashKeyTest {
    static final HashKey A = HashKey.of("federation-key-A-0123456789");
    static final HashKey A2 = HashKey.fromEnv("K", Map.of("K", "federation-key-A-0123456789"));
    static final HashKey B = HashKey.of("federation-key-B-0123456789");

    @Property(tries = 300)
    void equalInputsEqualOutputsUnderSameKey(@ForAll @StringLength(max = 64) String v) {
        assertEquals(A.hmacHex(v, 0), A2.hmacHex(v, 0));
        assertEquals(A.hmacHex(v, 16), A.hmacHex(v, 0).substring(0, 16));
    }

    @Property(tries = 300)
    void differentKeysUnrelated(@ForAll @StringLength(min = 1, max = 64) String v) {
        String a = A.hmacHex(v, 0);
        String b = B.hmacHex(v, 0);
        assertNotEquals(a, b);
        // unrelated: about half of the 256 bits differ (well within 80..176 for HMAC outputs)
        int diff = 0;
        for (int i = 0; i < 64; i++) {
            diff += Integer.bitCount(Character.digit(a.charAt(i), 16) ^ Character.digit(b.charAt(i), 16));
        }
        assertTrue(diff > 80 && diff < 176, "bit difference " + diff);
    }

    @Property(tries = 200)
    void differentInputsDifferentOutputs(@ForAll @StringLength(min = 1, max = 32) String v) {
        assertNotEquals(A.hmacHex(v, 32), A.hmacHex(v + "x", 32));
    }

    @net.jqwik.api.Example
    void neverPrinted() {
        assertEquals("[hidden]", A.toString());
        assertEquals("[hidden]", String.valueOf(A));
        assertThrows(IllegalArgumentException.class, () -> HashKey.of("short"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HashKey.fromEnv("NOPE", Map.of()));
        assertTrue(e.getMessage().contains("NOPE"));
        Set<String> outs = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            outs.add(A.hmacHex("10.0.0." + i, 16));
        }
        assertEquals(1000, outs.size());
    }
}
