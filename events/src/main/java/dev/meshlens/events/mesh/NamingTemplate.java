package dev.meshlens.events.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A SPIFFE naming template as a mesh documents it, e.g.
 * {@code spiffe://<trust-domain>/[ap/<partition>/]ns/<namespace>/dc/<datacenter>/svc/<service>}: literal path
 * segments, {@code <part>} segments that capture one segment each, and {@code [...]} groups that may be absent.
 * Compiled once from its text, so the words a finding prints and the parser that reads IDs are the same string.
 *
 */
public final class NamingTemplate {

    static final String PREFIX = "spiffe://<trust-domain>";

    private sealed interface Element permits Literal, Part, Optional {}

    private record Literal(String text) implements Element {}

    private record Part(String name) implements Element {}

    private record Optional(List<Element> elements) implements Element {}

    private final String name;
    private final String pattern;
    private final String workloadPart;
    private final UnaryOperator<String> workloadName;
    private final Map<String, String> defaults;
    private final List<Element> elements;

    /**
     * @param name the template's name, as findings and the diagnose call report it ({@code presented_template})
     * @param pattern the documented form, starting with {@code spiffe://<trust-domain>}
     * @param workloadPart which part names the workload (service or service account)
     * @param workloadName reduces the captured workload part to the bare service name (null: spelled plainly)
     * @param defaults values {@link #format} uses for parts the caller does not know (e.g. Consul's datacenter)
     * @throws IllegalArgumentException when the pattern does not compile or lacks the workload part
     */
    public NamingTemplate(
            String name,
            String pattern,
            String workloadPart,
            UnaryOperator<String> workloadName,
            Map<String, String> defaults) {
        this.name = Objects.requireNonNull(name, "name");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.workloadPart = Objects.requireNonNull(workloadPart, "workloadPart");
        this.workloadName = workloadName == null ? UnaryOperator.identity() : workloadName;
        this.defaults = defaults == null ? Map.of() : Map.copyOf(defaults);
        this.elements = compile(pattern);
        if (!partNames(elements).contains(workloadPart)) {
            throw new IllegalArgumentException(
                    "naming template " + name + ": workload part <" + workloadPart + "> is not in " + pattern);
        }
    }

    /** The template's name ({@code presented_template} of findings). */
    public String name() {
        return name;
    }

    /** The documented form, e.g. {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}. */
    public String pattern() {
        return pattern;
    }

    /** The part that names the workload. */
    public String workloadPart() {
        return workloadPart;
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** A template whose workload part is spelled plainly and whose parts have no defaults. */
    public static NamingTemplate of(String name, String pattern, String workloadPart) {
        return new NamingTemplate(name, pattern, workloadPart, null, null);
    }

    /**
     * The parts of an ID's path segments, or null when the path does not follow this template.
     *
     * @param segments the path segments, without the trust domain
     */
    public Map<String, String> match(List<String> segments) {
        Map<String, String> parts = new LinkedHashMap<>();
        return match(elements, 0, segments, 0, parts) ? Collections.unmodifiableMap(parts) : null;
    }

    /** The workload the parts name (reduced to the bare service), or null. */
    public String workload(Map<String, String> parts) {
        String w = parts.get(workloadPart);
        return w == null ? null : workloadName.apply(w);
    }

    /**
     * The ID this template gives the parts; a part the caller leaves out takes its default, an optional group
     * whose parts are all unknown is left out.
     *
     * @throws IllegalArgumentException naming the part that has no value
     */
    public String format(String trustDomain, Map<String, String> parts) {
        StringBuilder sb = new StringBuilder("spiffe://").append(trustDomain);
        append(elements, parts, sb, false);
        return sb.toString();
    }

    /**
     * The ID a workload of this template gets: the workload part set to {@code workload}, {@code <namespace>}
     * (when the template has one) to {@code namespace}, the other parts to their defaults.
     */
    public String format(String trustDomain, String namespace, String workload) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put(workloadPart, workload);
        if (namespace != null) {
            parts.putIfAbsent("namespace", namespace);
        }
        return format(trustDomain, parts);
    }

    private boolean append(List<Element> els, Map<String, String> parts, StringBuilder sb, boolean optional) {
        for (Element e : els) {
            switch (e) {
                case Literal l -> sb.append('/').append(l.text());
                case Part p -> {
                    String v = parts.getOrDefault(p.name(), defaults.get(p.name()));
                    if (v == null) {
                        if (optional) {
                            return false;
                        }
                        throw new IllegalArgumentException(
                                "naming template " + name + " needs a value for <" + p.name() + ">");
                    }
                    sb.append('/').append(v);
                }
                case Optional o -> {
                    StringBuilder inner = new StringBuilder();
                    if (append(o.elements(), parts, inner, true)) {
                        sb.append(inner);
                    }
                }
            }
        }
        return true;
    }

    private static boolean match(List<Element> els, int i, List<String> segs, int j, Map<String, String> parts) {
        if (i == els.size()) {
            return j == segs.size();
        }
        Element e = els.get(i);
        switch (e) {
            case Literal l -> {
                return j < segs.size() && segs.get(j).equals(l.text()) && match(els, i + 1, segs, j + 1, parts);
            }
            case Part p -> {
                if (j >= segs.size()) {
                    return false;
                }
                parts.put(p.name(), segs.get(j));
                if (match(els, i + 1, segs, j + 1, parts)) {
                    return true;
                }
                parts.remove(p.name());
                return false;
            }
            case Optional o -> {
                List<Element> with = new ArrayList<>(o.elements());
                with.addAll(els.subList(i + 1, els.size()));
                Map<String, String> tried = new LinkedHashMap<>(parts);
                if (match(with, 0, segs, j, tried)) {
                    parts.putAll(tried);
                    return true;
                }
                return match(els, i + 1, segs, j, parts);
            }
        }
    }

    private static List<String> partNames(List<Element> els) {
        List<String> out = new ArrayList<>();
        for (Element e : els) {
            switch (e) {
                case Part p -> out.add(p.name());
                case Optional o -> out.addAll(partNames(o.elements()));
                case Literal l -> {}
            }
        }
        return out;
    }

    private static List<Element> compile(String pattern) {
        if (!pattern.startsWith(PREFIX)) {
            throw new IllegalArgumentException("naming template '" + pattern + "' must start with " + PREFIX);
        }
        String path = pattern.substring(PREFIX.length());
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("naming template '" + pattern + "' has no path after the trust domain");
        }
        List<Element> top = new ArrayList<>();
        List<Element> current = top;
        boolean inGroup = false;
        for (String raw : path.substring(1).split("/", -1)) {
            String seg = raw;
            if (seg.startsWith("]")) {
                if (!inGroup) {
                    throw new IllegalArgumentException("naming template '" + pattern + "': ']' without '['");
                }
                top.add(new Optional(List.copyOf(current)));
                current = top;
                inGroup = false;
                seg = seg.substring(1);
                if (seg.isEmpty()) {
                    continue;
                }
            }
            if (seg.startsWith("[")) {
                if (inGroup) {
                    throw new IllegalArgumentException("naming template '" + pattern + "': groups do not nest");
                }
                inGroup = true;
                current = new ArrayList<>();
                seg = seg.substring(1);
            }
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("naming template '" + pattern + "' has an empty segment");
            }
            current.add(
                    seg.startsWith("<") && seg.endsWith(">")
                            ? new Part(seg.substring(1, seg.length() - 1))
                            : new Literal(seg));
        }
        if (inGroup) {
            throw new IllegalArgumentException("naming template '" + pattern + "': '[' without ']'");
        }
        return List.copyOf(top);
    }
}
