package dev.meshlens.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one duration syntax of every meshlens configuration: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}. */
public final class Durations {
    /** What an error says a duration looks like. */
    public static final String EXPECTED = "a duration such as 500ms, 30s, 15m, 1h or 7d";
    /** The same syntax as a JSON Schema pattern (ISO-8601 such as PT30S is accepted too). */
    public static final String PATTERN = "^([0-9]+ *(ms|s|m|h|d)|[Pp][0-9A-Za-z.]+)$";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /** Parses the syntax above; {@link IllegalArgumentException} naming {@link #EXPECTED} otherwise. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("expected " + EXPECTED);
            }
        }
        Matcher m = SIMPLE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + EXPECTED);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The shortest spelling of {@code d} in the same syntax (docs and {@code describe()}). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
