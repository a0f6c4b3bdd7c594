package dev.meshlens.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Validated values of one configuration (or of one item of a list of mappings), read with the table's typed
 * {@link Key} constants; a key not set reads as its default. Immutable.
 */
public final class Settings {
    private final ConfigDef def;
    private final String prefix;
    private final String shownPrefix;
    private final Map<String, Object> values;
    private final Map<String, Integer> lines;
    private final List<Problem> warnings;
    private final String source;

    Settings(
            ConfigDef def,
            String prefix,
            String shownPrefix,
            Map<String, Object> values,
            Map<String, Integer> lines,
            List<Problem> warnings,
            String source) {
        this.def = def;
        this.prefix = prefix;
        this.shownPrefix = shownPrefix;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
        this.warnings = List.copyOf(warnings);
        this.source = source;
    }

    /** The value of {@code key}, or its default (null when it has none and is not set). */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        Object v = values.get(own(key).name());
        return v != null ? (T) v : key.defaultValue();
    }

    public boolean isSet(Key<?> key) {
        return values.containsKey(own(key).name());
    }

    /** The line {@code key} was set on, 0 when not set (cross-key checks name it). */
    public int line(Key<?> key) {
        return lines.getOrDefault(own(key).name(), 0);
    }

    /** How a problem names {@code key} here, e.g. {@code sources.files[2].format}. */
    public String shown(Key<?> key) {
        return shownPrefix + own(key).name().substring(prefix.length());
    }

    /**
     * A copy with {@code key} set to {@code value} (tests, benchmarks, settings built in code); the key's rules apply
     * at once ({@link IllegalArgumentException} naming the key).
     */
    public <T> Settings with(Key<T> key, T value) {
        for (Validator<? super T> v : key.validators()) {
            String p = v.problem(value);
            if (p != null) {
                throw new IllegalArgumentException(
                        "Invalid value " + (key.isSecret() ? Secret.HIDDEN : Settings.show(value))
                                + " for configuration " + key.name() + ": " + p);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(own(key).name(), Objects.requireNonNull(value, "value"));
        return new Settings(def, prefix, shownPrefix, m, lines, warnings, source);
    }

    /** Deprecated spellings that were accepted, each naming the new key. */
    public List<Problem> warnings() {
        return warnings;
    }

    /** Where the values came from (a file name). */
    public String source() {
        return source;
    }

    public ConfigDef definition() {
        return def;
    }

    /**
     * The resolved configuration, sorted, one entry per key: defaults marked {@code (default)}, secrets
     * {@code [hidden]}, durations in the config syntax; logged at start and printed by {@code --check}.
     */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        describe(out);
        return out;
    }

    private void describe(Map<String, String> out) {
        for (Key<?> k : def.keys()) {
            if (!k.name().startsWith(prefix)
                    || k.name().substring(prefix.length()).contains("[]")) {
                continue;
            }
            String shown = shown(k);
            Object v = values.get(k.name());
            boolean dflt = v == null;
            if (dflt) {
                v = k.defaultValue();
            }
            if (v == null) {
                continue;
            }
            if (v instanceof ClientProperties cp) {
                cp.values().forEach((pk, pv) -> out.put(shown + "." + pk, String.valueOf(pv)));
            } else if (k.type() == Type.LIST) {
                @SuppressWarnings("unchecked")
                List<Settings> items = (List<Settings>) v;
                items.forEach(s -> s.describe(out));
            } else {
                out.put(shown, show(v) + (dflt ? " (default)" : ""));
            }
        }
    }

    static String show(Object v) {
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        return String.valueOf(v);
    }

    private Key<?> own(Key<?> key) {
        if (!key.name().startsWith(prefix)
                || key.name().substring(prefix.length()).contains("[]")
                || def.key(key.name()) == null) {
            throw new IllegalArgumentException("key " + key.name() + " is not a key of "
                    + (prefix.isEmpty() ? "the " + def.service() + " configuration" : "an item of " + prefix));
        }
        return key;
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
