package dev.meshlens.collector.tail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of one line to text, the same way wherever meshlens reads Envoy output (the file
 * tailer, {@code explain}): pure ASCII is copied, other UTF-8 is decoded strictly, and a line that
 * is not valid UTF-8 is decoded lossily (U+FFFD) and flagged rather than refused, so one bad byte
 * never stops the reader; a line with NUL bytes is flagged binary. Not thread-safe (one decoder).
 */
public final class LineDecoder {
    /** One decoded line and how clean its bytes were. */
    public record Decoded(String text, TailedLine.Status status) {}

    private final CharsetDecoder strict = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * @param a the bytes
     * @param from first byte of the line
     * @param to end of the line (exclusive; no newline)
     * @param tooLong the line was cut: its status is {@code TOO_LONG} whatever the bytes
     */
    public Decoded decode(byte[] a, int from, int to, boolean tooLong) {
        TailedLine.Status st = tooLong ? TailedLine.Status.TOO_LONG : TailedLine.Status.OK;
        // The JDK's own decoder: pure ASCII (almost every Envoy line) is found by a vectorised intrinsic and
        // copied; other UTF-8 is decoded, malformed bytes becoming U+FFFD. Only a line that then holds U+FFFD
        // is decoded again strictly, to tell a malformed line from one that spelled U+FFFD itself.
        String text = new String(a, from, to - from, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0 && !validUtf8(a, from, to) && st == TailedLine.Status.OK) {
            st = TailedLine.Status.INVALID_UTF8;
        }
        if (st == TailedLine.Status.OK && text.indexOf('\0') >= 0) {
            st = TailedLine.Status.BINARY;
        }
        return new Decoded(text, st);
    }

    private boolean validUtf8(byte[] a, int from, int to) {
        try {
            strict.reset().decode(ByteBuffer.wrap(a, from, to - from));
            return true;
        } catch (CharacterCodingException ex) {
            return false;
        }
    }
}
