package dev.meshlens.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One service's table of configuration keys, in the spirit of Kafka's {@code ConfigDef}: the only place its keys
 * are declared. {@link #parse} checks a YAML file against it and reports every problem at once, each with its line,
 * the key and the fix; rules that span several keys are {@link #check cross-checks}.
 * The reference in {@code docs/} ({@link ConfigDocs}) and the JSON Schema ({@link JsonSchema}) are generated from it.
 */
public final class ConfigDef {
    /** A rule over several keys: adds its problems to the list. */
    public interface CrossCheck extends BiConsumer<Settings, List<Problem>> {}

    private static final String FILE = "_file";
    private static final String ENV = "_env";

    private final String service;
    private final String doc;
    private final List<Key<?>> keys;
    private final List<CrossCheck> checks;
    private final Map<String, Key<?>> byName = new LinkedHashMap<>();
    private final Map<String, Map.Entry<Key<?>, Key.Alias>> byAlias = new LinkedHashMap<>();
    private final Set<String> sections = new LinkedHashSet<>();

    private ConfigDef(String service, String doc, List<Key<?>> keys, List<CrossCheck> checks) {
        this.service = service;
        this.doc = doc;
        this.keys = List.copyOf(keys);
        this.checks = List.copyOf(checks);
        for (Key<?> k : this.keys) {
            if (byName.put(k.name(), k) != null) {
                throw new IllegalArgumentException(
                        "key " + k.name() + " is declared twice in the " + service + " table");
            }
            sectionsOf(k.name());
            for (Key.Alias a : k.aliases()) {
                byAlias.put(a.name(), Map.entry(k, a));
                sectionsOf(a.name());
            }
        }
    }

    private void sectionsOf(String name) {
        for (int i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1)) {
            String s = name.substring(0, i);
            if (!s.endsWith("[]")) {
                sections.add(s);
            }
        }
    }

    /** A table for {@code service} (the name of its docs section and schema file). */
    public static ConfigDef of(String service, String doc, List<Key<?>> keys) {
        return new ConfigDef(service, doc, keys, List.of());
    }

    /** The same table with one more cross-key rule. */
    public ConfigDef check(CrossCheck check) {
        List<CrossCheck> c = new ArrayList<>(checks);
        c.add(check);
        return new ConfigDef(service, doc, keys, c);
    }

    /**
     * The same table where every snake_case key also answers, deprecated, to its kebab-case spelling (the style this
     * service used before; accepted for one release with a warning naming the new key). Keys that already name their
     * deprecated spelling keep just that one.
     */
    public ConfigDef withKebabAliases() {
        List<Key<?>> out = new ArrayList<>();
        for (Key<?> k : keys) {
            String kebab = k.name().replace('_', '-');
            out.add(kebab.equals(k.name()) || !k.aliases().isEmpty() ? k : k.alias(kebab));
        }
        return new ConfigDef(service, doc, out, checks);
    }

    public String service() {
        return service;
    }

    public String doc() {
        return doc;
    }

    public List<Key<?>> keys() {
        return keys;
    }

    public Key<?> key(String name) {
        return byName.get(name);
    }

    /**
     * Settings with nothing set (every key reads as its default; required keys are not checked), for settings built
     * in code with {@link Settings#with}.
     */
    public Settings empty(String source) {
        return new Settings(this, "", "", Map.of(), Map.of(), List.of(), source);
    }

    /** Reads and checks a file. */
    public Settings load(Path file) {
        return load(file, Environment.system());
    }

    public Settings load(Path file, Environment env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(
                    file.toString(),
                    List.of(new Problem(
                            0,
                            "",
                            "cannot read the configuration file: " + e.getMessage(),
                            "pass an existing, readable YAML file with --config")));
        }
        return parse(text, file.toString(), env);
    }

    public Settings parse(String yaml, String source) {
        return parse(yaml, source, Environment.system());
    }

    /** Checks YAML text; every problem at once in one {@link ConfigException}. */
    public Settings parse(String yaml, String source, Environment env) {
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Node root;
        try {
            root = new YamlReader(problems).read(yaml);
        } catch (Problem.Fatal f) {
            throw new ConfigException(source, List.of(f.problem));
        }
        Walk w = new Walk(problems, warnings, env, source);
        Settings s;
        if (root == null || root instanceof Node.Scalar sc && sc.value() == null) {
            s = w.settings("", "", new Node.Mapping(Map.of(), Map.of(), 0));
        } else if (root instanceof Node.Mapping m) {
            s = w.settings("", "", m);
        } else {
            throw new ConfigException(
                    source,
                    List.of(new Problem(
                            root.line(),
                            "",
                            "the file must hold a YAML mapping of" + " keys",
                            "start with the top-level sections, e.g. " + topSections())));
        }
        // Rules over several keys run even when single keys failed (those read as their defaults), so that one run
        // reports everything.
        for (CrossCheck c : checks) {
            c.accept(s, problems);
        }
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> a.line() == 0 || b.line() == 0
                    ? Integer.compare(b.line() == 0 ? 0 : 1, a.line() == 0 ? 0 : 1)
                    : Integer.compare(a.line(), b.line()));
            throw new ConfigException(source, problems);
        }
        return s;
    }

    private String topSections() {
        Set<String> top = new LinkedHashSet<>();
        keys.forEach(k -> top.add(k.name().split("\\.")[0] + ":"));
        return String.join(" ", top);
    }

    /** The keys one level below {@code prefix} (what an unknown key is compared against). */
    private List<String> siblings(String prefix) {
        Set<String> out = new LinkedHashSet<>();
        for (Key<?> k : keys) {
            if (k.name().startsWith(prefix)) {
                String rest = k.name().substring(prefix.length());
                int dot = rest.indexOf('.');
                out.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        out.removeIf(s -> s.endsWith("[]"));
        return new ArrayList<>(out);
    }

    /** One pass over a document. */
    private final class Walk {
        private final List<Problem> problems;
        private final List<Problem> warnings;
        private final Environment env;
        private final String source;

        Walk(List<Problem> problems, List<Problem> warnings, Environment env, String source) {
            this.problems = problems;
            this.warnings = warnings;
            this.env = env;
            this.source = source;
        }

        Settings settings(String prefix, String shownPrefix, Node.Mapping m) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            mapping(prefix, shownPrefix, m, values, lines);
            for (Key<?> k : keys) {
                String rest = k.name().startsWith(prefix) ? k.name().substring(prefix.length()) : null;
                if (rest == null || rest.contains("[]") || !k.isRequired() || values.containsKey(k.name())) {
                    continue;
                }
                problems.add(new Problem(
                        0,
                        k.name(),
                        "Missing required configuration " + shownPrefix + rest + " which has no default value",
                        "add " + shownPrefix + rest + ": " + k.type().expected() + " (" + k.doc() + ")"));
            }
            return new Settings(ConfigDef.this, prefix, shownPrefix, values, lines, warnings, source);
        }

        private void mapping(
                String prefix,
                String shownPrefix,
                Node.Mapping m,
                Map<String, Object> values,
                Map<String, Integer> lines) {
            for (Map.Entry<String, Node> e : m.entries().entrySet()) {
                String name = prefix + e.getKey();
                String shown = shownPrefix + e.getKey();
                int line = m.keyLines().getOrDefault(e.getKey(), e.getValue().line());
                Node node = e.getValue();
                Key<?> key = byName.get(name);
                Key.Alias alias = null;
                if (key == null && byAlias.containsKey(name)) {
                    key = byAlias.get(name).getKey();
                    alias = byAlias.get(name).getValue();
                    warnings.add(new Problem(
                            line,
                            key.name(),
                            "configuration key '" + shown + "' is deprecated",
                            "write '" + shownName(key, prefix, shownPrefix)
                                    + "' instead (the old name goes in the next release)"));
                }
                if (key != null) {
                    if (values.containsKey(key.name())) {
                        problems.add(new Problem(
                                line,
                                key.name(),
                                "configuration " + shownName(key, prefix, shownPrefix)
                                        + " is set twice (under its new and its deprecated name)",
                                "keep only '" + shownName(key, prefix, shownPrefix) + "'"));
                        continue;
                    }
                    Object v = convert(key, alias, node, shown, line);
                    if (v != null) {
                        values.put(key.name(), v);
                        lines.put(key.name(), line);
                    }
                    continue;
                }
                Key<?> secret = secretVariant(name);
                if (secret != null) {
                    String base = shownPrefix + secret.name().substring(prefix.length());
                    if (values.containsKey(secret.name())) {
                        problems.add(new Problem(
                                line,
                                secret.name(),
                                "configuration " + base + " is set more than once (as " + base + ", " + base + FILE
                                        + " or " + base + ENV + ")",
                                "keep one of them"));
                        continue;
                    }
                    Secret s = secretFrom(name.endsWith(FILE), node, shown, line);
                    if (s != null) {
                        values.put(secret.name(), s);
                        lines.put(secret.name(), line);
                    }
                    continue;
                }
                if (sections.contains(name)) {
                    if (node instanceof Node.Mapping sub) {
                        mapping(name + ".", shown + ".", sub, values, lines);
                    } else if (!(node instanceof Node.Scalar sc && sc.value() == null)) {
                        problems.add(new Problem(
                                line,
                                name,
                                "Invalid value for configuration " + shown + ": expected a mapping" + " with the keys "
                                        + siblings(name + "."),
                                "indent its keys below " + e.getKey() + ":"));
                    }
                    continue;
                }
                problems.add(new Problem(
                        line,
                        name,
                        "unknown configuration key '" + shown + "'" + suggestion(name, prefix),
                        "remove it or correct its spelling (the keys are listed in the " + service
                                + " configuration reference)"));
            }
        }

        private String suggestion(String name, String prefix) {
            List<String> all = new ArrayList<>(byName.keySet());
            all.addAll(sections);
            String best = closest(name, all);
            if (best != null) {
                return " (did you mean '" + best.replace("[]", "[N]") + "'?)";
            }
            int dot = name.lastIndexOf('.');
            String parent = dot < 0 ? "" : name.substring(0, dot + 1);
            List<String> sib = siblings(parent.isEmpty() ? prefix : parent);
            return sib.isEmpty() ? "" : "; expected one of " + sib;
        }

        private Key<?> secretVariant(String name) {
            for (String suffix : List.of(FILE, ENV)) {
                if (name.endsWith(suffix)) {
                    Key<?> k = byName.get(name.substring(0, name.length() - suffix.length()));
                    if (k != null && k.isSecret()) {
                        return k;
                    }
                }
            }
            return null;
        }

        private Secret secretFrom(boolean file, Node node, String shown, int line) {
            if (!(node instanceof Node.Scalar sc) || sc.value() == null) {
                problems.add(new Problem(
                        line,
                        shown,
                        "Invalid value for configuration " + shown + ": expected "
                                + (file
                                        ? "the path of a file holding the secret"
                                        : "the name of an environment variable holding it"),
                        file
                                ? "e.g. " + shown + ": /var/run/secrets/meshlens/key"
                                : "e.g. " + shown + ": MESHLENS_SECRET"));
                return null;
            }
            String ref = sc.text();
            if (file) {
                try {
                    return Secret.of(stripNewline(env.readFile(ref)));
                } catch (IOException | RuntimeException e) {
                    problems.add(new Problem(
                            line,
                            shown,
                            "cannot read the file " + ref + " named by " + shown + ": "
                                    + e.getClass().getSimpleName(),
                            "mount the secret there or correct the path"));
                    return null;
                }
            }
            String v = env.getenv(ref);
            if (v == null) {
                problems.add(new Problem(
                        line,
                        shown,
                        "the environment variable " + ref + " named by " + shown + " is not set",
                        "set " + ref + " in the service's environment or correct the name"));
                return null;
            }
            return Secret.of(v);
        }

        private Object convert(Key<?> key, Key.Alias alias, Node node, String shown, int line) {
            if (node instanceof Node.Scalar sc && sc.value() == null) {
                if (key.isRequired()) {
                    problems.add(new Problem(
                            line,
                            key.name(),
                            "Missing value for configuration " + shown,
                            "set it to " + key.type().expected() + " (" + key.doc() + ")"));
                }
                return null;
            }
            Object v;
            try {
                v = Converter.convert(key, alias, node, shown, line, warnings, this::secretProperty);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(
                        line,
                        key.name(),
                        "Invalid value " + abbreviate(key, node) + " for configuration " + shown + ": "
                                + e.getMessage(),
                        fix(key)));
                return null;
            }
            if (key.type() == Type.LIST) {
                List<Settings> items = new ArrayList<>();
                List<?> raw = (List<?>) v;
                for (int i = 0; i < raw.size(); i++) {
                    items.add(settings(key.name() + "[].", shown + "[" + i + "].", (Node.Mapping) raw.get(i)));
                }
                return List.copyOf(items);
            }
            for (Validator<?> val : key.validators()) {
                @SuppressWarnings("unchecked")
                String p = ((Validator<Object>) val).problem(v);
                if (p != null) {
                    problems.add(new Problem(
                            line,
                            key.name(),
                            "Invalid value " + abbreviate(key, node) + " for configuration " + shown + ": " + p,
                            fix(key)));
                    return null;
                }
            }
            return v;
        }

        private Secret secretProperty(String shown, boolean file, Node node, int line) {
            return secretFrom(file, node, shown, line);
        }
    }

    /** How {@code key} is shown where a name under {@code prefix} stood (an alias may live in another section). */
    private static String shownName(Key<?> key, String prefix, String shownPrefix) {
        return key.name().startsWith(prefix) ? shownPrefix + key.name().substring(prefix.length()) : key.name();
    }

    private static String fix(Key<?> key) {
        return "set it to " + key.type().expected() + (key.values().isEmpty() ? "" : " " + key.values())
                + (key.doc().isEmpty() ? "" : " (" + key.doc() + ")");
    }

    static String abbreviate(Key<?> key, Node node) {
        if (key.isSecret() || key.type() == Type.PROPERTIES) {
            return Secret.HIDDEN;
        }
        String s = String.valueOf(node.plain());
        return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
    }

    static String stripNewline(String s) {
        String t = s;
        while (t.endsWith("\n") || t.endsWith("\r")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** The closest known name within a few edits, or null. */
    static String closest(String name, List<String> known) {
        String best = null;
        int bestD = Math.max(3, name.length() / 4) + 1;
        for (String k : known) {
            int d = dev.meshlens.events.Spelling.distance(name, k.replace("[]", ""));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }
}
