package dev.meshlens.collector.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches over a byte range eight bytes at a time (a long read through a {@link VarHandle}, which the JIT
 * compiles to one load): the tailer finds newlines and tells plain ASCII lines from the rest with it, and a
 * text format finds its anchors in a line's bytes without making the line a {@code String} first. Every
 * method looks at {@code a[from, to)} only.
 */
public final class Bytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Bytes() {}

    /** The first index of {@code b} in {@code a[from, to)}, or -1. */
    public static int indexOf(byte[] a, byte b, int from, int to) {
        int i = from;
        long pattern = (b & 0xFFL) * ONES;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONG.get(a, i) ^ pattern;
            // a byte of v is zero where a[i..] holds b; the lowest flagged byte is always a true zero (a borrow
            // only runs upwards, into bytes after it)
            long zero = (v - ONES) & ~v & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of {@code needle} (non-empty) inside {@code a[from, to)}, or -1. */
    public static int indexOf(byte[] a, byte[] needle, int from, int to) {
        int last = to - needle.length;
        byte first = needle[0];
        int i = from;
        while (i <= last) {
            i = indexOf(a, first, i, last + 1);
            if (i < 0) {
                return -1;
            }
            if (startsWith(a, i, needle)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** Whether {@code a} holds {@code needle} at {@code at} (the caller checked that it fits). */
    static boolean startsWith(byte[] a, int at, byte[] needle) {
        for (int k = 0; k < needle.length; k++) {
            if (a[at + k] != needle[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code a[from, to)} is plain ASCII without NUL (almost every Envoy line): such bytes are their
     * own text, one char each, and read the same in UTF-8 and ISO-8859-1.
     */
    public static boolean plainAscii(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long v = (long) LONG.get(a, i);
            if ((v & HIGHS) != 0 || ((v - ONES) & ~v & HIGHS) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (a[i] <= 0) {
                return false;
            }
        }
        return true;
    }
}
