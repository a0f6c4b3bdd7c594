package dev.meshlens.collector.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tokenizer for Envoy format strings: literals and {@code %COMMAND(ARG):MAXLEN%} operators, {@code %%}
 * an escaped percent. Errors name the command and the zero-based position.
 */
public final class FormatString {
    /** One operator of a format string. */
    public record Operator(String command, String arg, int maxLength, int position, Field field, String text) {}

    /** Literals interleaved with operators: {@code literals.size() == operators.size() + 1}. */
    public record Tokens(List<String> literals, List<Operator> operators) {}

    private FormatString() {}

    public static Tokens tokenize(String format) {
        return tokenize(format, List.of(), true);
    }

    /**
     * @param format the format string
     * @param userParsers parsers consulted before the built-ins
     * @param stripNewline remove a trailing newline (real or the two characters backslash-n)
     */
    public static Tokens tokenize(String format, List<Commands.CommandParser> userParsers, boolean stripNewline) {
        Objects.requireNonNull(format, "format");
        String f = format;
        if (stripNewline) {
            boolean again = true;
            while (again) {
                again = false;
                if (f.endsWith("\n") || f.endsWith("\r")) {
                    f = f.substring(0, f.length() - 1);
                    again = true;
                } else if (f.endsWith("\\n")) {
                    f = f.substring(0, f.length() - 2);
                    again = true;
                }
            }
        }
        List<String> lits = new ArrayList<>();
        List<Operator> ops = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int n = f.length();
        int i = 0;
        while (i < n) {
            char c = f.charAt(i);
            if (c != '%') {
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && f.charAt(i + 1) == '%') {
                lit.append('%');
                i += 2;
                continue;
            }
            int startPos = i;
            int j = i + 1;
            while (j < n && isCommandChar(f.charAt(j))) {
                j++;
            }
            String name = f.substring(i + 1, j);
            if (name.isEmpty()) {
                throw new FormatException(
                        "Couldn't find valid command at position " + startPos
                                + ": '%' must start a command like %RESPONSE_CODE% (write %% for a literal percent)",
                        null,
                        startPos);
            }
            String arg = null;
            if (j < n && f.charAt(j) == '(') {
                int close = f.indexOf(')', j + 1);
                if (close < 0) {
                    throw new FormatException(
                            "Couldn't find valid command at position " + startPos + ": parameters of " + name
                                    + " are not closed with ')'",
                            name,
                            startPos);
                }
                arg = f.substring(j + 1, close);
                j = close + 1;
            }
            int maxLen = -1;
            if (j < n && f.charAt(j) == ':') {
                int k = j + 1;
                while (k < n && Character.isDigit(f.charAt(k))) {
                    k++;
                }
                if (k == j + 1) {
                    throw new FormatException(
                            "Couldn't find valid command at position " + startPos + ": ':' after " + name
                                    + " must be followed by a maximum length",
                            name,
                            startPos);
                }
                try {
                    maxLen = Integer.parseInt(f.substring(j + 1, k));
                } catch (NumberFormatException e) {
                    throw new FormatException(
                            "Length of " + name + " at position " + startPos + " is too large", name, startPos);
                }
                j = k;
            }
            if (j >= n || f.charAt(j) != '%') {
                throw new FormatException(
                        "Couldn't find valid command at position " + startPos + ": " + name + " is not closed with '%'",
                        name,
                        startPos);
            }
            Commands.Spec spec = null;
            for (Commands.CommandParser p : userParsers) {
                spec = p.lookup(name);
                if (spec != null) {
                    break;
                }
            }
            if (spec == null) {
                spec = Commands.BUILT_INS.lookup(name);
            }
            if (spec == null) {
                throw new FormatException(
                        "Not supported field in StreamInfo: " + name + " (position " + startPos + ")", name, startPos);
            }
            checkSyntax(spec, arg, startPos);
            lits.add(lit.toString());
            lit.setLength(0);
            ops.add(new Operator(
                    name, arg, maxLen, startPos, Commands.fieldOf(spec, arg), f.substring(startPos + 1, j)));
            i = j + 1;
        }
        lits.add(lit.toString());
        return new Tokens(List.copyOf(lits), List.copyOf(ops));
    }

    private static void checkSyntax(Commands.Spec spec, String arg, int pos) {
        String name = spec.name();
        switch (spec.args()) {
            case NONE -> {
                if (arg != null) {
                    throw new FormatException(name + " does not take parameters (position " + pos + ")", name, pos);
                }
            }
            case REQUIRED -> {
                if (arg == null || arg.isEmpty()) {
                    throw new FormatException(name + " requires parameters (position " + pos + ")", name, pos);
                }
            }
            case OPTIONAL -> {}
        }
        if (arg != null
                && (name.equals("REQ")
                        || name.equals("RESP")
                        || name.equals("TRAILER")
                        || name.endsWith("_HEADER")
                        || name.equals("RESPONSE_TRAILER"))) {
            int q = arg.indexOf('?');
            if (q >= 0 && arg.indexOf('?', q + 1) >= 0) {
                throw new FormatException(
                        "More than 1 alternative header specified in token: " + name + "(" + arg + ") (position " + pos
                                + ")",
                        name,
                        pos);
            }
            if (q == 0 || q == arg.length() - 1) {
                throw new FormatException(
                        "Empty alternative header in " + name + "(" + arg + ") (position " + pos + ")", name, pos);
            }
        }
    }

    private static boolean isCommandChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
