package dev.meshlens.events.fix;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes the small YAML subset fixes need (maps, lists, strings, numbers, booleans; multi-line
 * strings as literal blocks) so {@code events} stays free of a YAML library. Strings that YAML
 * would read as something else (numbers, booleans, null, leading indicators) are double-quoted.
 */
final class Yaml {
    private Yaml() {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./*-]*");
    private static final Pattern RESERVED = Pattern.compile("(?i)(true|false|yes|no|on|off|y|n|null|~)");

    static String write(Map<String, ?> doc) {
        StringBuilder sb = new StringBuilder();
        map(sb, doc, 0);
        return sb.toString();
    }

    private static void map(StringBuilder sb, Map<String, ?> m, int indent) {
        boolean first = true;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (!first || indent >= 0) {
                pad(sb, Math.max(indent, 0));
            }
            first = false;
            sb.append(scalar(e.getKey())).append(':');
            value(sb, e.getValue(), Math.max(indent, 0));
        }
    }

    @SuppressWarnings("unchecked")
    private static void value(StringBuilder sb, Object v, int indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append(" {}\n");
                return;
            }
            sb.append('\n');
            map(sb, (Map<String, ?>) m, indent + 2);
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append(" []\n");
                return;
            }
            sb.append('\n');
            list(sb, l, indent + 2);
        } else if (v instanceof String s && s.contains("\n")) {
            sb.append(" |").append(s.endsWith("\n") ? "" : "-").append('\n');
            String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
            for (String line : body.split("\n", -1)) {
                if (!line.isEmpty()) {
                    pad(sb, indent + 2);
                    sb.append(line);
                }
                sb.append('\n');
            }
        } else {
            sb.append(' ').append(scalarValue(v)).append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static void list(StringBuilder sb, List<?> l, int indent) {
        for (Object item : l) {
            pad(sb, indent);
            sb.append('-');
            if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                // first key on the dash line, the others aligned under it
                StringBuilder inner = new StringBuilder();
                map(inner, (Map<String, ?>) m, indent + 2);
                sb.append(' ').append(inner.substring(indent + 2));
            } else if (item instanceof List<?>) {
                throw new IllegalArgumentException("lists of lists are not needed by any fix");
            } else {
                value(sb, item, indent);
            }
        }
    }

    private static String scalarValue(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return scalar(String.valueOf(v));
    }

    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches()) {
            return s;
        }
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\x%02x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    private static void pad(StringBuilder sb, int n) {
        sb.append(" ".repeat(n));
    }
}
