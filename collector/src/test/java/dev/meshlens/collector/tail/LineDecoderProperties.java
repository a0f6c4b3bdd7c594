package dev.meshlens.collector.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The decoder (the JDK's vectorised UTF-8 path, strict decoding only for lines holding U+FFFD) gives the
 * same text and status as the straightforward definition: scan every byte, decode strictly, fall back
 * to lossy decoding and flag the line.
 */
class LineDecoderProperties {
    @Property(tries = 3000)
    void decodesLikeTheDefinition(@ForAll("lines") byte[] line, @ForAll boolean tooLong) {
        LineDecoder.Decoded d = new LineDecoder().decode(line, 0, line.length, tooLong);
        assertEquals(reference(line, tooLong), d);
    }

    @Example
    void aLineThatSpellsTheReplacementCharacterIsValid() {
        byte[] b = "peer=\uFFFD ok".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                TailedLine.Status.OK,
                new LineDecoder().decode(b, 0, b.length, false).status());
    }

    @Example
    void aMalformedLineIsFlaggedAndStillRead() {
        byte[] b = {'a', (byte) 0xC3, 'b'};
        LineDecoder.Decoded d = new LineDecoder().decode(b, 0, b.length, false);
        assertEquals(TailedLine.Status.INVALID_UTF8, d.status());
        assertEquals("a\uFFFDb", d.text());
    }

    @Provide
    Arbitrary<byte[]> lines() {
        // Mostly ASCII, with multi-byte UTF-8, the replacement character, stray continuation/lead bytes and NULs.
        Arbitrary<byte[]> piece = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("é", "日本", "\uD83D\uDE00", "\uFFFD", "\0").map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF).map(b -> new byte[] {b}));
        return piece.list().ofMaxSize(12).map(parts -> {
            ByteBuffer buf =
                    ByteBuffer.allocate(parts.stream().mapToInt(p -> p.length).sum());
            parts.forEach(buf::put);
            return buf.array();
        });
    }

    /** The definition: what the decoder did before it used the JDK's fast path. */
    static LineDecoder.Decoded reference(byte[] a, boolean tooLong) {
        TailedLine.Status st = tooLong ? TailedLine.Status.TOO_LONG : TailedLine.Status.OK;
        boolean ascii = true;
        int nul = 0;
        for (byte b : a) {
            if (b < 0) {
                ascii = false;
            } else if (b == 0) {
                nul++;
            }
        }
        String text;
        if (ascii) {
            text = new String(a, StandardCharsets.ISO_8859_1);
        } else {
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(a))
                        .toString();
            } catch (CharacterCodingException ex) {
                text = new String(a, StandardCharsets.UTF_8);
                if (st == TailedLine.Status.OK) {
                    st = TailedLine.Status.INVALID_UTF8;
                }
            }
        }
        if (nul > 0 && st == TailedLine.Status.OK) {
            st = TailedLine.Status.BINARY;
        }
        return new LineDecoder.Decoded(text, st);
    }
}
