package dev.meshlens.events.mesh;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access-log format a mesh writes by default (or documents), under the preset name users give the
 * collector. Exactly one of {@code text} (an Envoy format string) and {@code json} (key to operator) is set.
 * The collector compiles it; this record only holds the words, so {@code events} stays free of the parser.
 *
 * @param name the preset name, e.g. {@code istio-json}
 * @param aliases other names accepted for it
 * @param text the text format string, or null
 * @param json the JSON format (ordered), or null
 * @param doc what writes it, for the configuration reference
 */
public record AccessLogPreset(String name, List<String> aliases, String text, Map<String, String> json, String doc) {
    public AccessLogPreset {
        Objects.requireNonNull(name, "name");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        if ((text == null) == (json == null)) {
            throw new IllegalArgumentException("preset " + name + ": exactly one of text and json");
        }
        doc = doc == null ? "" : doc;
    }

    public static AccessLogPreset text(String name, List<String> aliases, String format, String doc) {
        return new AccessLogPreset(name, aliases, format, null, doc);
    }

    /** A JSON preset; the map's iteration order is kept (it is the key order users see). */
    public static AccessLogPreset json(String name, List<String> aliases, Map<String, String> format, String doc) {
        return new AccessLogPreset(name, aliases, null, format, doc);
    }

    public boolean isJson() {
        return json != null;
    }

    /** True when {@code n} (already trimmed and lower-cased) names this preset. */
    public boolean answersTo(String n) {
        return name.equals(n) || aliases.contains(n);
    }
}
