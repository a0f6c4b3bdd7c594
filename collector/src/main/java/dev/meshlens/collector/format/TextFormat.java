package dev.meshlens.collector.format;

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
