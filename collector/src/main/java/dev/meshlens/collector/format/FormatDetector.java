package dev.meshlens.collector.format;

import dev.meshlens.events.mesh.AccessLogPreset;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detects what kind of line one is, for sources that mix formats and for {@code explain}: a JSON access
 * log (any object with access-log keys, read with {@link Presets#GENERIC_JSON}), an Envoy debug/warning
 * line (not an access log), or one of the text formats Envoy and Istio ship (Istio 1.9+, Istio before 1.9,
 * Envoy's default), tried in that order. One detector per thread: it owns the parse buffers.
 */
public final class FormatDetector {
    /**
     * Text formats tried in order on a line that starts with {@code [}: every profile's text presets, plain
     * Envoy's last (its format is a prefix of the others').
     */
    private static final LineFormat[] TEXT =
            Presets.all().stream().filter(f -> f instanceof TextFormat).toArray(LineFormat[]::new);
    /** The detection kind of each: the preset's name, {@code -text} appended to a bare mesh name. */
    private static final String[] TEXT_KINDS = Arrays.stream(TEXT)
            .map(f -> f.name().indexOf('-') < 0 ? f.name() + "-text" : f.name())
            .toArray(String[]::new);

    /** Every format detection can answer with, in a fixed order (metric tags, per-format counts). */
    public static final List<LineFormat> FORMATS;

    static {
        List<LineFormat> f = new ArrayList<>();
        f.add(Presets.GENERIC_JSON);
        f.addAll(Arrays.asList(TEXT));
        FORMATS = List.copyOf(f);
    }

    /** The kind of an Envoy debug/warning line. */
    public static final String ENVOY_LOG = "envoy-log";

    /**
     * What a line is.
     *
     * @param kind {@code istio-text}, {@code istio-pre-1.9}, {@code envoy-text}, {@code istio-json},
     *     {@code consul-json}, {@code envoy-json}, {@link #ENVOY_LOG}, or null when nothing fits
     * @param parsed the line parsed with the format that fits (its {@code format()}), or null when the line is
     *     not an access-log line; valid until the next call
     * @param status the parse outcome: {@code OK} for an access-log line, else the most telling misfit
     */
    public record Detection(String kind, ParsedLine parsed, ParseStatus status) {
        public boolean accessLog() {
            return parsed != null;
        }

        /** Index of the format in {@link #FORMATS}, or -1. */
        public int formatIndex() {
            return parsed == null ? -1 : FORMATS.indexOf(parsed.format());
        }
    }

    private final ParsedLine json = Presets.GENERIC_JSON.newParsedLine();
    private final ParsedLine[] text = new ParsedLine[TEXT.length];

    public FormatDetector() {
        for (int i = 0; i < TEXT.length; i++) {
            text[i] = TEXT[i].newParsedLine();
        }
    }

    /** Detects and parses {@code line} (leading and trailing blanks are ignored). */
    public Detection detect(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty()) {
            return new Detection(null, null, ParseStatus.EMPTY);
        }
        char c0 = trimmed.charAt(0);
        ParseStatus jsonStatus = null;
        if (c0 == '{') {
            jsonStatus = Presets.GENERIC_JSON.parse(trimmed, json);
            if (jsonStatus == ParseStatus.OK
                    && (!json.absent(Field.RESPONSE_CODE)
                            || !json.absent(Field.RESPONSE_FLAGS)
                            || !json.absent(Field.UPSTREAM_CLUSTER)
                            || !json.absent(Field.START_TIME))) {
                return new Detection(jsonKind(json), json, ParseStatus.OK);
            }
        }
        if (isEnvoyLogLine(trimmed)) {
            return new Detection(ENVOY_LOG, null, ParseStatus.PREFIX_MISMATCH);
        }
        ParseStatus textStatus = null;
        if (c0 == '[') {
            for (int i = 0; i < TEXT.length; i++) {
                ParseStatus st = TEXT[i].parse(trimmed, text[i]);
                if (st == ParseStatus.OK) {
                    return new Detection(TEXT_KINDS[i], text[i], ParseStatus.OK);
                }
                if (textStatus == null) {
                    textStatus = st;
                }
            }
        }
        // JSON that is not an access log, or text that fits no format: say why the closest format refused it
        ParseStatus why = jsonStatus != null && jsonStatus != ParseStatus.OK
                ? jsonStatus
                : textStatus != null ? textStatus : ParseStatus.PREFIX_MISMATCH;
        return new Detection(null, null, why);
    }

    /**
     * Whose JSON a line is, by the cluster and SNI spellings each mesh uses: the JSON preset of the profile that
     * recognises its cluster (else its SNI), or plain Envoy's.
     */
    static String jsonKind(ParsedLine p) {
        MeshProfile m = MeshProfiles.profileOfName(p.get(Field.UPSTREAM_CLUSTER));
        if (m == null || jsonPreset(m) == null) {
            m = MeshProfiles.profileOfName(p.get(Field.REQUESTED_SERVER_NAME));
        }
        AccessLogPreset json = m == null ? null : jsonPreset(m);
        return json != null ? json.name() : Presets.GENERIC_JSON.name();
    }

    private static AccessLogPreset jsonPreset(MeshProfile m) {
        return m.presets().stream().filter(AccessLogPreset::isJson).findFirst().orElse(null);
    }

    /**
     * Envoy's own log line: {@code [2023-09-14 12:30:34.318][1][debug][router] …} or Istio's proxy spelling
     * {@code 2023-08-21T07:10:31.123456Z\twarning\tenvoy connection\t…}.
     */
    public static boolean isEnvoyLogLine(String s) {
        if (s.startsWith("[20") || s.startsWith("[19")) {
            int close = s.indexOf("][");
            return close > 0
                    && close < 40
                    && (s.contains("][debug]")
                            || s.contains("][warning]")
                            || s.contains("][info]")
                            || s.contains("][error]")
                            || s.contains("][trace]")
                            || s.contains("][critical]")
                            || s.contains("][warn]"));
        }
        if (s.length() > 20 && Character.isDigit(s.charAt(0)) && s.charAt(4) == '-') {
            int tab = s.indexOf('\t');
            if (tab > 0 && tab < 40) {
                String rest = s.substring(tab + 1);
                return rest.startsWith("debug")
                        || rest.startsWith("warn")
                        || rest.startsWith("info")
                        || rest.startsWith("error")
                        || rest.startsWith("trace")
                        || rest.startsWith("critical");
            }
        }
        return false;
    }
}
