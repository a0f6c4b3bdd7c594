package dev.meshlens.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration reference of a service as a Markdown table, generated from its {@link ConfigDef}, and the
 * markers between which it stands in a page of {@code docs/} (the rest of the page is written by hand).
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static String begin(String service) {
        return "<!-- BEGIN GENERATED config-reference " + service + " (./meshlens config-schema --write-docs) -->";
    }

    public static String end(String service) {
        return "<!-- END GENERATED config-reference " + service + " -->";
    }

    /** The table, one row per key in table order. */
    public static String markdown(ConfigDef def) {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | description |\n|---|---|---|---|\n");
        for (Key<?> k : def.keys()) {
            sb.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(type(k))
                    .append(" | ")
                    .append(dflt(k))
                    .append(" | ")
                    .append(cell(description(k)))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** {@code page} with the text between the service's markers replaced by {@link #markdown}. */
    public static String replaceSection(String page, ConfigDef def) {
        Pattern p = Pattern.compile(
                Pattern.quote(begin(def.service())) + ".*?" + Pattern.quote(end(def.service())), Pattern.DOTALL);
        Matcher m = p.matcher(page);
        if (!m.find()) {
            throw new IllegalArgumentException("the page has no line " + begin(def.service()) + " ... "
                    + end(def.service()) + "; add both where the key table belongs");
        }
        return page.substring(0, m.start()) + begin(def.service()) + "\n" + markdown(def) + end(def.service())
                + page.substring(m.end());
    }

    private static String type(Key<?> k) {
        return switch (k.type()) {
            case ENUM -> "one of " + String.join(", ", k.values());
            case STRING_LIST -> "list of strings";
            case CSV_LIST -> "list of strings or comma-separated";
            case PROPERTIES -> "client properties";
            case LIST -> "list";
            case ANY -> "see description";
            default -> k.type().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String dflt(Key<?> k) {
        if (k.isRequired()) {
            return "required";
        }
        if (k.defaultDoc() != null) {
            return "`" + cell(k.defaultDoc()) + "`";
        }
        Object d = k.defaultValue();
        if (d == null || d instanceof List<?> l && l.isEmpty() || d instanceof ClientProperties cp && cp.isEmpty()) {
            return "";
        }
        return "`" + cell(d instanceof Duration du ? Durations.format(du) : String.valueOf(d)) + "`";
    }

    private static String description(Key<?> k) {
        List<String> parts = new ArrayList<>();
        if (!k.doc().isEmpty()) {
            parts.add(k.doc());
        }
        for (Validator<?> v : k.validators()) {
            if (v.describe() != null) {
                parts.add("(" + v.describe() + ")");
            }
        }
        if (k.isSecret()) {
            parts.add("Secret: printed as [hidden]; or `" + k.leaf() + "_file` (a file holding it) or `" + k.leaf()
                    + "_env` (an environment variable holding it).");
        }
        if (k.type() == Type.PROPERTIES) {
            parts.add(
                    "Properties that can hold a password, key or token are secrets (printed as [hidden]) and may be given"
                            + " as `NAME_file` or `NAME_env`.");
        }
        if (!k.aliases().isEmpty()) {
            List<String> a = new ArrayList<>();
            for (Key.Alias al : k.aliases()) {
                a.add("`" + al.name() + "`"
                        + (al.bareUnit() == null
                                ? ""
                                : " (a plain number: "
                                        + al.bareUnit().toString().toLowerCase(Locale.ROOT) + ")"));
            }
            parts.add("Deprecated name" + (a.size() > 1 ? "s" : "") + ": " + String.join(", ", a) + ".");
        }
        return String.join(" ", parts);
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
