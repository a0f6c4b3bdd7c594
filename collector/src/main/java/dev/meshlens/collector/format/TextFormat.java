package dev.meshlens.collector.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A text format string compiled into literal anchors and field extractors. A field ends at the first
 * occurrence of the literal that follows it; a field between double quotes ends at the first
 * unescaped quote that starts the following literal, so quoted values may contain spaces and
 * {@code \"}.
 */
public final class TextFormat implements LineFormat {
    private final String name;
    private final String source;
    private final String[] literals;
    /** The literals as UTF-8 bytes, for {@link #parseAscii} (a literal that is not ASCII never fits such a line). */
    private final byte[][] literalBytes;

    private final FormatString.Operator[] ops;
    private final Field[] fields;
    private final boolean[] quoted;
    private final boolean[] numeric;
    private final int[] slotOfField;

    private TextFormat(String name, String source, FormatString.Tokens t) {
        this.name = name;
        this.source = source;
        this.literals = t.literals().toArray(new String[0]);
        this.ops = t.operators().toArray(new FormatString.Operator[0]);
        this.literalBytes = new byte[literals.length][];
        for (int i = 0; i < literals.length; i++) {
            literalBytes[i] = literals[i].getBytes(StandardCharsets.UTF_8);
        }
        int n = ops.length;
        if (n == 0) {
            throw new FormatException("format has no command; a format needs at least one %COMMAND%", null, -1);
        }
        this.fields = new Field[n];
        this.quoted = new boolean[n];
        this.numeric = new boolean[n];
        this.slotOfField = new int[Field.VALUES.length];
        Arrays.fill(slotOfField, -1);
        for (int i = 0; i < n; i++) {
            String next = literals[i + 1];
            if (next.isEmpty() && i < n - 1) {
                throw new FormatException(
                        "commands " + ops[i].command() + " at position " + ops[i].position() + " and "
                                + ops[i + 1].command() + " at position " + ops[i + 1].position()
                                + " are not separated by literal text, so a line cannot be split between them",
                        ops[i + 1].command(),
                        ops[i + 1].position());
            }
            String prev = literals[i];
            quoted[i] = prev.endsWith("\"") && next.startsWith("\"");
            fields[i] = ops[i].field();
            numeric[i] = fields[i].numeric();
            if (fields[i] != Field.OTHER && slotOfField[fields[i].ordinal()] < 0) {
                slotOfField[fields[i].ordinal()] = i;
            }
        }
    }

    /** Compiles a format string; throws {@link FormatException} naming the command and position. */
    public static TextFormat compile(String format) {
        return compile("custom", format);
    }

    public static TextFormat compile(String name, String format) {
        return new TextFormat(name, format, FormatString.tokenize(format));
    }

    public static TextFormat compile(String name, String format, List<Commands.CommandParser> parsers) {
        return new TextFormat(name, format, FormatString.tokenize(format, parsers, true));
    }

    public String source() {
        return source;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int slotCount() {
        return ops.length;
    }

    @Override
    public Field field(int slot) {
        return fields[slot];
    }

    @Override
    public String slotName(int slot) {
        return ops[slot].text();
    }

    @Override
    public int slotOf(Field field) {
        return slotOfField[field.ordinal()];
    }

    @Override
    public ParseStatus parse(String line, ParsedLine out) {
        Objects.requireNonNull(out, "out");
        out.reset(line);
        if (line == null) {
            return ParseStatus.EMPTY;
        }
        int len = line.length();
        while (len > 0 && (line.charAt(len - 1) == '\n' || line.charAt(len - 1) == '\r')) {
            len--;
        }
        if (len == 0) {
            return ParseStatus.EMPTY;
        }
        String first = literals[0];
        if (!line.startsWith(first)) {
            return ParseStatus.PREFIX_MISMATCH;
        }
        int pos = first.length();
        int backslash = line.indexOf('\\', pos); // next backslash, advanced lazily (no rescans)
        String[] lits = literals;
        int n = ops.length;
        for (int i = 0; i < n; i++) {
            String next = lits[i + 1];
            int fieldEnd;
            byte esc = ParsedLine.PLAIN;
            if (quoted[i]) {
                // the first unescaped quote that starts the next literal (indexOf is vectorised)
                int j = line.indexOf('"', pos);
                for (; ; ) {
                    if (j < 0 || j >= len) {
                        return ParseStatus.UNTERMINATED_QUOTE;
                    }
                    int b = j - 1;
                    int bs = 0;
                    while (b >= pos && line.charAt(b) == '\\') {
                        bs++;
                        b--;
                    }
                    if ((bs & 1) == 0 && line.startsWith(next, j) && j + next.length() <= len) {
                        break;
                    }
                    j = line.indexOf('"', j + 1);
                }
                if (backslash >= 0 && backslash < pos) {
                    backslash = line.indexOf('\\', pos);
                }
                if (backslash >= 0 && backslash < j) {
                    esc = ParsedLine.TEXT_ESCAPED;
                }
                fieldEnd = j;
            } else if (next.isEmpty()) {
                fieldEnd = len;
            } else {
                fieldEnd = next.length() == 1 ? line.indexOf(next.charAt(0), pos) : line.indexOf(next, pos);
                if (fieldEnd < 0 || fieldEnd + next.length() > len) {
                    return ParseStatus.LITERAL_NOT_FOUND;
                }
            }
            if (numeric[i] && !isNumberOrAbsent(line, pos, fieldEnd)) {
                return ParseStatus.BAD_NUMBER;
            }
            out.set(i, pos, fieldEnd, esc);
            pos = fieldEnd + next.length();
        }
        while (pos < len) {
            char c = line.charAt(pos);
            if (c != ' ' && c != '\t') {
                return ParseStatus.TRAILING_DATA;
            }
            pos++;
        }
        return ParseStatus.OK;
    }

    /**
     * {@link #parse(String, ParsedLine)} over the bytes of a plain ASCII line, step for step (each char of the
     * text is its byte), so both agree on every line ({@code TextFormatBytesProperties}); offsets index
     * {@code a}.
     */
    @Override
    public ParseStatus parseAscii(byte[] a, int from, int to, ParsedLine out) {
        Objects.requireNonNull(out, "out");
        out.reset(a, from, to);
        int len = to;
        while (len > from && (a[len - 1] == '\n' || a[len - 1] == '\r')) {
            len--;
        }
        if (len == from) {
            return ParseStatus.EMPTY;
        }
        byte[] first = literalBytes[0];
        if (first.length > to - from || !Bytes.startsWith(a, from, first)) {
            return ParseStatus.PREFIX_MISMATCH;
        }
        int pos = from + first.length;
        int backslash = Bytes.indexOf(a, (byte) '\\', pos, to); // next backslash, advanced lazily (no rescans)
        byte[][] lits = literalBytes;
        int n = ops.length;
        for (int i = 0; i < n; i++) {
            byte[] next = lits[i + 1];
            int fieldEnd;
            byte esc = ParsedLine.PLAIN;
            if (quoted[i]) {
                // the first unescaped quote that starts the next literal
                int j = Bytes.indexOf(a, (byte) '"', pos, to);
                for (; ; ) {
                    if (j < 0 || j >= len) {
                        return ParseStatus.UNTERMINATED_QUOTE;
                    }
                    int b = j - 1;
                    int bs = 0;
                    while (b >= pos && a[b] == '\\') {
                        bs++;
                        b--;
                    }
                    if ((bs & 1) == 0 && j + next.length <= len && Bytes.startsWith(a, j, next)) {
                        break;
                    }
                    j = Bytes.indexOf(a, (byte) '"', j + 1, to);
                }
                if (backslash >= 0 && backslash < pos) {
                    backslash = Bytes.indexOf(a, (byte) '\\', pos, to);
                }
                if (backslash >= 0 && backslash < j) {
                    esc = ParsedLine.TEXT_ESCAPED;
                }
                fieldEnd = j;
            } else if (next.length == 0) {
                fieldEnd = len;
            } else {
                fieldEnd = next.length == 1 ? Bytes.indexOf(a, next[0], pos, to) : Bytes.indexOf(a, next, pos, to);
                if (fieldEnd < 0 || fieldEnd + next.length > len) {
                    return ParseStatus.LITERAL_NOT_FOUND;
                }
            }
            if (numeric[i] && !isNumberOrAbsent(a, pos, fieldEnd)) {
                return ParseStatus.BAD_NUMBER;
            }
            out.set(i, pos, fieldEnd, esc);
            pos = fieldEnd + next.length;
        }
        while (pos < len) {
            byte c = a[pos];
            if (c != ' ' && c != '\t') {
                return ParseStatus.TRAILING_DATA;
            }
            pos++;
        }
        return ParseStatus.OK;
    }

    private static boolean isNumberOrAbsent(byte[] s, int from, int to) {
        if (to <= from) {
            return true;
        }
        if (to - from == 1 && s[from] == '-') {
            return true;
        }
        for (int i = from; i < to; i++) {
            byte c = s[i];
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumberOrAbsent(String s, int from, int to) {
        if (to <= from) {
            return true;
        }
        if (to - from == 1 && s.charAt(from) == '-') {
            return true;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TextFormat[" + name + "]";
    }
}
