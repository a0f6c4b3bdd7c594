package dev.meshlens.telemetry.log;

import java.util.Locale;
import java.util.Map;

/**
 * How a meshlens process writes its logs: {@code text} (one line per record, for people; the default) or
 * {@code json} (one JSON object per line with {@code trace_id}/{@code span_id}, for log pipelines). Chosen
 * by {@code MESHLENS_LOG_FORMAT} or the system property {@code meshlens.log.format} (the property wins).
 * It is read before the service's configuration file, so the configuration's own errors are logged in
 * the chosen format too.
 */
public enum LogFormat {
    TEXT,
    JSON;

    public static final String PROPERTY = "meshlens.log.format";
    public static final String ENV = "MESHLENS_LOG_FORMAT";

    /** The format the property or environment asks for; text when neither is set. */
    public static LogFormat configured(Map<String, String> env) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return parse(property, "system property " + PROPERTY);
        }
        String value = env.get(ENV);
        if (value != null && !value.isBlank()) {
            return parse(value, "environment variable " + ENV);
        }
        return TEXT;
    }

    /** @throws IllegalArgumentException naming {@code source} and the accepted values */
    public static LogFormat parse(String value, String source) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default ->
                throw new IllegalArgumentException("Invalid value " + value + " for " + source
                        + ": use json (one JSON object per line) or text (the default)");
        };
    }

    /** The name the logging configuration selects its appender by. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
