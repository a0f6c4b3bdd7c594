package dev.meshlens.collector.format;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.mesh.AccessLogPreset;
import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.EnvoyProfile;
import dev.meshlens.events.mesh.IstioProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in formats: the access-log presets of every mesh profile ({@link MeshProfiles#presets()}), compiled once.
 * The profiles hold the format strings; this class only compiles them, plus the {@code %COMMAND%} names a mesh's
 * control plane replaces before Envoy writes (Kuma's {@code %KUMA_MESH%}), read as opaque text in any format.
 */
public final class Presets {
    /** {@link Commands#CONTROL_PLANE}: read in presets and in formats users paste. */
    public static final Commands.CommandParser CONTROL_PLANE_COMMANDS = Commands.CONTROL_PLANE;

    private static final Map<String, LineFormat> COMPILED = new LinkedHashMap<>();

    static {
        for (AccessLogPreset p : MeshProfiles.presets()) {
            COMPILED.put(p.name(), compile(p));
        }
    }

    // Handles of the presets older callers name; new code resolves presets by name.
    public static final String ISTIO_TEXT_FORMAT = IstioProfile.TEXT_FORMAT;
    public static final String ISTIO_PRE_1_9_TEXT_FORMAT = IstioProfile.PRE_1_9_TEXT_FORMAT;
    public static final String ENVOY_DEFAULT_FORMAT = EnvoyProfile.DEFAULT_FORMAT;
    public static final Map<String, String> ISTIO_JSON_FORMAT = IstioProfile.JSON_FORMAT;
    public static final Map<String, String> CONSUL_JSON_FORMAT = ConsulProfile.JSON_FORMAT;
    public static final Map<String, String> GENERIC_JSON_FORMAT = EnvoyProfile.GENERIC_JSON_FORMAT;
    public static final TextFormat ISTIO = (TextFormat) byName(IstioProfile.TEXT.name());
    public static final TextFormat ISTIO_PRE_1_9 = (TextFormat) byName(IstioProfile.PRE_1_9.name());
    public static final TextFormat ENVOY = (TextFormat) byName(EnvoyProfile.TEXT.name());
    public static final JsonFormat ISTIO_JSON = (JsonFormat) byName(IstioProfile.JSON.name());
    public static final JsonFormat CONSUL_JSON = (JsonFormat) byName(ConsulProfile.JSON.name());
    public static final JsonFormat GENERIC_JSON = (JsonFormat) byName(EnvoyProfile.JSON.name());

    /** Preset names accepted by {@link #resolve(String)}, every profile's, in registry order. */
    public static final List<String> NAMES =
            MeshProfiles.presets().stream().map(AccessLogPreset::name).toList();

    private Presets() {}

    private static LineFormat compile(AccessLogPreset p) {
        return p.isJson()
                ? JsonFormat.compile(p.name(), p.json())
                : TextFormat.compile(p.name(), p.text(), List.of(CONTROL_PLANE_COMMANDS));
    }

    /** Every compiled preset, in registry order. */
    public static List<LineFormat> all() {
        return List.copyOf(COMPILED.values());
    }

    /** A preset by name or alias (any case), or null. */
    public static LineFormat byName(String name) {
        AccessLogPreset p = MeshProfiles.preset(name);
        return p == null ? null : COMPILED.get(p.name());
    }

    /**
     * A preset name, a JSON object of key to operator, or a text format string.
     *
     * @throws FormatException when the format does not compile
     */
    public static LineFormat resolve(String presetOrFormat) {
        LineFormat p = byName(presetOrFormat);
        if (p != null) {
            return p;
        }
        String s = presetOrFormat.trim();
        if (s.startsWith("{")) {
            try {
                Map<String, String> m =
                        new ObjectMapper().readValue(s, new TypeReference<LinkedHashMap<String, String>>() {});
                return JsonFormat.compile("custom-json", m);
            } catch (FormatException e) {
                throw e;
            } catch (Exception e) {
                throw new FormatException(
                        "JSON format is not an object of key to operator string: " + e.getMessage(), null, -1);
            }
        }
        if (s.indexOf('%') < 0) {
            throw new FormatException(
                    "'" + presetOrFormat + "' is neither a preset (" + String.join(", ", NAMES)
                            + ") nor a format string with %COMMAND% operators",
                    null,
                    -1);
        }
        return TextFormat.compile("custom", presetOrFormat, List.of(CONTROL_PLANE_COMMANDS));
    }
}
