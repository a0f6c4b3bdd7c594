package dev.meshlens.redactor;

import java.util.Locale;

/** Target of the {@code generalise} action. */
public enum Generalisation {
    /** An IP address to its network ({@code /24} and {@code /64} by default); ports are removed. */
    IP,
    /** A path to its template ({@code /api/users/{id}}); a query string to its parameter names. */
    PATH,
    /** Only the query string: its parameter names, the path itself unchanged. */
    QUERY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Generalisation parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "ip", "network" -> IP;
            case "path", "path_template", "template" -> PATH;
            case "query", "query_names" -> QUERY;
            default -> null;
        };
    }
}
