package dev.meshlens.collector.config;

import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.JsonFormat;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.config.Environment;
import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's validated configuration: the YAML file checked against {@link CollectorKeys#DEF} (every problem
 * at once, with line and fix; a {@link dev.meshlens.config.ConfigException} otherwise), read with its typed keys.
 */
public final class CollectorConfig {
    /** The word that turns on per-line detection instead of a format. */
    public static final String AUTO = "auto";

    private final Settings settings;

    private CollectorConfig(Settings settings) {
        this.settings = settings;
    }

    public static CollectorConfig load(Path file) {
        return new CollectorConfig(CollectorKeys.DEF.load(file));
    }

    public static CollectorConfig parse(String yaml, String source) {
        return new CollectorConfig(CollectorKeys.DEF.parse(yaml, source));
    }

    public static CollectorConfig parse(String yaml, String source, Environment env) {
        return new CollectorConfig(CollectorKeys.DEF.parse(yaml, source, env));
    }

    public <T> T get(Key<T> key) {
        return settings.get(key);
    }

    public Settings settings() {
        return settings;
    }

    public String source() {
        return settings.source();
    }

    /** Deprecated spellings that were accepted (logged at start), each naming the new key. */
    public List<Problem> warnings() {
        return settings.warnings();
    }

    public String topic() {
        String t = get(CollectorKeys.TOPIC);
        return t != null ? t : "meshlens.events." + get(CollectorKeys.MESH_ID);
    }

    /** The resolved configuration, sorted, secrets as {@code [hidden]} (logged at start, printed by --check). */
    public Map<String, String> describe() {
        return settings.describe();
    }

    /** What is wrong with the shape of a format value, or null. */
    static String formatShapeProblem(Object v) {
        return v instanceof String
                        || v instanceof Map
                        || v instanceof List<?> l
                                && !l.isEmpty()
                                && l.stream().allMatch(x -> x instanceof String || x instanceof Map)
                ? null
                : "expected a preset name, a format string, a mapping of JSON key to operator, auto, or a non-empty"
                        + " list of presets, format strings and mappings (tried in order), e.g. [istio, {start_time: \"%START_TIME%\","
                        + " downstream_transport_failure_reason: \"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\"}]";
    }

    /** A format value as the formats a source reads: one format, a list tried in order, or {@code auto}. */
    public static FormatChain toFormats(Object v) {
        if (AUTO.equals(v)) {
            return FormatChain.auto();
        }
        if (v instanceof List<?> l) {
            List<LineFormat> formats = new ArrayList<>(l.size());
            for (Object item : l) {
                formats.add(toFormat(item));
            }
            return FormatChain.of(formats);
        }
        return FormatChain.of(toFormat(v));
    }

    /** One format value: preset name or format string, or a JSON key → operator map. */
    public static LineFormat toFormat(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, String> f = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                f.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : String.valueOf(e.getValue()));
            }
            return JsonFormat.compile("custom-json", f);
        }
        return Presets.resolve(String.valueOf(v));
    }
}
