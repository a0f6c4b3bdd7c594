package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The word-at-a-time searches of {@link Bytes} against the plain loops they replace, on any bytes and range. */
class BytesProperties {
    @Property(tries = 2000)
    void indexOfAByteIsTheFirstOccurrenceInTheRange(
            @ForAll("bytes") byte[] a,
            @ForAll byte b,
            @ForAll @IntRange(max = 80) int x,
            @ForAll @IntRange(max = 80) int y) {
        int from = Math.min(x, a.length);
        int to = Math.max(from, Math.min(y, a.length));
        int expected = -1;
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                expected = i;
                break;
            }
        }
        assertEquals(expected, Bytes.indexOf(a, b, from, to));
    }

    @Property(tries = 2000)
    void indexOfANeedleIsTheFirstOccurrenceInsideTheRange(
            @ForAll("bytes") byte[] a,
            @ForAll("needles") byte[] needle,
            @ForAll @IntRange(max = 80) int x,
            @ForAll @IntRange(max = 80) int y) {
        int from = Math.min(x, a.length);
        int to = Math.max(from, Math.min(y, a.length));
        int expected = -1;
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (a[i + k] != needle[k]) {
                    continue outer;
                }
            }
            expected = i;
            break;
        }
        assertEquals(expected, Bytes.indexOf(a, needle, from, to));
    }

    @Property(tries = 2000)
    void plainAsciiMeansNoHighBitAndNoNul(
            @ForAll("bytes") byte[] a, @ForAll @IntRange(max = 80) int x, @ForAll @IntRange(max = 80) int y) {
        int from = Math.min(x, a.length);
        int to = Math.max(from, Math.min(y, a.length));
        boolean expected = true;
        for (int i = from; i < to; i++) {
            expected &= a[i] > 0;
        }
        assertEquals(expected, Bytes.plainAscii(a, from, to));
    }

    /** Small alphabets (so bytes repeat and needles are found), with NUL, 0x80 and 0xFF among them. */
    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<Byte> few =
                Arbitraries.of((byte) 'a', (byte) 'b', (byte) '"', (byte) '\n', (byte) 0, (byte) 0x80, (byte) 0xFF);
        Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 1, (byte) 127);
        return Arbitraries.oneOf(few, ascii, Arbitraries.bytes())
                .list()
                .ofMaxSize(80)
                .map(l -> {
                    byte[] out = new byte[l.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = l.get(i);
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<byte[]> needles() {
        return Arbitraries.of((byte) 'a', (byte) 'b', (byte) '"', (byte) 0x80)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(l -> {
                    byte[] out = new byte[l.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = l.get(i);
                    }
                    return out;
                });
    }
}
