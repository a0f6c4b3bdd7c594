package dev.meshlens.redactor;

import dev.meshlens.events.Spelling;
import dev.meshlens.redactor.detect.DetectorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A redaction policy: which event fields may leave the mesh and in what form. Default deny: a
 * field is published only when the policy names it (or says {@code allow_all: true}). Immutable
 * and thread-safe. Load one with {@link #load(Path)}; every problem is a {@link PolicyException}
 * naming the line and the fix, found at load time. The format is documented in
 * {@code docs/redaction.md}.
 */
public final class RedactionPolicy {
    /** Classpath location of the shipped default policy. */
    public static final String DEFAULT_RESOURCE = "/dev/meshlens/redactor/default-policy.yaml";
    /** Detectors that are on unless a policy turns them off ({@code ip} is off unless turned on). */
    public static final Set<DetectorKind> DEFAULT_DETECTORS;

    static {
        EnumSet<DetectorKind> d = EnumSet.allOf(DetectorKind.class);
        d.remove(DetectorKind.IP);
        DEFAULT_DETECTORS = Collections.unmodifiableSet(d);
    }

    static final List<String> TOP_KEYS =
            List.of("id", "version", "mesh", "description", "allow_all", "hash_key", "detectors", "allow", "fields");
    static final List<String> RULE_KEYS = List.of("action", "to", "length", "ipv4_prefix", "ipv6_prefix");
    static final List<String> HASH_KEY_KEYS = List.of("env", "file");
    static final List<String> ALLOW_KEYS = List.of("pattern", "fields");

    private final String source;
    private final String id;
    private final String version;
    private final String mesh;
    private final String description;
    private final boolean allowAll;
    private final Map<String, FieldRule> rules;
    private final Set<DetectorKind> detectors;
    private final List<AllowRule> allow;
    private final HashKey hashKey;

    private RedactionPolicy(
            String source,
            String id,
            String version,
            String mesh,
            String description,
            boolean allowAll,
            Map<String, FieldRule> rules,
            Set<DetectorKind> detectors,
            List<AllowRule> allow,
            HashKey hashKey) {
        this.source = source;
        this.id = id;
        this.version = version;
        this.mesh = mesh;
        this.description = description;
        this.allowAll = allowAll;
        this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        this.detectors = Collections.unmodifiableSet(
                detectors.isEmpty() ? EnumSet.noneOf(DetectorKind.class) : EnumSet.copyOf(detectors));
        this.allow = List.copyOf(allow);
        this.hashKey = hashKey;
    }

    /**
     * Loads and validates a policy file. A hash key named by {@code hash_key} is read now (from the
     * process environment or the file), so a missing key stops start-up here.
     *
     * @throws PolicyException naming the file, line and fix
     */
    public static RedactionPolicy load(Path yaml) {
        return load(yaml, System.getenv());
    }

    /**
     * Loads a policy whose hash key comes from the caller (e.g. the collector's own configuration)
     * rather than from the policy's {@code hash_key}. With a non-null {@code externalKey}, hash rules
     * need no {@code hash_key} in the policy and a {@code hash_key} there is not read; with null this
     * is {@link #load(Path)}.
     */
    public static RedactionPolicy load(Path yaml, HashKey externalKey) {
        RedactionPolicy p = load(yaml, System.getenv(), externalKey);
        return p;
    }

    /** {@link #load(Path)} with an explicit environment (for tests). */
    public static RedactionPolicy load(Path yaml, Map<String, String> env) {
        return load(yaml, env, null);
    }

    private static RedactionPolicy load(Path yaml, Map<String, String> env, HashKey externalKey) {
        Objects.requireNonNull(yaml, "yaml");
        String text;
        try {
            text = Files.readString(yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException(
                    yaml.toString(),
                    0,
                    "cannot read the policy file (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                    "check the path given to --policy / redaction.policy");
        }
        return parse(text, yaml.toString(), env, yaml.toAbsolutePath().getParent(), externalKey);
    }

    /** Parses policy text; {@code sourceName} appears in error messages. */
    public static RedactionPolicy parse(String text, String sourceName) {
        return parse(text, sourceName, System.getenv(), null, null);
    }

    /** Parses policy text with an explicit environment (for tests). */
    public static RedactionPolicy parse(String text, String sourceName, Map<String, String> env) {
        return parse(text, sourceName, env, null, null);
    }

    private static volatile RedactionPolicy defaultPolicy;

    /**
     * The shipped default policy: keeps exactly what diagnosing TLS failures needs (identities,
     * categories, codes, generalised addresses, times, mesh, cluster, service names), nothing else.
     */
    public static RedactionPolicy defaultPolicy() {
        RedactionPolicy p = defaultPolicy;
        if (p == null) {
            try (InputStream in = RedactionPolicy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "default policy " + DEFAULT_RESOURCE + " is missing from the classpath");
                }
                p = parse(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "default-policy.yaml",
                        Map.of(),
                        null,
                        null);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the default policy", e);
            }
            defaultPolicy = p;
        }
        return p;
    }

    /** The text of the shipped default policy (for docs and `redact --print-default`). */
    public static String defaultPolicyText() {
        try (InputStream in = RedactionPolicy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return new String(Objects.requireNonNull(in, DEFAULT_RESOURCE).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default policy", e);
        }
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    /** The mesh this policy is written for, or {@code *}. */
    public String mesh() {
        return mesh;
    }

    public String description() {
        return description;
    }

    /** Where the policy was read from (file name). */
    public String source() {
        return source;
    }

    /** True when the policy publishes every field it does not name ({@code allow_all: true}); callers log a warning. */
    public boolean allowAll() {
        return allowAll;
    }

    /** The {@code fields:} rules by name, in file order. */
    public Map<String, FieldRule> rules() {
        return rules;
    }

    /** The rule for a field wire name or {@code attributes.<name>}, or null. */
    public FieldRule rule(String name) {
        return rules.get(name);
    }

    /** Detectors that are on. */
    public Set<DetectorKind> detectors() {
        return detectors;
    }

    public List<AllowRule> allowList() {
        return allow;
    }

    /** True when some field is hashed. */
    public boolean needsHashKey() {
        for (FieldRule r : rules.values()) {
            if (r.action() == Action.HASH) {
                return true;
            }
        }
        return false;
    }

    /** The hash key named by {@code hash_key}, read at load time; empty when the policy has none. */
    public Optional<HashKey> hashKey() {
        return Optional.ofNullable(hashKey);
    }

    @Override
    public String toString() {
        return "RedactionPolicy[id=" + id + ", version=" + version + ", mesh=" + mesh + ", allow_all=" + allowAll
                + ", fields=" + rules.size() + ", hash_key=" + (hashKey == null ? "none" : hashKey) + "]";
    }

    // ---------------------------------------------------------------- parsing

    private static RedactionPolicy parse(
            String text, String src, Map<String, String> env, Path baseDir, HashKey externalKey) {
        Objects.requireNonNull(text, "text");
        Node root;
        try {
            LoaderOptions lo = new LoaderOptions();
            lo.setAllowDuplicateKeys(false);
            lo.setMaxAliasesForCollections(10);
            root = new Yaml(lo).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyException(
                    src,
                    line,
                    "not valid YAML: " + e.getProblem(),
                    "fix the YAML syntax (indentation, quotes, ':' after each key)");
        } catch (YAMLException e) {
            throw new PolicyException(src, 0, "not valid YAML: " + e.getMessage(), "fix the YAML syntax");
        }
        if (root == null) {
            throw new PolicyException(
                    src,
                    1,
                    "the policy is empty",
                    "start from the default policy (docs/redaction.md) with at least `id`, `version` and `fields`");
        }
        MappingNode top = mapping(src, root, "the policy");
        Map<String, NodeTuple> keys = keys(src, top, TOP_KEYS, "top-level key");

        String id = requiredString(src, keys, "id", top, "add `id: <policy-name>` at the top");
        String version = requiredString(src, keys, "version", top, "add `version: \"1\"` and raise it on every change");
        String mesh = optionalString(src, keys, "mesh", "*");
        String description = optionalString(src, keys, "description", "");
        boolean allowAll = false;
        if (keys.containsKey("allow_all")) {
            allowAll = bool(src, keys.get("allow_all").getValueNode(), "allow_all");
        }

        Set<DetectorKind> detectors = EnumSet.copyOf(DEFAULT_DETECTORS);
        if (keys.containsKey("detectors")) {
            MappingNode dm = mapping(src, keys.get("detectors").getValueNode(), "detectors");
            for (NodeTuple t : dm.getValue()) {
                String name = scalar(src, t.getKeyNode(), "detector name");
                DetectorKind k = DetectorKind.byWireName(name);
                if (k == null) {
                    throw new PolicyException(
                            src,
                            line(t.getKeyNode()),
                            "unknown detector '" + name + "'",
                            "use one of " + detectorNames() + suggestion(name, detectorNames()));
                }
                if (bool(src, t.getValueNode(), "detectors." + name)) {
                    detectors.add(k);
                } else {
                    detectors.remove(k);
                }
            }
        }

        List<AllowRule> allow = new ArrayList<>();
        if (keys.containsKey("allow")) {
            Node an = keys.get("allow").getValueNode();
            if (!(an instanceof SequenceNode seq)) {
                throw new PolicyException(
                        src,
                        line(an),
                        "`allow` must be a list",
                        "write `allow:` followed by lines like `  - pattern: '^spiffe://'`");
            }
            for (Node item : seq.getValue()) {
                allow.add(allowRule(src, item));
            }
        }

        Map<String, FieldRule> rules = new LinkedHashMap<>();
        if (keys.containsKey("fields")) {
            MappingNode fm = mapping(src, keys.get("fields").getValueNode(), "fields");
            for (NodeTuple t : fm.getValue()) {
                FieldRule r = fieldRule(src, t);
                rules.put(r.name(), r);
            }
        } else if (!allowAll) {
            throw new PolicyException(
                    src,
                    line(top),
                    "the policy has no `fields` and no `allow_all: true`, so it would"
                            + " publish nothing but ids and times",
                    "add a `fields:` map (see the default policy in docs/redaction.md)");
        }

        // TLS parts need the category to exist at all.
        for (FieldRule r : rules.values()) {
            if (r.field() != null
                    && r.field().kind().name().startsWith("TLS_")
                    && r.action() != Action.DROP
                    && r.field() != Field.TLS_CATEGORY) {
                FieldRule cat = rules.get(Field.TLS_CATEGORY.wireName());
                if (!allowAll && (cat == null || cat.action() == Action.DROP)) {
                    throw new PolicyException(
                            src,
                            r.line(),
                            "'" + r.name() + "' is kept but 'tls.category' is not; a TLS"
                                    + " failure cannot be published without its category",
                            "add `tls.category: keep`");
                }
            }
        }

        HashKey key = null;
        boolean needsKey = rules.values().stream().anyMatch(r -> r.action() == Action.HASH);
        if (needsKey && externalKey != null) {
            key = externalKey;
        } else if (needsKey) {
            FieldRule first = rules.values().stream()
                    .filter(r -> r.action() == Action.HASH)
                    .findFirst()
                    .orElseThrow();
            if (!keys.containsKey("hash_key")) {
                throw new PolicyException(
                        src,
                        first.line(),
                        "field '" + first.name() + "' uses `hash` but the policy has" + " no `hash_key`",
                        "add `hash_key: {env: MESHLENS_HASH_KEY}` (or `{file: /path/to/key}`) with a"
                                + " key of at least " + HashKey.MIN_BYTES + " bytes shared with the federating party");
            }
            key = hashKey(src, keys.get("hash_key").getValueNode(), env, baseDir);
        }
        return new RedactionPolicy(src, id, version, mesh, description, allowAll, rules, detectors, allow, key);
    }

    private static HashKey hashKey(String src, Node n, Map<String, String> env, Path baseDir) {
        MappingNode m = mapping(src, n, "hash_key");
        Map<String, NodeTuple> k = keys(src, m, HASH_KEY_KEYS, "hash_key key");
        if (k.size() != 1) {
            throw new PolicyException(
                    src,
                    line(n),
                    "`hash_key` needs exactly one of `env` or `file`",
                    "write `hash_key: {env: MESHLENS_HASH_KEY}` or `hash_key: {file: /etc/meshlens/hash.key}`");
        }
        if (k.containsKey("env")) {
            Node vn = k.get("env").getValueNode();
            String name = scalar(src, vn, "hash_key.env");
            String v = env.get(name);
            if (v == null || v.isEmpty()) {
                throw new PolicyException(
                        src,
                        line(vn),
                        "hash key environment variable " + name + " is not set",
                        "export " + name + "=<secret of at least " + HashKey.MIN_BYTES + " bytes> before starting"
                                + " (e.g. from `openssl rand -hex 32`), or use `hash_key: {file: ...}`");
            }
            try {
                return HashKey.fromEnv(name, env);
            } catch (IllegalArgumentException e) {
                throw new PolicyException(src, line(vn), e.getMessage(), "use a longer key");
            }
        }
        Node vn = k.get("file").getValueNode();
        String file = scalar(src, vn, "hash_key.file");
        Path p = Path.of(file);
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        if (!Files.isReadable(p)) {
            throw new PolicyException(
                    src,
                    line(vn),
                    "hash key file " + p + " does not exist or is not readable",
                    "create it (e.g. `openssl rand -hex 32 > " + p + " && chmod 600 " + p + "`) or fix the path");
        }
        try {
            return HashKey.fromFile(p);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(src, line(vn), e.getMessage(), "put a longer key in the file");
        }
    }

    private static AllowRule allowRule(String src, Node item) {
        MappingNode m;
        if (item instanceof ScalarNode) {
            throw new PolicyException(
                    src,
                    line(item),
                    "an `allow` entry must be a mapping",
                    "write `- pattern: '<regex>'` (optionally with `fields: [name, ...]`)");
        }
        m = mapping(src, item, "allow entry");
        Map<String, NodeTuple> k = keys(src, m, ALLOW_KEYS, "allow key");
        if (!k.containsKey("pattern")) {
            throw new PolicyException(src, line(item), "an `allow` entry has no `pattern`", "add `pattern: '<regex>'`");
        }
        Node pn = k.get("pattern").getValueNode();
        String re = scalar(src, pn, "allow.pattern");
        Pattern pattern;
        try {
            pattern = Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw new PolicyException(
                    src,
                    line(pn),
                    "bad regular expression '" + re + "': " + e.getDescription()
                            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""),
                    "fix the regex (Java syntax; in YAML single quotes a backslash needs no escaping)");
        }
        Set<String> fields = new HashSet<>();
        if (k.containsKey("fields")) {
            Node fn = k.get("fields").getValueNode();
            if (!(fn instanceof SequenceNode seq)) {
                throw new PolicyException(
                        src,
                        line(fn),
                        "`fields` of an allow entry must be a list",
                        "write `fields: [peer_uri_san, local_uri_san]`");
            }
            for (Node f : seq.getValue()) {
                String name = scalar(src, f, "allow.fields entry");
                checkFieldName(src, f, name);
                fields.add(name);
            }
        }
        return new AllowRule(pattern, fields, line(item));
    }

    private static FieldRule fieldRule(String src, NodeTuple t) {
        Node kn = t.getKeyNode();
        String name = scalar(src, kn, "field name");
        int line = line(kn);
        Field field = checkFieldName(src, kn, name);
        if (field == null) {
            name = Field.ATTRIBUTES_PREFIX
                    + name.substring(Field.ATTRIBUTES_PREFIX.length()).toLowerCase(Locale.ROOT);
        }
        Node vn = t.getValueNode();
        Action action;
        Generalisation gen = null;
        int hashLength = FieldRule.DEFAULT_HASH_LENGTH;
        int v4 = FieldRule.DEFAULT_IPV4_PREFIX;
        int v6 = FieldRule.DEFAULT_IPV6_PREFIX;
        Map<String, NodeTuple> opts = Map.of();
        Node actionNode = vn;
        if (vn instanceof ScalarNode) {
            action = action(src, vn, name);
        } else if (vn instanceof MappingNode m) {
            opts = keys(src, m, RULE_KEYS, "option of field '" + name + "'");
            if (!opts.containsKey("action")) {
                throw new PolicyException(
                        src,
                        line(vn),
                        "field '" + name + "' has options but no `action`",
                        "add `action: keep|drop|mask|hash|generalise`");
            }
            actionNode = opts.get("action").getValueNode();
            action = action(src, actionNode, name);
        } else {
            throw new PolicyException(
                    src,
                    line(vn),
                    "field '" + name + "' must map to an action",
                    "write `" + name + ": keep` (or drop, mask, hash, generalise) or `" + name
                            + ": {action: hash, length: 16}`");
        }
        Field.Kind kind = field == null ? Field.Kind.STRING : field.kind();
        if (kind == Field.Kind.REQUIRED && action != Action.KEEP) {
            throw new PolicyException(
                    src,
                    line(actionNode),
                    "'" + name + "' is required by the event schema and is always" + " published; it cannot be "
                            + action.wireName(),
                    "remove the line or write `" + name + ": keep`");
        }
        if (!kind.isText() && kind != Field.Kind.REQUIRED && action != Action.KEEP && action != Action.DROP) {
            throw new PolicyException(
                    src,
                    line(actionNode),
                    "'" + name + "' is not text; `" + action.wireName() + "` does not apply",
                    "use `keep` or `drop`");
        }
        for (String o : opts.keySet()) {
            boolean ok = switch (o) {
                case "action" -> true;
                case "length" -> action == Action.HASH;
                case "to", "ipv4_prefix", "ipv6_prefix" -> action == Action.GENERALISE;
                default -> false;
            };
            if (!ok) {
                throw new PolicyException(
                        src,
                        line(opts.get(o).getKeyNode()),
                        "option `" + o + "` does not apply to action `" + action.wireName() + "` of field '" + name
                                + "'",
                        "remove it (`length` goes with hash; `to`,"
                                + " `ipv4_prefix`, `ipv6_prefix` go with generalise)");
            }
        }
        if (action == Action.HASH && opts.containsKey("length")) {
            hashLength = intOption(
                    src,
                    opts.get("length").getValueNode(),
                    name + ".length",
                    8,
                    64,
                    "use a number of hex characters from 8 to 64 (32 = 128 bits is plenty for correlation)");
        }
        if (action == Action.GENERALISE) {
            if (opts.containsKey("to")) {
                Node tn = opts.get("to").getValueNode();
                String to = scalar(src, tn, name + ".to");
                gen = Generalisation.parse(to);
                if (gen == null) {
                    throw new PolicyException(
                            src,
                            line(tn),
                            "unknown generalisation '" + to + "' for field '" + name + "'",
                            "use `to: ip` (network), `to: path` (path template + query names) or `to: query` (query names)");
                }
            } else if (kind == Field.Kind.ADDRESS) {
                gen = Generalisation.IP;
            } else if (kind == Field.Kind.PATH) {
                gen = Generalisation.PATH;
            } else {
                throw new PolicyException(
                        src,
                        line(actionNode),
                        "field '" + name + "' needs `to:` for generalise",
                        "write `" + name + ": {action: generalise, to: ip|path|query}`");
            }
            if (opts.containsKey("ipv4_prefix")) {
                v4 = intOption(
                        src,
                        opts.get("ipv4_prefix").getValueNode(),
                        name + ".ipv4_prefix",
                        0,
                        32,
                        "use a prefix length from 0 to 32 (24 keeps the /24 network)");
            }
            if (opts.containsKey("ipv6_prefix")) {
                v6 = intOption(
                        src,
                        opts.get("ipv6_prefix").getValueNode(),
                        name + ".ipv6_prefix",
                        0,
                        128,
                        "use a prefix length from 0 to 128 (64 keeps the /64 network)");
            }
        }
        return new FieldRule(name, field, action, gen, hashLength, v4, v6, line);
    }

    /** Returns the Field, or null for a valid attributes.* name; throws for unknown names. */
    private static Field checkFieldName(String src, Node n, String name) {
        Field f = Field.byWireName(name);
        if (f != null) {
            return f;
        }
        if (name.startsWith(Field.ATTRIBUTES_PREFIX) && name.length() > Field.ATTRIBUTES_PREFIX.length()) {
            return null;
        }
        if (name.equals("tls")) {
            throw new PolicyException(
                    src,
                    line(n),
                    "'tls' is a group; name its parts",
                    "write tls.category, tls.rejected_by, tls.code, tls.reason, tls.detail, tls.raw_text");
        }
        List<String> names = new ArrayList<>(Field.wireNames());
        names.add("attributes.<header-name>");
        throw new PolicyException(
                src,
                line(n),
                "unknown field '" + name + "'",
                "use a MeshEvent wire name (" + String.join(", ", names) + ")" + suggestion(name, names));
    }

    private static Action action(String src, Node n, String field) {
        String s = scalar(src, n, "action of '" + field + "'");
        Action a = Action.parse(s);
        if (a == null) {
            List<String> all = List.of("keep", "drop", "mask", "hash", "generalise");
            throw new PolicyException(
                    src,
                    line(n),
                    "unknown action '" + s + "' for field '" + field + "'",
                    "use one of keep, drop, mask, hash, generalise" + suggestion(s, all));
        }
        return a;
    }

    private static int intOption(String src, Node n, String what, int min, int max, String fix) {
        String s = scalar(src, n, what);
        int v;
        try {
            v = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new PolicyException(src, line(n), "`" + what + "` must be a whole number, not '" + s + "'", fix);
        }
        if (v < min || v > max) {
            throw new PolicyException(src, line(n), "`" + what + "` is " + v + ", outside " + min + ".." + max, fix);
        }
        return v;
    }

    private static String requiredString(String src, Map<String, NodeTuple> keys, String key, Node parent, String fix) {
        NodeTuple t = keys.get(key);
        if (t == null) {
            throw new PolicyException(src, line(parent), "missing `" + key + "`", fix);
        }
        String s = scalar(src, t.getValueNode(), key);
        if (s.isBlank()) {
            throw new PolicyException(src, line(t.getValueNode()), "`" + key + "` is empty", fix);
        }
        return s;
    }

    private static String optionalString(String src, Map<String, NodeTuple> keys, String key, String dflt) {
        NodeTuple t = keys.get(key);
        return t == null ? dflt : scalar(src, t.getValueNode(), key);
    }

    private static boolean bool(String src, Node n, String what) {
        String s = scalar(src, n, what).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default ->
                throw new PolicyException(
                        src,
                        line(n),
                        "`" + what + "` must be true or false, not '" + s + "'",
                        "write `" + what + ": true` or `" + what + ": false`");
        };
    }

    private static String scalar(String src, Node n, String what) {
        if (!(n instanceof ScalarNode s)) {
            throw new PolicyException(
                    src,
                    line(n),
                    what + " must be a single value, not a " + (n instanceof MappingNode ? "mapping" : "list"),
                    "write a plain value after the colon");
        }
        return s.getValue();
    }

    private static MappingNode mapping(String src, Node n, String what) {
        if (!(n instanceof MappingNode m)) {
            throw new PolicyException(
                    src,
                    line(n),
                    what + " must be a mapping of `key: value` lines",
                    "indent the entries under `" + what + ":` as `name: value`");
        }
        return m;
    }

    private static Map<String, NodeTuple> keys(String src, MappingNode m, List<String> allowed, String what) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(src, t.getKeyNode(), what);
            if (!allowed.contains(k)) {
                throw new PolicyException(
                        src,
                        line(t.getKeyNode()),
                        "unknown " + what + " '" + k + "'",
                        "use one of " + String.join(", ", allowed) + suggestion(k, allowed));
            }
            out.put(k, t);
        }
        return out;
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static List<String> detectorNames() {
        List<String> l = new ArrayList<>();
        for (DetectorKind k : DetectorKind.values()) {
            l.add(k.wireName());
        }
        return l;
    }

    private static String suggestion(String s, List<String> names) {
        String best = Spelling.closest(s.toLowerCase(Locale.ROOT), names, Math.max(2, s.length() / 3));
        return best != null ? " (did you mean '" + best + "'?)" : "";
    }
}
