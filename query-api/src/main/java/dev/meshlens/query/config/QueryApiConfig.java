package dev.meshlens.query.config;

import dev.meshlens.events.Spelling;
import dev.meshlens.query.config.ConfigKey.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The query-api configuration: every key is declared once in {@link #KEYS} (type, default, doc).
 * {@link #parse} finds every problem at once (unknown keys with a suggestion, wrong types, missing
 * values, bad ranges) and throws one {@link ConfigException} that names each key and its fix.
 */
public final class QueryApiConfig {
  public static final String DEFAULT_EVENTS_TOPIC_PATTERN = "meshlens\\.events\\..*";
  public static final String DEFAULT_FINDINGS_TOPIC = "meshlens.findings";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "meshlens.deadletter.ingest";

  /** The table of keys. Order here is documentation order. */
  public static final List<ConfigKey> KEYS = List.of(
      ConfigKey.required("kafka.bootstrap-servers", Type.STRING, "Kafka bootstrap servers, host:port[,host:port]"),
      ConfigKey.of("kafka.group-id", Type.STRING, "meshlens-query-api", "Consumer group of the ingest loops"),
      ConfigKey.of("kafka.events-topic-pattern", Type.STRING, DEFAULT_EVENTS_TOPIC_PATTERN,
          "Regex of the per-mesh event topics; new matching topics are picked up without a restart"),
      ConfigKey.of("kafka.findings-topic", Type.STRING, DEFAULT_FINDINGS_TOPIC, "Topic the correlator writes findings to"),
      ConfigKey.of("kafka.dead-letter-topic", Type.STRING, DEFAULT_DEAD_LETTER_TOPIC,
          "Topic for records that can never be indexed (reason in headers)"),
      ConfigKey.of("kafka.metadata-max-age", Type.DURATION, Duration.ofSeconds(30),
          "How often the topic pattern is re-evaluated (new meshes appear within this time)"),
      ConfigKey.of("kafka.static-membership", Type.BOOLEAN, true,
          "Join the consumer groups (ingest, correlator) as a static member (group.instance.id from kafka.instance-id): "
              + "a restart within the session timeout gets its partitions back at once instead of after it"),
      ConfigKey.optional("kafka.instance-id", Type.STRING,
          "Stable name of this instance for static membership; unique per replica. Default: env POD_NAME, "
              + "else HOSTNAME, else the host name"),
      ConfigKey.of("kafka.properties", Type.MAP, Map.of(),
          "Extra Kafka client properties (security.protocol, sasl.*, ssl.*); values of keys containing "
              + "password/secret/jaas are hidden in logs"),
      ConfigKey.required("elasticsearch.urls", Type.LIST, "Elasticsearch HTTP endpoints, e.g. [http://127.0.0.1:9200]"),
      ConfigKey.optional("elasticsearch.username", Type.STRING, "Basic-auth user"),
      ConfigKey.secret("elasticsearch.password", "Basic-auth password"),
      ConfigKey.secret("elasticsearch.api-key", "Elasticsearch API key (base64 id:key), instead of user/password"),
      ConfigKey.of("elasticsearch.index-prefix", Type.STRING, "meshlens",
          "Prefix of index names: <prefix>-events-YYYY.MM.DD, <prefix>-findings, <prefix>-findings-history"),
      ConfigKey.of("elasticsearch.replicas", Type.INT, 1, "number_of_replicas of new indices (0 on a single node)"),
      ConfigKey.of("elasticsearch.shards", Type.INT, 1, "number_of_shards of new event indices"),
      ConfigKey.of("elasticsearch.refresh-interval", Type.DURATION, Duration.ofSeconds(1),
          "index.refresh_interval of new event indices (how soon events are searchable)"),
      ConfigKey.of("ingest.enabled", Type.BOOLEAN, true, "Run the Kafka -> Elasticsearch ingest loops"),
      ConfigKey.of("ingest.max-batch", Type.INT, 2000, "Max records per poll = per bulk request"),
      ConfigKey.of("ingest.poll-timeout", Type.DURATION, Duration.ofMillis(500), "Kafka poll timeout"),
      ConfigKey.of("ingest.retry-backoff", Type.DURATION, Duration.ofMillis(500),
          "First wait before retrying a failed bulk; doubles up to ingest.max-retry-backoff"),
      ConfigKey.of("ingest.max-retry-backoff", Type.DURATION, Duration.ofSeconds(10), "Longest wait between retries"),
      ConfigKey.of("ingest.document-retries", Type.INT, 5,
          "Retries of a document Elasticsearch rejected with a retryable status before consumption pauses"),
      ConfigKey.of("ingest.retention-days", Type.INT, 30,
          "Delete whole event indices whose day is older than this many days (0 disables)"),
      ConfigKey.of("ingest.retention-interval", Type.DURATION, Duration.ofHours(1), "How often retention runs"),
      ConfigKey.of("ingest.gauge-refresh-interval", Type.DURATION, Duration.ofSeconds(30),
          "How often the findings/certificate/last-seen gauges are refreshed from Elasticsearch"),
      ConfigKey.of("ingest.lag-interval", Type.DURATION, Duration.ofSeconds(15),
          "How often meshlens_ingest_lag_records is measured (the group's committed offsets against the log end)"),
      ConfigKey.of("http.enabled", Type.BOOLEAN, true, "Serve the HTTP API"),
      ConfigKey.of("http.host", Type.STRING, "0.0.0.0", "Listen address"),
      ConfigKey.of("http.port", Type.INT, 8080, "Listen port (0 = random)"),
      ConfigKey.of("http.cert-warning-days", Type.INT, 30, "Certificates expiring within this many days are listed"),
      ConfigKey.of("http.blind-after", Type.DURATION, Duration.ofMinutes(15),
          "A mesh with no event for this long is reported as blind/silent"),
      ConfigKey.of("trust.horizon-days", Type.INT, 30,
          "Trust predictions (root/intermediate expiry) look this many days ahead; GET /api/v1/trust?horizon_days= overrides"),
      ConfigKey.of("trust.stale-after", Type.DURATION, Duration.ofHours(1),
          "A certificate chain not seen for this long before its mesh's newest /certs sighting is no longer in use"),
      ConfigKey.of("trust.certs-window", Type.DURATION, Duration.ofHours(48),
          "How far back /certs events are read for the trust matrix (at least trust.stale-after)"),
      ConfigKey.of("trust.bundle-history", Type.DURATION, Duration.ofDays(30),
          "How far back trust-bundle versions are read (how far back a cell's 'since' can see)"),
      ConfigKey.of("trust.traffic-window", Type.DURATION, Duration.ofHours(24),
          "Successful requests in this window confirm (or contradict) trust-matrix cells"),
      ConfigKey.of("trust.refresh-interval", Type.DURATION, Duration.ofSeconds(60),
          "How often the meshlens_trust_* gauges are recomputed from Elasticsearch (with ingest)"),
      ConfigKey.of("auth.tokens", Type.TOKENS, List.of(),
          "Bearer tokens: - {name: team-a, sha256: <hex of sha-256 of the token>, meshes: [mesh-a]} or {name: oncall, sha256: ..., admin: true}"),
      ConfigKey.of("correlation.enabled", Type.BOOLEAN, true, "Start the correlator when it is on the classpath"),
      ConfigKey.of("correlation.settings", Type.MAP, Map.of(), "Settings handed to the correlator as they are"),
      ConfigKey.of("telemetry.service-name", Type.STRING, "meshlens-query-api", "OpenTelemetry service.name"));

  private static final Map<String, ConfigKey> BY_NAME;

  static {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    for (ConfigKey k : KEYS) {
      m.put(k.name(), k);
    }
    BY_NAME = Collections.unmodifiableMap(m);
  }

  /** One API token as configured (hash only; the token itself is never stored). */
  public record ApiToken(String name, String sha256, Set<String> meshes, boolean admin) {
    @Override
    public String toString() {
      return "{name=" + name + ", sha256=[hidden], " + (admin ? "admin" : "meshes=" + meshes) + "}";
    }
  }

  private final Map<String, Object> values;

  private QueryApiConfig(Map<String, Object> values) {
    this.values = values;
  }

  public static QueryApiConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()
          + ". Fix: pass an existing, readable YAML file with --config"));
    }
    return parse(text);
  }

  /** Parses and validates YAML text. */
  public static QueryApiConfig parse(String yamlText) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
    } catch (YAMLException e) {
      throw new ConfigException(List.of("config is not valid YAML: " + e.getMessage()));
    }
    if (root == null) {
      root = Map.of();
    }
    if (!(root instanceof Map<?, ?> rootMap)) {
      throw new ConfigException(List.of("config must be a YAML mapping (key: value) at the top level"));
    }
    List<String> errors = new ArrayList<>();
    Map<String, Object> raw = new LinkedHashMap<>();
    flatten("", rootMap, raw, errors);
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      ConfigKey key = BY_NAME.get(e.getKey());
      if (key == null) {
        String suggestion = closest(e.getKey());
        errors.add("Unknown configuration key '" + e.getKey() + "'"
            + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
            + ". Fix: remove it or correct the spelling; known keys are listed in docs/query-api.md");
        continue;
      }
      Object v = convert(key, e.getValue(), errors);
      if (v != null) {
        out.put(key.name(), v);
      }
    }
    for (ConfigKey k : KEYS) {
      if (!out.containsKey(k.name()) && !raw.containsKey(k.name())) {
        if (!k.optional()) {
          errors.add("Missing required configuration '" + k.name() + "' which has no default value. Fix: add "
              + k.name() + " (" + k.doc() + ")");
        } else if (k.defaultValue() != null) {
          out.put(k.name(), k.defaultValue());
        }
      }
    }
    crossChecks(out, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return new QueryApiConfig(out);
  }

  private static void flatten(String prefix, Map<?, ?> m, Map<String, Object> out, List<String> errors) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String name = prefix + e.getKey();
      Object v = e.getValue();
      ConfigKey key = BY_NAME.get(name);
      if (key == null && v instanceof Map<?, ?> sub) {
        flatten(name + ".", sub, out, errors);
      } else {
        out.put(name, v);
      }
    }
  }

  private static Object convert(ConfigKey key, Object v, List<String> errors) {
    String k = key.name();
    if (v == null) {
      if (key.optional()) {
        return key.defaultValue();
      }
      errors.add("Missing value for configuration '" + k + "'. Fix: set it to " + key.type().expected + " ("
          + key.doc() + ")");
      return null;
    }
    String shown = key.secret() ? "[hidden]" : String.valueOf(v);
    try {
      return switch (key.type()) {
        case STRING -> {
          if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException("expected " + key.type().expected);
          }
          yield String.valueOf(v);
        }
        case INT -> {
          if (v instanceof Integer i) {
            yield i;
          }
          if (v instanceof String s && s.trim().matches("-?\\d+")) {
            yield Integer.parseInt(s.trim());
          }
          throw new IllegalArgumentException("expected " + key.type().expected);
        }
        case BOOLEAN -> {
          if (v instanceof Boolean b) {
            yield b;
          }
          throw new IllegalArgumentException("expected " + key.type().expected);
        }
        case DURATION -> parseDuration(String.valueOf(v));
        case LIST -> {
          List<String> list = new ArrayList<>();
          if (v instanceof List<?> l) {
            for (Object o : l) {
              if (o instanceof Map || o instanceof List) {
                throw new IllegalArgumentException("expected " + key.type().expected);
              }
              list.add(String.valueOf(o));
            }
          } else if (v instanceof String s) {
            for (String p : s.split(",")) {
              if (!p.isBlank()) {
                list.add(p.trim());
              }
            }
          } else {
            throw new IllegalArgumentException("expected " + key.type().expected);
          }
          yield List.copyOf(list);
        }
        case MAP -> {
          if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected " + key.type().expected);
          }
          Map<String, String> mm = new TreeMap<>();
          m.forEach((a, b) -> mm.put(String.valueOf(a), b == null ? "" : String.valueOf(b)));
          yield Collections.unmodifiableMap(mm);
        }
        case TOKENS -> tokens(k, v, errors);
      };
    } catch (IllegalArgumentException e) {
      errors.add("Invalid value " + shown + " for configuration '" + k + "': " + e.getMessage() + ". Fix: set "
          + k + " to " + key.type().expected + " (" + key.doc() + ")");
      return null;
    }
  }

  private static List<ApiToken> tokens(String k, Object v, List<String> errors) {
    if (!(v instanceof List<?> l)) {
      throw new IllegalArgumentException("expected a list");
    }
    List<ApiToken> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < l.size(); i++) {
      String at = k + "[" + i + "]";
      if (!(l.get(i) instanceof Map<?, ?> m)) {
        errors.add("Invalid entry " + at + ": expected a mapping {name, sha256, meshes | admin}. Fix: see docs/query-api.md");
        continue;
      }
      for (Object field : m.keySet()) {
        if (!Set.of("name", "sha256", "meshes", "admin").contains(String.valueOf(field))) {
          errors.add("Unknown configuration key '" + at + "." + field
              + "'. Fix: a token has only name, sha256, meshes and admin");
        }
      }
      Object name = m.get("name");
      Object hash = m.get("sha256");
      Object meshes = m.get("meshes");
      Object admin = m.get("admin");
      if (name == null || String.valueOf(name).isBlank()) {
        errors.add("Missing value for configuration '" + at + ".name'. Fix: give every token a name (shown in logs)");
      } else if (!names.add(String.valueOf(name))) {
        errors.add("Duplicate token name '" + name + "' at " + at + ".name. Fix: names must be unique");
      }
      String h = hash == null ? null : String.valueOf(hash).trim().toLowerCase(Locale.ROOT);
      if (h == null || !h.matches("[0-9a-f]{64}")) {
        errors.add("Invalid value [hidden] for configuration '" + at + ".sha256': expected 64 hex characters. Fix: "
            + "store the SHA-256 of the token, e.g. printf %s \"$TOKEN\" | sha256sum");
      }
      boolean isAdmin = false;
      if (admin != null && !(admin instanceof Boolean)) {
        errors.add("Invalid value " + admin + " for configuration '" + at + ".admin': expected true or false");
      } else if (admin != null) {
        isAdmin = (Boolean) admin;
      }
      Set<String> ms = new LinkedHashSet<>();
      if (meshes instanceof List<?> ml) {
        ml.forEach(o -> ms.add(String.valueOf(o)));
      } else if (meshes instanceof String s) {
        for (String p : s.split(",")) {
          if (!p.isBlank()) {
            ms.add(p.trim());
          }
        }
      } else if (meshes != null) {
        errors.add("Invalid value " + meshes + " for configuration '" + at + ".meshes': expected a list of mesh ids");
      }
      if (!isAdmin && ms.isEmpty()) {
        errors.add("Missing value for configuration '" + at + ".meshes'. Fix: grant at least one mesh, or set admin: true");
      }
      out.add(new ApiToken(name == null ? "" : String.valueOf(name), h, Set.copyOf(ms), isAdmin));
    }
    return List.copyOf(out);
  }

  private static void crossChecks(Map<String, Object> out, List<String> errors) {
    Object pattern = out.get("kafka.events-topic-pattern");
    if (pattern instanceof String p) {
      try {
        Pattern.compile(p);
      } catch (PatternSyntaxException e) {
        errors.add("Invalid value " + p + " for configuration 'kafka.events-topic-pattern': not a regular expression ("
            + e.getDescription() + "). Fix: e.g. " + DEFAULT_EVENTS_TOPIC_PATTERN);
      }
    }
    Object port = out.get("http.port");
    if (port instanceof Integer p && (p < 0 || p > 65535)) {
      errors.add("Invalid value " + p + " for configuration 'http.port': must be 0..65535");
    }
    if (out.get("trust.certs-window") instanceof Duration w && out.get("trust.stale-after") instanceof Duration st
        && w.compareTo(st) < 0) {
      errors.add("Invalid value " + w + " for configuration 'trust.certs-window': shorter than trust.stale-after (" + st
          + "). Fix: read at least as far back as a chain stays in use");
    }
    for (String k : List.of("ingest.max-batch", "ingest.document-retries", "elasticsearch.shards",
        "trust.horizon-days")) {
      if (out.get(k) instanceof Integer i && i < 1) {
        errors.add("Invalid value " + i + " for configuration '" + k + "': must be at least 1");
      }
    }
    for (String k : List.of("ingest.retention-days", "elasticsearch.replicas", "http.cert-warning-days")) {
      if (out.get(k) instanceof Integer i && i < 0) {
        errors.add("Invalid value " + i + " for configuration '" + k + "': must not be negative");
      }
    }
    if (out.get("elasticsearch.urls") instanceof List<?> urls) {
      for (Object u : urls) {
        String s = String.valueOf(u);
        if (!s.matches("https?://[^/\\s]+(:\\d+)?/?")) {
          errors.add("Invalid value " + s + " for configuration 'elasticsearch.urls': expected http(s)://host:port");
        }
      }
      if (urls.isEmpty()) {
        errors.add("Missing value for configuration 'elasticsearch.urls'. Fix: list at least one endpoint");
      }
    }
    if (out.get("elasticsearch.password") != null && out.get("elasticsearch.username") == null) {
      errors.add("Configuration 'elasticsearch.password' is set but 'elasticsearch.username' is not. Fix: set both");
    }
  }

  /** Parses 500ms, 30s, 15m, 1h, 7d (or an ISO-8601 duration such as PT30S). */
  public static Duration parseDuration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 15m, 1h or 7d");
      }
    }
    var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 15m, 1h or 7d");
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

  private static String closest(String unknown) {
    return Spelling.closest(unknown, BY_NAME.keySet(), Math.max(3, unknown.length() / 4));
  }

  // ---- typed access ----

  public String string(String key) {
    return (String) get(key);
  }

  public int integer(String key) {
    return (Integer) get(key);
  }

  public boolean bool(String key) {
    return (Boolean) get(key);
  }

  public Duration duration(String key) {
    return (Duration) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> list(String key) {
    return (List<String>) get(key);
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> map(String key) {
    return (Map<String, String>) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<ApiToken> tokens() {
    return (List<ApiToken>) get("auth.tokens");
  }

  /** Raw value or null when not set and without default. */
  public Object get(String key) {
    if (!BY_NAME.containsKey(key)) {
      throw new IllegalArgumentException("not a configuration key: " + key);
    }
    return values.get(key);
  }

  /** A copy with some values replaced (tests, benchmarks). Values must have the key's Java type. */
  public QueryApiConfig with(Map<String, Object> overrides) {
    Map<String, Object> m = new TreeMap<>(values);
    overrides.forEach((k, v) -> {
      if (!BY_NAME.containsKey(k)) {
        throw new IllegalArgumentException("not a configuration key: " + k);
      }
      m.put(k, v);
    });
    return new QueryApiConfig(m);
  }

  /** The resolved configuration, sorted by key, secrets as [hidden]; one "key = value" per line. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : new TreeMap<>(values).entrySet()) {
      ConfigKey k = BY_NAME.get(e.getKey());
      Object v = e.getValue();
      String shown;
      if (k.secret()) {
        shown = "[hidden]";
      } else if (k.type() == Type.MAP) {
        Map<String, String> hidden = new TreeMap<>();
        ((Map<?, ?>) v).forEach((a, b) -> hidden.put(String.valueOf(a), isSecretName(String.valueOf(a)) ? "[hidden]"
            : String.valueOf(b)));
        shown = hidden.toString();
      } else if (v instanceof Duration d) {
        shown = d.toString();
      } else {
        shown = String.valueOf(v);
      }
      sb.append(e.getKey()).append(" = ").append(shown).append('\n');
    }
    return sb.toString();
  }

  static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("password") || n.contains("secret") || n.contains("jaas") || n.contains("token")
        || n.contains("key") && !n.contains("keystore.type") && !n.contains("key.deserializer")
        && !n.contains("key.serializer");
  }

  @Override
  public String toString() {
    return describe();
  }
}
