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

  private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  /**
   * @param a the bytes
   * @param from first byte of the line
   * @param to end of the line (exclusive; no newline)
   * @param tooLong the line was cut: its status is {@code TOO_LONG} whatever the bytes
   */
  public Decoded decode(byte[] a, int from, int to, boolean tooLong) {
    TailedLine.Status st = tooLong ? TailedLine.Status.TOO_LONG : TailedLine.Status.OK;
    boolean ascii = true;
    int nul = 0;
    for (int i = from; i < to; i++) {
      byte b = a[i];
      if (b < 0) {
        ascii = false;
      } else if (b == 0) {
        nul++;
      }
    }
    String text;
    if (ascii) {
      text = new String(a, from, to - from, StandardCharsets.ISO_8859_1);
    } else {
      try {
        text = strict.reset().decode(ByteBuffer.wrap(a, from, to - from)).toString();
      } catch (CharacterCodingException ex) {
        text = new String(a, from, to - from, StandardCharsets.UTF_8);
        if (st == TailedLine.Status.OK) {
          st = TailedLine.Status.INVALID_UTF8;
        }
      }
    }
    if (nul > 0 && st == TailedLine.Status.OK) {
      st = TailedLine.Status.BINARY;
    }
    return new Decoded(text, st);
  }
}
