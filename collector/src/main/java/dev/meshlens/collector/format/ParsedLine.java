package dev.meshlens.collector.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Offsets of each field of one parsed line; reused across lines by one thread. Values are
 * materialised as strings only when asked for. Absent values ({@code -}, empty, JSON null, missing
 * key) read as null.
 *
 * <p>The line is either a {@code String} or, for a plain ASCII line read from a file, the bytes of the
 * tailer's read buffer ({@link LineFormat#parseAscii}): then no {@code String} is made for the line at all,
 * offsets index that buffer, and a value is copied out only when asked for. Such a line is valid until the
 * next parse (the buffer is reused), as the offsets always were.
 */
public final class ParsedLine {
    static final byte PLAIN = 0;
    static final byte TEXT_ESCAPED = 1;
    static final byte JSON_ESCAPED = 2;

    private final LineFormat format;
    private String line;
    /** The line's bytes (plain ASCII) when it was parsed from bytes, else null; offsets then index this array. */
    private byte[] bytes;

    private int bytesFrom;
    private int bytesTo;
    private final Interned interned = new Interned();
    static final int MAX_INTERNED = 256;
    final int[] start;
    final int[] end;
    final byte[] escape;

    public ParsedLine(LineFormat format) {
        this.format = format;
        int n = format.slotCount();
        this.start = new int[n];
        this.end = new int[n];
        this.escape = new byte[n];
    }

    void reset(String line) {
        this.line = line;
        this.bytes = null;
        Arrays.fill(start, -1);
        Arrays.fill(end, -1);
    }

    /** A plain ASCII line in {@code a[from, to)}; offsets given to {@link #set} index {@code a}. */
    void reset(byte[] a, int from, int to) {
        this.line = null;
        this.bytes = a;
        this.bytesFrom = from;
        this.bytesTo = to;
        Arrays.fill(start, -1);
        Arrays.fill(end, -1);
    }

    void set(int slot, int s, int e, byte esc) {
        start[slot] = s;
        end[slot] = e;
        escape[slot] = esc;
    }

    public LineFormat format() {
        return format;
    }

    /** The whole line (made from the bytes on first request when the line was parsed from bytes). */
    public String line() {
        if (line == null && bytes != null) {
            line = new String(bytes, bytesFrom, bytesTo - bytesFrom, StandardCharsets.ISO_8859_1);
        }
        return line;
    }

    /** True when the slot holds no value ({@code -}, empty, null or missing). */
    public boolean absent(int slot) {
        if (slot < 0) {
            return true;
        }
        int s = start[slot];
        int e = end[slot];
        if (s < 0 || e <= s) {
            return true;
        }
        return e - s == 1 && (bytes != null ? bytes[s] == '-' : line.charAt(s) == '-');
    }

    public boolean absent(Field f) {
        return absent(format.slotOf(f));
    }

    /** The value of a slot, unescaped, or null when absent. */
    public String get(int slot) {
        if (absent(slot)) {
            return null;
        }
        int s = start[slot];
        int e = end[slot];
        if (bytes != null) {
            return switch (escape[slot]) {
                case TEXT_ESCAPED -> unescapeText(line(), s - bytesFrom, e - bytesFrom);
                case JSON_ESCAPED -> Json.unescape(line(), s - bytesFrom, e - bytesFrom);
                default -> new String(bytes, s, e - s, StandardCharsets.ISO_8859_1);
            };
        }
        return switch (escape[slot]) {
            case TEXT_ESCAPED -> unescapeText(line, s, e);
            case JSON_ESCAPED -> Json.unescape(line, s, e);
            default -> line.substring(s, e);
        };
    }

    public String get(Field f) {
        return get(format.slotOf(f));
    }

    /**
     * The value of a slot like {@link #get(int)}, but a value seen recently on this thread comes back as the
     * same {@code String} instead of a new one: for the few distinct values of a field (cluster, authority,
     * SPIFFE IDs) that healthy lines are grouped by, so counting a line into its roll-up allocates nothing.
     * Values longer than {@value #MAX_INTERNED} bytes are not kept (the cache stays under 300 KB).
     */
    public String getInterned(int slot) {
        if (bytes == null || absent(slot) || escape[slot] != PLAIN || end[slot] - start[slot] > MAX_INTERNED) {
            return get(slot);
        }
        return interned.get(bytes, start[slot], end[slot]);
    }

    public String getInterned(Field f) {
        return getInterned(format.slotOf(f));
    }

    /**
     * A recently seen value per hash (direct-mapped, 512 entries, replaced on collision): bounded memory
     * whatever the cardinality, and the comparison reads the bytes against the cached string in place.
     */
    private static final class Interned {
        private final String[] values = new String[512];
        /** The bytes of each value, compared with the line's bytes in one vectorised call. */
        private final byte[][] bytes = new byte[512][];

        String get(byte[] a, int s, int e) {
            int h = 1;
            for (int i = s; i < e; i++) {
                h = 31 * h + a[i];
            }
            int idx = (h ^ (h >>> 9)) & (values.length - 1);
            byte[] cached = bytes[idx];
            if (cached != null && Arrays.equals(cached, 0, cached.length, a, s, e)) {
                return values[idx];
            }
            byte[] copy = Arrays.copyOfRange(a, s, e);
            String v = new String(copy, StandardCharsets.ISO_8859_1);
            bytes[idx] = copy;
            values[idx] = v;
            return v;
        }
    }

    /** Whether the raw slot text contains {@code needle} (no allocation). */
    public boolean contains(int slot, String needle) {
        if (absent(slot)) {
            return false;
        }
        int e = end[slot];
        if (bytes != null) {
            return containsAscii(bytes, start[slot], e, needle);
        }
        int idx = line.indexOf(needle, start[slot]);
        return idx >= 0 && idx + needle.length() <= e;
    }

    private static boolean containsAscii(byte[] a, int s, int e, String needle) {
        int n = needle.length();
        if (n == 0) {
            return true;
        }
        char first = needle.charAt(0);
        if (first > 0x7F) {
            return false; // an ASCII line holds no other character
        }
        for (int i = Bytes.indexOf(a, (byte) first, s, e);
                i >= 0 && i + n <= e;
                i = Bytes.indexOf(a, (byte) first, i + 1, e)) {
            int k = 1;
            while (k < n && a[i + k] == needle.charAt(k)) {
                k++;
            }
            if (k == n) {
                return true;
            }
        }
        return false;
    }

    /**
     * The raw text of a present slot (escapes not undone) as a view into the line, without a copy: one view
     * per holder, pointed at {@code slot} by this call, so it is valid until the next call or parse.
     */
    public CharSequence raw(int slot) {
        view.slot = slot;
        return view;
    }

    private final RawView view = new RawView();

    private final class RawView implements CharSequence {
        int slot;

        @Override
        public int length() {
            return end[slot] - start[slot];
        }

        @Override
        public char charAt(int i) {
            int at = start[slot] + i;
            return bytes != null ? (char) (bytes[at] & 0xFF) : line.charAt(at);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return toString().substring(from, to);
        }

        @Override
        public String toString() {
            int s = start[slot];
            int e = end[slot];
            return bytes != null ? new String(bytes, s, e - s, StandardCharsets.ISO_8859_1) : line.substring(s, e);
        }
    }

    /** Parses a numeric slot without allocating; {@code dflt} when absent or not a number. */
    public long getLong(int slot, long dflt) {
        if (absent(slot)) {
            return dflt;
        }
        long v = 0;
        int s = start[slot];
        int e = end[slot];
        if (e - s > 18) {
            return dflt;
        }
        for (int i = s; i < e; i++) {
            int c = bytes != null ? bytes[i] : line.charAt(i);
            if (c < '0' || c > '9') {
                return dflt;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public long getLong(Field f, long dflt) {
        return getLong(format.slotOf(f), dflt);
    }

    static String unescapeText(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                char n = s.charAt(i + 1);
                if (n == '"' || n == '\\') {
                    sb.append(n);
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
