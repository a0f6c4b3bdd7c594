package dev.meshlens.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of a service's configuration, generated from its {@link ConfigDef}: what the Helm
 * chart's rendered configs and {@code deploy/check.sh} validate against, and what {@code ./meshlens config-schema}
 * prints. Deprecated names are allowed and marked {@code deprecated}.
 */
public final class JsonSchema {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonSchema() {}

    /**
     * The schema of a part of a configuration that is merged into a generated one (a Helm chart's
     * {@code extraConfig}): the same names, types and rules, nothing required.
     */
    public static Map<String, Object> partial(ConfigDef def) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "description",
                "merged into the generated " + def.service() + " configuration; keys as in its reference");
        out.putAll(withoutRequired(object(def, "")));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutRequired(Map<String, Object> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        schema.forEach((k, v) -> {
            if (k.equals("required") || k.equals("allOf")) {
                return;
            }
            if (v instanceof Map<?, ?> m) {
                out.put(k, withoutRequired((Map<String, Object>) m));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The schema as pretty-printed JSON ending in a newline. */
    public static String of(ConfigDef def) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "https://meshlens.dev/schemas/" + def.service() + ".json");
        root.put("title", "meshlens " + def.service() + " configuration");
        root.put("description", def.doc());
        root.putAll(object(def, ""));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A name the schema allows: a key's own, or one of its deprecated names. */
    private record Name(String name, Key<?> key, Key.Alias alias) {}

    private static List<Name> names(ConfigDef def) {
        List<Name> out = new ArrayList<>();
        for (Key<?> k : def.keys()) {
            out.add(new Name(k.name(), k, null));
            for (Key.Alias a : k.aliases()) {
                out.add(new Name(a.name(), k, a));
            }
        }
        return out;
    }

    /** The object schema of the names below {@code prefix} ("" or "a.b." or "list[]."). */
    private static Map<String, Object> object(ConfigDef def, String prefix) {
        Map<String, Object> props = new LinkedHashMap<>();
        List<List<String>> required = new ArrayList<>();
        List<String> sectionsSeen = new ArrayList<>();
        Map<Key<?>, List<String>> requiredNames = new LinkedHashMap<>();
        for (Name n : names(def)) {
            if (!n.name().startsWith(prefix)) {
                continue;
            }
            Key<?> k = n.key();
            String rest = n.name().substring(prefix.length());
            int dot = rest.indexOf('.');
            int br = rest.indexOf("[]");
            if (br >= 0 && (dot < 0 || br < dot)) {
                continue; // an item key: inside the list's own schema
            }
            if (dot >= 0) {
                String section = rest.substring(0, dot);
                if (!sectionsSeen.contains(section)) {
                    sectionsSeen.add(section);
                    Map<String, Object> sub = new LinkedHashMap<>();
                    sub.put("type", "object");
                    sub.putAll(object(def, prefix + section + "."));
                    props.put(section, sub);
                    if (n.alias() == null && (sub.containsKey("required") || sub.containsKey("allOf"))) {
                        required.add(List.of(section));
                    }
                }
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>(property(def, k));
            if (n.alias() != null) {
                p.remove("default");
                p.put("deprecated", true);
                p.put("description", "Deprecated: write " + k.name() + ".");
                if (n.alias().bareUnit() != null) {
                    p.remove("pattern");
                    p.put("type", List.of("integer", "string"));
                }
            }
            props.put(rest, p);
            if (k.isRequired()) {
                requiredNames.computeIfAbsent(k, x -> new ArrayList<>()).add(rest);
            }
            if (k.isSecret() && n.alias() == null) {
                props.put(rest + "_file", ordered("type", "string", "description", "A file holding " + rest + "."));
                props.put(
                        rest + "_env",
                        ordered("type", "string", "description", "An environment variable holding " + rest + "."));
                if (k.isRequired()) {
                    requiredNames.get(k).add(rest + "_file");
                    requiredNames.get(k).add(rest + "_env");
                }
            }
        }
        required.addAll(requiredNames.values());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "object");
        out.put("additionalProperties", false);
        out.put("properties", props);
        List<String> simple = new ArrayList<>();
        List<Object> anyOfs = new ArrayList<>();
        for (List<String> r : required) {
            if (r.size() == 1) {
                simple.add(r.get(0));
            } else {
                List<Object> alts = new ArrayList<>();
                r.forEach(n -> alts.add(ordered("required", List.of(n))));
                anyOfs.add(ordered("anyOf", alts));
            }
        }
        if (!simple.isEmpty()) {
            out.put("required", simple);
        }
        if (!anyOfs.isEmpty()) {
            out.put("allOf", anyOfs);
        }
        return out;
    }

    /**
     * A small map that keeps its order ({@code Map.of} iterates differently in every JVM, and a generated file must
     * come out the same each time).
     */
    public static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> property(ConfigDef def, Key<?> k) {
        Map<String, Object> p = new LinkedHashMap<>();
        switch (k.type()) {
            case STRING, SECRET -> p.put("type", List.of("string", "number"));
            case INT, LONG -> p.put("type", "integer");
            case BOOLEAN -> p.put("type", "boolean");
            case DURATION -> {
                p.put("type", "string");
                p.put("pattern", Durations.PATTERN);
            }
            case ENUM -> p.put("enum", k.values());
            case STRING_LIST -> {
                p.put("type", "array");
                p.put("items", ordered("type", "string"));
            }
            case CSV_LIST -> {
                p.put("type", List.of("array", "string"));
                p.put("items", ordered("type", "string"));
            }
            case PROPERTIES -> {
                p.put("type", "object");
                p.put("additionalProperties", ordered("type", List.of("string", "number", "boolean", "object")));
            }
            case LIST -> {
                p.put("type", "array");
                p.put("items", object(def, k.name() + "[]."));
            }
            case ANY -> p.putAll(k.schema());
        }
        for (Validator<?> v : k.validators()) {
            p.putAll(v.schema());
        }
        if (!k.doc().isEmpty()) {
            p.put("description", k.doc());
        }
        Object d = k.defaultValue();
        if (d instanceof Duration du) {
            p.put("default", Durations.format(du));
        } else if (d != null && !(d instanceof ClientProperties) && !(d instanceof List<?> l && l.isEmpty())) {
            p.put("default", d);
        }
        return p;
    }
}
