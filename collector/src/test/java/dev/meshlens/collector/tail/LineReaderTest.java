package dev.meshlens.collector.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    static List<LineDecoder.Decoded> read(InputStream in, int max) throws Exception {
        LineReader r = new LineReader(in, max);
        List<LineDecoder.Decoded> out = new ArrayList<>();
        LineDecoder.Decoded d;
        while ((d = r.next()) != null) {
            out.add(d);
        }
        assertNull(r.next(), "stays at the end");
        return out;
    }

    /** The same bytes as FileTailerTest.badInputIsFlaggedNotFatal, read from a stream: same texts, same flags. */
    @Test
    void badInputIsFlaggedNotFatalAsInTheTailer() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'b', 0, 'n', '\n'});
        b.write(("x".repeat(200) + "\nafter\n" + "y".repeat(70000) + "\nend").getBytes(StandardCharsets.UTF_8));
        // a small read size on purpose: lines cross the reader's buffer
        InputStream trickle = new ByteArrayInputStream(b.toByteArray()) {
            @Override
            public synchronized int read(byte[] a, int off, int len) {
                return super.read(a, off, Math.min(len, 7));
            }
        };
        List<LineDecoder.Decoded> l = read(trickle, 64);
        assertEquals(
                List.of(
                        TailedLine.Status.OK,
                        TailedLine.Status.INVALID_UTF8,
                        TailedLine.Status.BINARY,
                        TailedLine.Status.TOO_LONG,
                        TailedLine.Status.OK,
                        TailedLine.Status.TOO_LONG,
                        TailedLine.Status.OK),
                l.stream().map(LineDecoder.Decoded::status).toList());
        assertEquals("\uFFFD(", l.get(1).text(), "decoded lossily");
        assertEquals(64, l.get(3).text().length());
        assertEquals("after", l.get(4).text());
        assertEquals("end", l.get(6).text(), "a last line without a newline is read too");
    }

    @Test
    void crlfAndEmptyLinesAndMultiByteText() throws Exception {
        byte[] in = "a\r\n\n\u00e9t\u00e9 \u2713\r\nlast\r".getBytes(StandardCharsets.UTF_8);
        List<LineDecoder.Decoded> l = read(new ByteArrayInputStream(in), 64);
        assertEquals(
                List.of("a", "", "\u00e9t\u00e9 \u2713", "last"),
                l.stream().map(LineDecoder.Decoded::text).toList());
        assertEquals(
                List.of(TailedLine.Status.OK),
                l.stream().map(LineDecoder.Decoded::status).distinct().toList());
    }

    @Test
    void aLineOfExactlyTheLimitPlusItsCarriageReturnIsNotCut() throws Exception {
        List<LineDecoder.Decoded> l =
                read(new ByteArrayInputStream(("z".repeat(16) + "\r\n").getBytes(StandardCharsets.US_ASCII)), 16);
        assertEquals(TailedLine.Status.OK, l.get(0).status());
        assertEquals(16, l.get(0).text().length());
    }
}
