package dev.meshlens.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns one YAML node into the Java value of its key's {@link Type}, or says what was expected. */
final class Converter {
    /** Resolves {@code NAME_file} / {@code NAME_env} of a secret client property. */
    interface SecretResolver {
        Secret resolve(String shown, boolean file, Node node, int line);
    }

    private Converter() {}

    static Object convert(
            Key<?> key,
            Key.Alias alias,
            Node node,
            String shown,
            int line,
            List<Problem> warnings,
            SecretResolver secrets) {
        Type t = key.type();
        return switch (t) {
            case STRING -> scalarText(node, t);
            case SECRET -> Secret.of(scalarText(node, t));
            case INT -> {
                long n = integral(node, t);
                if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("too large for an integer");
                }
                yield (int) n;
            }
            case LONG -> integral(node, t);
            case BOOLEAN -> {
                if (node instanceof Node.Scalar s && s.value() instanceof Boolean b) {
                    yield b;
                }
                if (node instanceof Node.Scalar s
                        && s.value() instanceof String str
                        && (str.equalsIgnoreCase("true") || str.equalsIgnoreCase("false"))) {
                    yield Boolean.parseBoolean(str);
                }
                throw expected(t);
            }
            case DURATION -> duration(key, alias, node, shown, line, warnings);
            case ENUM -> {
                String s = scalarText(node, t).toLowerCase(Locale.ROOT);
                if (!key.values().contains(s)) {
                    throw new IllegalArgumentException("expected one of " + key.values());
                }
                yield s;
            }
            case STRING_LIST, CSV_LIST -> {
                List<String> out = new ArrayList<>();
                if (node instanceof Node.Sequence seq) {
                    for (Node n : seq.items()) {
                        out.add(scalarText(n, t));
                    }
                } else if (t == Type.CSV_LIST && node instanceof Node.Scalar s && s.value() instanceof String str) {
                    for (String p : str.split(",")) {
                        if (!p.isBlank()) {
                            out.add(p.trim());
                        }
                    }
                } else {
                    throw expected(t);
                }
                yield List.copyOf(out);
            }
            case PROPERTIES -> {
                if (!(node instanceof Node.Mapping m)) {
                    throw expected(t);
                }
                Map<String, Object> props = new LinkedHashMap<>();
                properties("", shown, m, props, secrets);
                yield new ClientProperties(props);
            }
            case LIST -> {
                if (!(node instanceof Node.Sequence seq)) {
                    throw expected(t);
                }
                for (int i = 0; i < seq.items().size(); i++) {
                    if (!(seq.items().get(i) instanceof Node.Mapping)) {
                        throw new IllegalArgumentException("item " + i + " is not a mapping; expected " + t.expected());
                    }
                }
                yield seq.items();
            }
            case ANY -> node.plain();
        };
    }

    /** Nested mappings ({@code ssl: {keystore: {type: PEM}}}) flatten to dotted property names. */
    private static void properties(
            String prefix, String shown, Node.Mapping m, Map<String, Object> out, SecretResolver secrets) {
        for (Map.Entry<String, Node> e : m.entries().entrySet()) {
            String name = prefix + e.getKey();
            Node v = e.getValue();
            if (v instanceof Node.Mapping sub) {
                properties(name + ".", shown, sub, out, secrets);
                continue;
            }
            boolean file = name.endsWith("_file");
            boolean envVar = name.endsWith("_env");
            String base = file || envVar ? name.substring(0, name.length() - 5) : name;
            if ((file || envVar) && ClientProperties.isSecret(base)) {
                Secret s = secrets.resolve(
                        shown + "." + name, file, v, m.keyLines().getOrDefault(e.getKey(), v.line()));
                if (s != null) {
                    out.put(base, s);
                }
                continue;
            }
            if (!(v instanceof Node.Scalar sc)) {
                throw new IllegalArgumentException("property " + name + " must be a single value");
            }
            String text = sc.value() == null ? "" : String.valueOf(sc.value());
            out.put(name, ClientProperties.isSecret(name) ? Secret.of(text) : text);
        }
    }

    private static Duration duration(
            Key<?> key, Key.Alias alias, Node node, String shown, int line, List<Problem> warnings) {
        if (node instanceof Node.Scalar s && s.value() instanceof Number n) {
            if (alias != null && alias.bareUnit() != null) {
                Duration d = Duration.of(n.longValue(), alias.bareUnit());
                warnings.add(new Problem(
                        line,
                        key.name(),
                        "a plain number for " + shown + " counts "
                                + alias.bareUnit().toString().toLowerCase(Locale.ROOT),
                        "write " + key.name() + ": " + Durations.format(d)));
                return d;
            }
            throw new IllegalArgumentException("a plain number has no unit; expected " + Durations.EXPECTED);
        }
        return Durations.parse(scalarText(node, Type.DURATION));
    }

    private static long integral(Node node, Type t) {
        if (node instanceof Node.Scalar s) {
            Object v = s.value();
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                return ((Number) v).longValue();
            }
            if (v instanceof BigInteger) {
                throw new IllegalArgumentException("too large");
            }
            if (v instanceof String str && str.trim().matches("-?\\d{1,18}")) {
                return Long.parseLong(str.trim());
            }
        }
        throw expected(t);
    }

    private static String scalarText(Node node, Type t) {
        if (node instanceof Node.Scalar s && (s.value() instanceof String || s.value() instanceof Number)) {
            return String.valueOf(s.value());
        }
        throw expected(t);
    }

    private static IllegalArgumentException expected(Type t) {
        return new IllegalArgumentException("expected " + t.expected());
    }
}
