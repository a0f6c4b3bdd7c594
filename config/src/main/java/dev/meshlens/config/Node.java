package dev.meshlens.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value with the line it starts on, so that every problem can name its line. */
sealed interface Node {
    int line();

    /** The value as plain Java (String, Number, Boolean, null, List, Map), for keys of {@link Type#ANY}. */
    Object plain();

    record Scalar(Object value, int line) implements Node {
        @Override
        public Object plain() {
            return value;
        }

        String text() {
            return value == null ? null : String.valueOf(value);
        }
    }

    record Sequence(List<Node> items, int line) implements Node {
        @Override
        public Object plain() {
            List<Object> l = new ArrayList<>();
            items.forEach(n -> l.add(n.plain()));
            return l;
        }
    }

    /** A mapping; {@code keyLines} is where each key stands. */
    record Mapping(Map<String, Node> entries, Map<String, Integer> keyLines, int line) implements Node {
        @Override
        public Object plain() {
            Map<String, Object> m = new LinkedHashMap<>();
            entries.forEach((k, v) -> m.put(k, v.plain()));
            return m;
        }
    }
}
