package dev.meshlens.launcher.config;

import dev.meshlens.collector.config.CollectorKeys;
import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.ConfigDocs;
import dev.meshlens.config.JsonSchema;
import dev.meshlens.correlator.CorrelatorKeys;
import dev.meshlens.query.config.QueryApiKeys;
import dev.meshlens.redactor.stage.StageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every service's configuration table and where its generated reference goes: a section of a page in
 * {@code docs/} (between markers), a JSON Schema in {@code docs/schemas/} (what deploy/check.sh validates the
 * chart's rendered configs against) and the {@code extraConfig} parts of the chart's values.schema.json. {@link #regenerate} writes them; a test checks that doing so changes
 * nothing.
 */
public final class ConfigReference {
    /** One service: its table and the docs page holding its key reference. */
    public record Service(ConfigDef def, String page) {
        public String schemaPath() {
            return "docs/schemas/" + def.service() + ".schema.json";
        }
    }

    public static final List<Service> SERVICES = List.of(
            new Service(CollectorKeys.DEF, "docs/collector.md"),
            new Service(StageConfig.DEF, "docs/redaction.md"),
            new Service(QueryApiKeys.DEF, "docs/query-api.md"),
            new Service(CorrelatorKeys.DEF, "docs/correlation.md"));

    private ConfigReference() {}

    public static Service service(String name) {
        for (Service s : SERVICES) {
            if (s.def().service().equals(name)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> names() {
        return SERVICES.stream().map(s -> s.def().service()).toList();
    }

    /**
     * The generated files as they should be under {@code root}: repository-relative path → content.
     *
     * @throws IOException when a docs page cannot be read
     */
    public static Map<String, String> expected(Path root) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Service s : SERVICES) {
            String page = Files.readString(root.resolve(s.page()));
            out.put(s.page(), ConfigDocs.replaceSection(page, s.def()));
            out.put(s.schemaPath(), JsonSchema.of(s.def()));
        }
        out.put(
                ChartValuesSchema.PATH,
                ChartValuesSchema.regenerate(Files.readString(root.resolve(ChartValuesSchema.PATH))));
        return out;
    }

    /** The generated files that differ from what is on disk (all of them are rewritten when {@code write}). */
    public static List<String> regenerate(Path root, boolean write) throws IOException {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : expected(root).entrySet()) {
            Path p = root.resolve(e.getKey());
            String now = Files.exists(p) ? Files.readString(p) : null;
            if (!e.getValue().equals(now)) {
                changed.add(e.getKey());
                if (write) {
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, e.getValue());
                }
            }
        }
        return changed;
    }
}
