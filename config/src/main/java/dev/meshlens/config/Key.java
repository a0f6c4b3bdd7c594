package dev.meshlens.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration key: its dotted name ({@code []} stands for any index of a list of mappings), type, default,
 * whether it must be set, documentation, rules, and the deprecated names it still answers to. Declared once as a
 * constant in a service's table; read with {@link Settings#get(Key)}; the docs and JSON Schema are generated from it.
 *
 * @param <T> the Java type of its value
 */
public final class Key<T> {
    /**
     * A deprecated name of a key, accepted for one release with a warning naming the new key. {@code bareUnit}: a plain
     * number under the old name was a count of this unit (integer milliseconds, seconds) before durations had units.
     */
    public record Alias(String name, ChronoUnit bareUnit) {}

    private final String name;
    private final Type type;
    private final T defaultValue;
    private final boolean required;
    private final String doc;
    private final List<Alias> aliases;
    private final List<Validator<? super T>> validators;
    private final List<String> values;
    private final Map<String, Object> schema;
    private final String defaultDoc;

    private Key(
            String name,
            Type type,
            T defaultValue,
            boolean required,
            String doc,
            List<Alias> aliases,
            List<Validator<? super T>> validators,
            List<String> values,
            Map<String, Object> schema,
            String defaultDoc) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.required = required;
        this.doc = doc;
        this.aliases = List.copyOf(aliases);
        this.validators = List.copyOf(validators);
        this.values = List.copyOf(values);
        this.schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
        this.defaultDoc = defaultDoc;
    }

    private static <T> Key<T> of(String name, Type type) {
        return new Key<>(name, type, null, false, "", List.of(), List.of(), List.of(), Map.of(), null);
    }

    public static Key<String> string(String name) {
        return of(name, Type.STRING);
    }

    public static Key<Integer> integer(String name) {
        return of(name, Type.INT);
    }

    public static Key<Long> longKey(String name) {
        return of(name, Type.LONG);
    }

    public static Key<Boolean> bool(String name) {
        return of(name, Type.BOOLEAN);
    }

    public static Key<Duration> duration(String name) {
        return of(name, Type.DURATION);
    }

    /** A password, key, token or hash key; also settable as {@code NAME_file} or {@code NAME_env}. */
    public static Key<Secret> secret(String name) {
        return of(name, Type.SECRET);
    }

    /** One of {@code values} (compared without case); the value is the lower-case spelling. */
    public static Key<String> oneOf(String name, List<String> values) {
        return new Key<>(name, Type.ENUM, null, false, "", List.of(), List.of(), values, Map.of(), null);
    }

    /** A YAML list of strings. */
    public static Key<List<String>> strings(String name) {
        return of(name, Type.STRING_LIST);
    }

    /** A YAML list of strings, or one comma-separated string (for values that never hold a comma). */
    public static Key<List<String>> commaList(String name) {
        return of(name, Type.CSV_LIST);
    }

    /** Extra Kafka client properties: secret-capable ones ({@link ClientProperties#isSecret}) print as [hidden]. */
    public static Key<ClientProperties> properties(String name) {
        return new Key<>(
                name,
                Type.PROPERTIES,
                ClientProperties.EMPTY,
                false,
                "",
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                null);
    }

    /** A list of mappings whose keys are declared as {@code name[].key}. */
    public static Key<List<Settings>> list(String name) {
        return new Key<>(name, Type.LIST, List.of(), false, "", List.of(), List.of(), List.of(), Map.of(), null);
    }

    /**
     * A value whose shape only {@code validator} knows (a string, a mapping or a list of them, kept as plain Java
     * values); {@code schema} says the same in JSON Schema keywords.
     */
    public static Key<Object> any(String name, Map<String, Object> schema) {
        return new Key<>(name, Type.ANY, null, false, "", List.of(), List.of(), List.of(), schema, null);
    }

    private Key<T> copy(T dflt, boolean req, String d, List<Alias> al, List<Validator<? super T>> val, String dd) {
        return new Key<>(name, type, dflt, req, d, al, val, values, schema, dd);
    }

    public Key<T> doc(String text) {
        return copy(defaultValue, required, text, aliases, validators, defaultDoc);
    }

    public Key<T> required() {
        return copy(defaultValue, true, doc, aliases, validators, defaultDoc);
    }

    public Key<T> defaultValue(T value) {
        return copy(value, required, doc, aliases, validators, defaultDoc);
    }

    /** How the docs state a default that is computed from other keys (e.g. "meshlens.events.&lt;mesh.id&gt;"). */
    public Key<T> defaultDoc(String text) {
        return copy(defaultValue, required, doc, aliases, validators, text);
    }

    /** A deprecated full name this key still answers to. */
    public Key<T> alias(String oldName) {
        return alias(oldName, null);
    }

    /** A deprecated full name whose plain numbers counted {@code bareUnit} (duration keys). */
    public Key<T> alias(String oldName, ChronoUnit bareUnit) {
        List<Alias> a = new ArrayList<>(aliases);
        a.add(new Alias(oldName, bareUnit));
        return copy(defaultValue, required, doc, a, validators, defaultDoc);
    }

    public Key<T> validate(Validator<? super T> v) {
        List<Validator<? super T>> l = new ArrayList<>(validators);
        l.add(v);
        return copy(defaultValue, required, doc, aliases, l, defaultDoc);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    public String doc() {
        return doc;
    }

    public List<Alias> aliases() {
        return aliases;
    }

    public List<Validator<? super T>> validators() {
        return validators;
    }

    public List<String> values() {
        return values;
    }

    public Map<String, Object> schema() {
        return schema;
    }

    public String defaultDoc() {
        return defaultDoc;
    }

    public boolean isSecret() {
        return type == Type.SECRET;
    }

    /** The last part of the name ({@code format} of {@code sources.files[].format}). */
    public String leaf() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
