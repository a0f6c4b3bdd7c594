package dev.meshlens.launcher.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.JsonSchema;
import java.io.IOException;
import java.util.Map;

/**
 * The Helm chart's values.schema.json agrees with the services' tables: each component's {@code extraConfig}
 * (merged into its generated config file) is described by the partial schema of that service. Written in the
 * file's own layout (two-space indent, {@code "key": value}), so a regeneration changes only what changed.
 */
final class ChartValuesSchema {
    static final String PATH = "deploy/helm/meshlens/values.schema.json";
    /** Chart component → the service whose configuration its extraConfig extends. */
    static final Map<String, String> COMPONENTS = Map.of(
            "collector", "collector", "redactor", "redactor", "queryApi", "query-api", "correlator", "correlator");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartValuesSchema() {}

    static String regenerate(String current) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(current);
        for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
            ConfigDef def = ConfigReference.service(c.getValue()).def();
            ObjectNode props =
                    (ObjectNode) root.path("properties").path(c.getKey()).path("properties");
            if (props.isMissingNode() || !props.has("extraConfig")) {
                throw new IllegalArgumentException(
                        PATH + " has no properties." + c.getKey() + ".properties.extraConfig");
            }
            props.set("extraConfig", JSON.valueToTree(JsonSchema.partial(def)));
        }
        return JSON.writer(new Layout()).writeValueAsString(root) + "\n";
    }

    /** Two-space indent everywhere, {@code "key": value}, {@code {}} and {@code []} when empty. */
    private static final class Layout extends DefaultPrettyPrinter {
        Layout() {
            super(DefaultPrettyPrinter.DEFAULT_ROOT_VALUE_SEPARATOR);
            DefaultIndenter two = new DefaultIndenter("  ", "\n");
            indentObjectsWith(two);
            indentArraysWith(two);
            _separators = Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER);
            _objectFieldValueSeparatorWithSpaces = ": ";
        }

        Layout(Layout base) {
            super(base);
            _objectFieldValueSeparatorWithSpaces = ": ";
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new Layout(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries == 0) {
                g.writeRaw('}');
                return;
            }
            super.writeEndObject(g, nrOfEntries);
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues == 0) {
                g.writeRaw(']');
                return;
            }
            super.writeEndArray(g, nrOfValues);
        }
    }
}
