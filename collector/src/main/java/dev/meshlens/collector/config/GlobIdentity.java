package dev.meshlens.collector.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named parts of a file glob: {@code /var/log/pods/*_{service}-*\/istio-proxy/*.log} matches like {@code *} in
 * place of {@code {service}} and names the Envoy behind each file, so a config needs no regular expression with
 * {@code \Q…\E} to say whose log a file is. A part is one word in braces; {@code {service:backend,catalog}} limits it
 * to those values ({@code {a,b}} without a name stays glob alternation).
 */
public final class GlobIdentity {
    private static final Pattern PART = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)(?::([^{}/:]+))?}");

    private GlobIdentity() {}

    /** The glob as the file system matches it: a named part becomes {@code *}, or {@code {a,b}} when limited. */
    public static String plain(String glob) {
        return PART.matcher(glob)
                .replaceAll(m -> m.group(2) == null ? "*" : Matcher.quoteReplacement("{" + m.group(2) + "}"));
    }

    public static List<String> plain(List<String> globs) {
        return globs.stream().map(GlobIdentity::plain).toList();
    }

    /** The part names of the first glob that has any, in order; empty when none has. */
    public static List<String> parts(List<String> globs) {
        for (String g : globs) {
            List<String> names = new ArrayList<>();
            Matcher m = PART.matcher(g);
            while (m.find()) {
                names.add(m.group(1));
            }
            if (!names.isEmpty()) {
                return names;
            }
        }
        return List.of();
    }

    /**
     * A regex with one named group per part, found at the end of a file's path (the first glob with parts decides),
     * or null when no glob has parts.
     */
    public static String regex(List<String> globs) {
        for (String g : globs) {
            if (PART.matcher(g).find()) {
                return regex(g);
            }
        }
        return null;
    }

    static String regex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            Matcher m = PART.matcher(glob).region(i, glob.length());
            if (c == '{' && m.lookingAt()) {
                re.append("(?<").append(m.group(1)).append(">");
                if (m.group(2) == null) {
                    re.append("[^/]+?");
                } else {
                    List<String> values = new ArrayList<>();
                    for (String v : m.group(2).split(",")) {
                        values.add(Pattern.quote(v.trim()));
                    }
                    re.append(String.join("|", values));
                }
                re.append(')');
                i = m.end() - 1;
            } else if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                if ("\\.[]{}()+-^$|".indexOf(c) >= 0) {
                    re.append('\\');
                }
                re.append(c);
            }
        }
        String body = re.toString();
        // An absolute glob is anchored at its start; a relative one is found anywhere before its end.
        return (glob.startsWith("/") ? "^" : "") + body + "$";
    }
}
