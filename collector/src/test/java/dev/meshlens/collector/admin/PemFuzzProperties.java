package dev.meshlens.collector.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.fuzz.FuzzCorpus;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the PEM/DER reader with bytes and text it did not make: the DER walk never reads past the end
 * of its input and never throws (a malformed extension in a certificate we poll must not stop the poll),
 * and {@link Pem#certificateBlocks} counts every CERTIFICATE block it cannot read instead of throwing.
 * Inputs found worth keeping live in src/test/resources/fuzz/der and fuzz/pem and are replayed here.
 */
class PemFuzzProperties {
    static final TestCerts.Ca CA = TestCerts.root("CN=fuzz root");
    static final X509Certificate LEAF =
            TestCerts.leaf(CA, "spiffe://cluster.local/ns/fuzz/sa/leaf").cert();
    static final byte[] SKI = LEAF.getExtensionValue("2.5.29.14");
    static final byte[] AKI = LEAF.getExtensionValue("2.5.29.35");

    /** The oracle for DER input: every reader returns (possibly null) and the header stays inside the input. */
    static void derIsSafe(byte[] d) {
        Pem.subjectKeyId(d);
        Pem.authorityKeyId(d);
        for (int off = -1; off <= d.length; off++) {
            int[] h = Pem.header(d, off);
            if (h != null) {
                assertTrue(
                        h[0] >= 0 && h[1] >= 0 && h[0] + h[1] <= d.length, () -> Arrays.toString(h) + " past the end");
            }
        }
    }

    /** The oracle for PEM text: never throws; what it returns plus what it counted is at most the END markers. */
    static void pemIsSafe(String text) {
        Pem.Blocks b = Pem.certificateBlocks(text);
        int ends = text.split("-----END CERTIFICATE-----", -1).length - 1;
        assertTrue(b.certificates().size() + b.unreadable() <= ends, "each block is read or counted once");
    }

    @Property(tries = 2000)
    void anyBytesAreSafe(@ForAll("der") byte[] d) {
        derIsSafe(d);
    }

    @Property(tries = 2000)
    void mutatedKeyIdentifiersAreSafe(@ForAll("mutatedExtensions") byte[] d) {
        derIsSafe(d);
    }

    @Property(tries = 300)
    void anyPemTextIsSafe(@ForAll("pemText") String text) {
        pemIsSafe(text);
    }

    /** Good and damaged blocks mixed (and a private key between them): the good ones are read, the others counted. */
    @Property(tries = 100)
    void everyDamagedBlockIsCounted(@ForAll("blocks") List<Boolean> good) {
        StringBuilder text = new StringBuilder();
        String pem = TestCerts.pem(LEAF);
        for (boolean g : good) {
            text.append(g ? pem : pem.replace("MII", "M!I"))
                    .append("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        }
        Pem.Blocks b = Pem.certificateBlocks(text.toString());
        long expectGood = good.stream().filter(x -> x).count();
        assertEquals(expectGood, b.certificates().size());
        assertEquals(good.size() - expectGood, b.unreadable());
    }

    @Example
    void corpusOfFoundInputsStaysSafe() throws Exception {
        int n = 0;
        for (byte[] d : FuzzCorpus.bytes("der")) {
            derIsSafe(d);
            n++;
        }
        for (byte[] t : FuzzCorpus.bytes("pem")) {
            pemIsSafe(new String(t, StandardCharsets.US_ASCII));
            n++;
        }
        assertTrue(n > 0, "the corpus is on the test classpath");
    }

    @Provide
    Arbitrary<byte[]> der() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // DER-ish: tag, a length byte from the interesting ones (short, 0x80 indefinite, long forms), content
        Arbitrary<byte[]> tlv = Combinators.combine(
                        Arbitraries.of((byte) 0x04, (byte) 0x30, (byte) 0x80, (byte) 0xa0),
                        Arbitraries.of(
                                (byte) 0x00,
                                (byte) 0x01,
                                (byte) 0x7f,
                                (byte) 0x80,
                                (byte) 0x81,
                                (byte) 0x82,
                                (byte) 0x83,
                                (byte) 0x84,
                                (byte) 0xff),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(8))
                .as((t, l, rest) -> {
                    byte[] out = new byte[2 + rest.length];
                    out[0] = t;
                    out[1] = l;
                    System.arraycopy(rest, 0, out, 2, rest.length);
                    return out;
                });
        Arbitrary<byte[]> nested = tlv.list().ofMaxSize(4).map(parts -> {
            List<Byte> all = new ArrayList<>();
            for (byte[] p : parts) {
                for (byte x : p) {
                    all.add(x);
                }
            }
            byte[] out = new byte[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        });
        return Arbitraries.oneOf(random, tlv, nested);
    }

    @Provide
    Arbitrary<byte[]> mutatedExtensions() {
        Arbitrary<byte[]> base = Arbitraries.of(SKI, AKI);
        return Combinators.combine(
                        base,
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.bytes(),
                        Arbitraries.integers().between(0, 40))
                .as((b, pos, val, cut) -> {
                    byte[] m = Arrays.copyOf(b, Math.max(0, b.length - cut % (b.length + 1)));
                    if (m.length > 0) {
                        m[pos % m.length] = val;
                    }
                    return m;
                });
    }

    @Provide
    Arbitrary<String> pemText() {
        String pem = TestCerts.pem(LEAF);
        Arbitrary<String> pieces = Arbitraries.of(
                        "-----BEGIN CERTIFICATE-----",
                        "-----END CERTIFICATE-----",
                        "\n",
                        "MIIB",
                        "====",
                        "AAAA",
                        "-----BEGIN PRIVATE KEY-----",
                        "-----END PRIVATE KEY-----",
                        pem,
                        pem.substring(0, pem.length() / 2),
                        "\u0000",
                        "é")
                .list()
                .ofMaxSize(12)
                .map(l -> String.join("", l));
        return Arbitraries.oneOf(pieces, Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<List<Boolean>> blocks() {
        return Arbitraries.of(true, false).list().ofMaxSize(5);
    }
}
