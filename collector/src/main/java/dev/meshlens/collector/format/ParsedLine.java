package dev.meshlens.collector.format;

import java.util.Arrays;

/**
 * Offsets of each field of one parsed line; reused across lines by one thread. Values are
 * materialised as strings only when asked for. Absent values ({@code -}, empty, JSON null, missing
 * key) read as null.
 */
public final class ParsedLine {
    static final byte PLAIN = 0;
    static final byte TEXT_ESCAPED = 1;
    static final byte JSON_ESCAPED = 2;

    private final LineFormat format;
    private String line;
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

    public String line() {
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
        return e - s == 1 && line.charAt(s) == '-';
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
        return switch (escape[slot]) {
            case TEXT_ESCAPED -> unescapeText(line, s, e);
            case JSON_ESCAPED -> Json.unescape(line, s, e);
            default -> line.substring(s, e);
        };
    }

    public String get(Field f) {
        return get(format.slotOf(f));
    }

    /** Whether the raw slot text contains {@code needle} (no allocation). */
    public boolean contains(int slot, String needle) {
        if (absent(slot)) {
            return false;
        }
        int e = end[slot];
        int idx = line.indexOf(needle, start[slot]);
        return idx >= 0 && idx + needle.length() <= e;
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
            char c = line.charAt(i);
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
