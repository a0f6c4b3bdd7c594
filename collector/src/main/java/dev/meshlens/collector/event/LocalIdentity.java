package dev.meshlens.collector.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The identity of the Envoy that wrote a log file, derived from the file's path. Mesh default
 * access-log formats carry no SPIFFE ID of the observing proxy, yet the node path of a container
 * log names its pod ({@code /var/log/pods/<namespace>_<pod>_<uid>/istio-proxy/0.log}); without it a
 * client shows up only as a generalised address, and a server that logged no SNI (a plaintext
 * client) as no service at all.
 *
 * @param pathPattern regex found in the path; its named groups fill the template
 * @param template SPIFFE ID template with {@code {group}} placeholders, e.g.
 *     {@code spiffe://cluster.local/ns/{namespace}/sa/{workload}}
 */
public record LocalIdentity(Pattern pathPattern, String template) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    public LocalIdentity {
        Objects.requireNonNull(pathPattern, "pathPattern");
        Objects.requireNonNull(template, "template");
    }

    /**
     * Checks that every placeholder of the template is a named group of the pattern.
     *
     * @return the problems, empty when the pair is usable
     */
    public static List<String> problems(String pathPattern, String template) {
        List<String> problems = new ArrayList<>();
        Pattern p;
        try {
            p = Pattern.compile(pathPattern);
        } catch (PatternSyntaxException e) {
            problems.add("is not a valid regular expression: " + e.getDescription());
            return problems;
        }
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!p.namedGroups().containsKey(m.group(1))) {
                problems.add("template placeholder {" + m.group(1) + "} is not a named group (?<" + m.group(1)
                        + ">...) of the path pattern");
            }
        }
        if (!template.startsWith("spiffe://")) {
            problems.add("template must be a SPIFFE ID template starting with spiffe://");
        }
        return problems;
    }

    /** The identity of the Envoy writing {@code path}, or null when the path does not match. */
    public String resolve(String path) {
        Matcher m = pathPattern.matcher(path);
        if (!m.find()) {
            return null;
        }
        Matcher ph = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (ph.find()) {
            String value = m.group(ph.group(1));
            if (value == null || value.isEmpty()) {
                return null;
            }
            ph.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        ph.appendTail(sb);
        return sb.toString();
    }
}
