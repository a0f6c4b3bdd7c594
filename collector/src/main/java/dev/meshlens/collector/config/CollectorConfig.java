package dev.meshlens.collector.config;

import dev.meshlens.events.Spelling;
import dev.meshlens.collector.format.FormatChain;
import dev.meshlens.collector.format.FormatException;
import dev.meshlens.collector.format.JsonFormat;
import dev.meshlens.collector.format.LineFormat;
import dev.meshlens.collector.format.Presets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The collector's one YAML file, validated against {@link #KEYS} at start: an unknown key, a wrong type
 * or a missing required value is reported with the key's full name and what is expected, all problems
 * at once. {@code []} in a key stands for any list index.
 */
public final class CollectorConfig {
  /** Value types. */
  public enum Type { STRING, INT, LONG, BOOLEAN, OBJECT, LIST_OF_OBJECTS, LIST_OF_STRINGS, STRING_MAP, FORMAT, ENUM }

  /** One documented key. */
  public record Key(String name, Type type, boolean required, Object dflt, String doc, List<String> values) {
    Key(String name, Type type, boolean required, Object dflt, String doc) {
      this(name, type, required, dflt, doc, List.of());
    }
  }

  /** Every key, with its type, default and documentation (docs/collector.md is generated from the same words). */
  public static final List<Key> KEYS = List.of(
      new Key("mesh", Type.OBJECT, true, null, "the mesh this collector reports for"),
      new Key("mesh.id", Type.STRING, true, null, "mesh id; names the topic meshlens.events.<id>"),
      new Key("mesh.kind", Type.ENUM, false, "other", "mesh kind", List.of("istio", "consul", "other")),
      new Key("mesh.cluster", Type.STRING, false, null, "Kubernetes cluster or Consul datacenter name"),
      new Key("sources", Type.OBJECT, false, null, "where to read"),
      new Key("sources.files", Type.LIST_OF_OBJECTS, false, null, "access-log files to follow"),
      new Key("sources.files[].globs", Type.LIST_OF_STRINGS, true, null, "file globs, e.g. /var/log/containers/*istio-proxy*.log"),
      new Key("sources.files[].format", Type.FORMAT, false, "istio",
          "a preset (istio, istio-pre-1.9, istio-json, consul-json, envoy, envoy-json), an Envoy format string, a map of JSON key to operator, a list of these tried in order (the first that fits a line wins), or auto (detect each line's kind, as explain does)"),
      new Key("sources.files[].unwrap_container", Type.BOOLEAN, false, true, "unwrap CRI / Docker JSON container-runtime lines"),
      new Key("sources.files[].identity_from_path", Type.STRING, false, null,
          "regex with named groups found in each file's path, e.g. /var/log/pods/(?<namespace>[^_/]+)_(?<workload>[a-z0-9-]+?)(-[a-z0-9]{8,10})?-[a-z0-9]{5}_; names the Envoy that wrote the file"),
      new Key("sources.files[].identity_template", Type.STRING, false, null,
          "SPIFFE ID of that Envoy from the groups, e.g. spiffe://cluster.local/ns/{namespace}/sa/{workload}; used as local_uri_san when a line has none"),
      new Key("sources.files[].gateway_from_path", Type.STRING, false, null,
          "regex found in the path of files written by gateways, e.g. ^/var/log/pods/[^/]*gateway; the source's other files are sidecars. A sidecar's inbound NR filter_chain_not_found without SNI is then a plaintext client (PLAINTEXT_MISMATCH), a gateway's stays NO_ROUTE; unset: only the line decides"),
      new Key("sources.checkpoint_dir", Type.STRING, false, "/var/lib/meshlens/checkpoints", "where file offsets are kept"),
      new Key("sources.max_line_bytes", Type.INT, false, 65536, "lines longer than this are cut and counted"),
      new Key("sources.poll_interval_ms", Type.INT, false, 250, "how often files are checked for new lines"),
      new Key("sources.otlp", Type.OBJECT, false, null, "OTLP logs receivers (OTLP/HTTP and OTLP/gRPC)"),
      new Key("sources.otlp.enabled", Type.BOOLEAN, false, false, "run the receivers"),
      new Key("sources.otlp.host", Type.STRING, false, "0.0.0.0", "listen address"),
      new Key("sources.otlp.port", Type.INT, false, 4318, "OTLP/HTTP listen port (0 picks one)"),
      new Key("sources.otlp.grpc", Type.BOOLEAN, false, true,
          "also run the OTLP/gRPC receiver (what Envoy's OpenTelemetry access logger and Istio's envoyOtelAls send)"),
      new Key("sources.otlp.grpc_port", Type.INT, false, 4317, "OTLP/gRPC listen port (0 picks one)"),
      new Key("sources.otlp.format", Type.FORMAT, false, "istio",
          "format of the log record body: as sources.files[].format (one format, a list tried in order, or auto)"),
      new Key("sources.admin", Type.LIST_OF_OBJECTS, false, null, "Envoy admin endpoints to poll"),
      new Key("sources.admin[].url", Type.STRING, true, null, "admin base URL, e.g. http://127.0.0.1:15000"),
      new Key("sources.admin[].interval_seconds", Type.INT, false, 30, "poll interval"),
      new Key("sources.admin[].local_identity", Type.STRING, false, null,
          "SPIFFE ID of the Envoy behind this endpoint, e.g. spiffe://cluster.local/ns/istio-system/sa/istio-eastwestgateway-service-account; local_uri_san of its ssl.* deltas and /certs events, so they pair with the other side's half"),
      new Key("sources.admin[].workload", Type.STRING, false, null,
          "workload (service) name of that Envoy, e.g. istio-eastwestgateway; the workload attribute of its events (the identity used when no SPIFFE ID is known)"),
      new Key("sources.trust_bundles", Type.LIST_OF_OBJECTS, false, null, "trust bundles to report"),
      new Key("sources.trust_bundles[].path", Type.STRING, false, null, "PEM file or directory (e.g. Istio root-cert.pem)"),
      new Key("sources.trust_bundles[].consul_url", Type.STRING, false, null, "Consul HTTP address; reads /v1/connect/ca/roots"),
      new Key("sources.trust_bundles[].token_env", Type.STRING, false, null, "environment variable holding a Consul ACL token"),
      new Key("sources.trust_bundles[].interval_seconds", Type.INT, false, 300, "re-read interval"),
      new Key("pipeline", Type.OBJECT, false, null, "processing options"),
      new Key("pipeline.publish_successes", Type.BOOLEAN, false, true,
          "publish events for lines without failure (needed to see a pair recover)"),
      new Key("pipeline.success_rollup_seconds", Type.INT, false, 10,
          "roll successful requests up per Envoy, peer and outcome into one event with a count per this many seconds (failures stay one event each); 0 publishes every success as its own event"),
      new Key("redaction", Type.OBJECT, false, null, "redaction before anything leaves the collector"),
      new Key("redaction.policy_file", Type.STRING, false, null, "redaction policy YAML; default: the built-in default policy"),
      new Key("redaction.hash_key_file", Type.STRING, false, null, "file with the shared HMAC key for keyed hashing"),
      new Key("redaction.hash_key_env", Type.STRING, false, null, "environment variable with the shared HMAC key"),
      new Key("kafka", Type.OBJECT, true, null, "Kafka connection"),
      new Key("kafka.bootstrap_servers", Type.STRING, true, null, "bootstrap servers, host:port[,host:port]"),
      new Key("kafka.topic", Type.STRING, false, null, "topic; default meshlens.events.<mesh.id>"),
      new Key("kafka.create_topic", Type.BOOLEAN, false, false, "create the topic at start when missing"),
      new Key("kafka.partitions", Type.INT, false, 3, "partitions of a created topic"),
      new Key("kafka.replication_factor", Type.INT, false, 1, "replication factor of a created topic"),
      new Key("kafka.delivery_timeout_ms", Type.INT, false, 15000, "a send slower than this is spooled"),
      new Key("kafka.max_in_flight", Type.INT, false, 10000, "bound on unacknowledged events (back-pressure)"),
      new Key("kafka.producer", Type.STRING_MAP, false, null, "extra producer properties (security.protocol, sasl.*, ssl.*)"),
      new Key("spool", Type.OBJECT, false, null, "disk spool while Kafka is unreachable"),
      new Key("spool.dir", Type.STRING, false, "/var/lib/meshlens/spool", "spool folder"),
      new Key("spool.max_bytes", Type.LONG, false, 536870912L,
          "spool bound; the smaller of this and what the filesystem can take (less spool.min_free_bytes) applies; when full, sources wait (nothing is dropped)"),
      new Key("spool.min_free_bytes", Type.LONG, false, 1048576L,
          "bytes the spool leaves free on its filesystem; raise it when the spool shares a volume with other writers"),
      new Key("dead_letter", Type.OBJECT, false, null, "samples of lines that did not fit"),
      new Key("dead_letter.file", Type.STRING, false, "/var/lib/meshlens/dead-letters.jsonl", "sample file (stays local)"),
      new Key("dead_letter.max_bytes", Type.LONG, false, 10485760L, "sample file bound"),
      new Key("http", Type.OBJECT, false, null, "/metrics, /healthz, /readyz"),
      new Key("http.host", Type.STRING, false, "0.0.0.0", "listen address"),
      new Key("http.port", Type.INT, false, 9464, "listen port (0 picks one)"));

  private static final Map<String, Key> BY_NAME = new LinkedHashMap<>();

  static {
    for (Key k : KEYS) {
      BY_NAME.put(k.name(), k);
    }
  }

  private final Map<String, Object> root;
  private final String source;

  private CollectorConfig(Map<String, Object> root, String source) {
    this.root = root;
    this.source = source;
  }

  public static CollectorConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read the file: " + e));
    }
    return parse(text, file.toString());
  }

  @SuppressWarnings("unchecked")
  public static CollectorConfig parse(String yaml, String source) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(source, List.of("not valid YAML at line " + (e.getProblemMark().getLine() + 1)
          + ", column " + (e.getProblemMark().getColumn() + 1) + ": " + e.getProblem()));
    } catch (RuntimeException e) {
      throw new ConfigException(source, List.of("not valid YAML: " + e.getMessage()));
    }
    if (!(doc instanceof Map)) {
      throw new ConfigException(source, List.of("the file must hold a YAML mapping (mesh:, kafka:, …)"));
    }
    Map<String, Object> root = (Map<String, Object>) doc;
    List<String> problems = new ArrayList<>();
    validate(root, "", "", problems);
    checkRequired(root, "", "", problems);
    CollectorConfig c = new CollectorConfig(root, source);
    if (problems.isEmpty()) {
      c.crossChecks(problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(source, problems);
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static void validate(Map<String, Object> map, String prefix, String shownPrefix, List<String> problems) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String name = prefix + e.getKey();
      String shown = shownPrefix + e.getKey();
      Key k = BY_NAME.get(name);
      if (k == null) {
        problems.add("unknown configuration key '" + shown + "'" + suggestion(name));
        continue;
      }
      Object v = e.getValue();
      if (v == null) {
        if (k.required()) {
          problems.add("Missing required configuration " + shown + " which has no default value (" + k.doc() + ")");
        }
        continue;
      }
      String err = typeError(k, v);
      if (err != null) {
        problems.add("Invalid value " + abbreviate(v) + " for configuration " + shown + ": " + err);
        continue;
      }
      if (k.type() == Type.OBJECT) {
        validate((Map<String, Object>) v, name + ".", shown + ".", problems);
      } else if (k.type() == Type.LIST_OF_OBJECTS) {
        List<Object> l = (List<Object>) v;
        for (int i = 0; i < l.size(); i++) {
          Object item = l.get(i);
          if (!(item instanceof Map)) {
            problems.add("Invalid value " + abbreviate(item) + " for configuration " + shown + "[" + i
                + "]: expected a mapping");
            continue;
          }
          validate((Map<String, Object>) item, name + "[].", shown + "[" + i + "].", problems);
          checkRequired((Map<String, Object>) item, name + "[].", shown + "[" + i + "].", problems);
        }
      } else if (k.type() == Type.FORMAT) {
        formatProblems(v, shown, problems);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void checkRequired(Map<String, Object> map, String prefix, String shownPrefix, List<String> problems) {
    for (Key k : KEYS) {
      if (!k.required() || !k.name().startsWith(prefix)) {
        continue;
      }
      String rest = k.name().substring(prefix.length());
      if (rest.contains(".") || rest.contains("[]")) {
        continue;
      }
      if (!map.containsKey(rest)) {
        problems.add("Missing required configuration " + shownPrefix + rest + " which has no default value ("
            + k.doc() + ")");
      } else if (map.get(rest) instanceof Map && k.type() == Type.OBJECT) {
        checkRequired((Map<String, Object>) map.get(rest), prefix + rest + ".", shownPrefix + rest + ".", problems);
      }
    }
  }

  private static String typeError(Key k, Object v) {
    return switch (k.type()) {
      case STRING -> v instanceof String || v instanceof Number ? null : "expected a string";
      case INT -> v instanceof Integer i && i >= 0 ? null : "expected a non-negative integer";
      case LONG -> (v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0 ? null
          : "expected a non-negative integer";
      case BOOLEAN -> v instanceof Boolean ? null : "expected true or false";
      case OBJECT, STRING_MAP -> v instanceof Map ? null : "expected a mapping";
      case LIST_OF_OBJECTS -> v instanceof List ? null : "expected a list";
      case LIST_OF_STRINGS -> v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof String)
          ? null : "expected a non-empty list of strings";
      case FORMAT -> v instanceof String || v instanceof Map
          || v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof String || x instanceof Map)
          ? null : "expected a preset name, a format string, a mapping of JSON key to operator, auto, or a non-empty"
          + " list of presets, format strings and mappings (tried in order), e.g. [istio, {start_time: \"%START_TIME%\","
          + " downstream_transport_failure_reason: \"%DOWNSTREAM_TRANSPORT_FAILURE_REASON%\"}]";
      case ENUM -> v instanceof String s && k.values().contains(s.toLowerCase(Locale.ROOT)) ? null
          : "expected one of " + k.values();
    };
  }

  /** The word that turns on per-line detection instead of a format. */
  public static final String AUTO = "auto";

  /** Checks a format value, naming the list position of a format that does not compile. */
  private static void formatProblems(Object v, String shown, List<String> problems) {
    if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        if (AUTO.equals(l.get(i))) {
          problems.add("Invalid value for configuration " + shown + "[" + i + "]: auto detects every line's kind on"
              + " its own; write format: auto instead of a list");
          continue;
        }
        try {
          toFormat(l.get(i));
        } catch (FormatException ex) {
          problems.add("Invalid value for configuration " + shown + "[" + i + "]: " + ex.getMessage());
        }
      }
      return;
    }
    try {
      toFormats(v);
    } catch (FormatException ex) {
      problems.add("Invalid value for configuration " + shown + ": " + ex.getMessage()
          + (v instanceof String ? " (or auto, to detect each line's kind)" : ""));
    }
  }

  /** A format value as the formats a source reads: one format, a list tried in order, or {@code auto}. */
  public static FormatChain toFormats(Object v) {
    if (AUTO.equals(v)) {
      return FormatChain.auto();
    }
    if (v instanceof List<?> l) {
      List<LineFormat> formats = new ArrayList<>(l.size());
      for (Object item : l) {
        formats.add(toFormat(item));
      }
      return FormatChain.of(formats);
    }
    return FormatChain.of(toFormat(v));
  }

  /** One format value: preset name or format string, or a JSON key → operator map. */
  @SuppressWarnings("unchecked")
  public static LineFormat toFormat(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, String> f = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        f.put(String.valueOf(e.getKey()), e.getValue() == null ? "" : String.valueOf(e.getValue()));
      }
      return JsonFormat.compile("custom-json", f);
    }
    return Presets.resolve(String.valueOf(v));
  }

  private void crossChecks(List<String> problems) {
    List<Map<String, Object>> files = list("sources.files");
    for (int i = 0; i < files.size(); i++) {
      Object pattern = files.get(i).get("identity_from_path");
      Object template = files.get(i).get("identity_template");
      String at = "sources.files[" + i + "]";
      Object gateways = files.get(i).get("gateway_from_path");
      if (gateways != null) {
        try {
          java.util.regex.Pattern.compile(gateways.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.add("Invalid value for configuration " + at + ".gateway_from_path: not a valid regular expression ("
              + e.getDescription() + "); e.g. ^/var/log/pods/[^/]*gateway");
        }
      }
      if ((pattern == null) != (template == null)) {
        problems.add(at + ": set identity_from_path and identity_template together (or neither)");
      } else if (pattern != null) {
        for (String p : dev.meshlens.collector.event.LocalIdentity.problems(pattern.toString(), template.toString())) {
          problems.add("Invalid value for configuration " + at + ".identity_from_path/identity_template: " + p);
        }
      }
    }
    List<Map<String, Object>> admin = list("sources.admin");
    for (int i = 0; i < admin.size(); i++) {
      Object id = admin.get(i).get("local_identity");
      if (id != null && dev.meshlens.events.SpiffeId.tryParse(id.toString()) == null) {
        problems.add("Invalid value " + abbreviate(id) + " for configuration sources.admin[" + i + "].local_identity:"
            + " expected the SPIFFE ID of the Envoy behind this admin endpoint, e.g."
            + " spiffe://cluster.local/ns/<namespace>/sa/<service-account> (Istio) or"
            + " spiffe://<uuid>.consul/ns/<namespace>/dc/<dc>/svc/<service> (Consul); put a plain name in workload");
      }
    }
    for (Map<String, Object> tb : list("sources.trust_bundles")) {
      if (tb.get("path") == null && tb.get("consul_url") == null) {
        problems.add("sources.trust_bundles entries need either path or consul_url");
      }
    }
    if (get("redaction.hash_key_file") != null && get("redaction.hash_key_env") != null) {
      problems.add("set only one of redaction.hash_key_file and redaction.hash_key_env");
    }
  }

  private static String suggestion(String name) {
    String best = Spelling.closest(name, BY_NAME.keySet(), 3);
    if (best != null) {
      return " (did you mean '" + best.replace("[]", "[N]") + "'?)";
    }
    int dot = name.lastIndexOf('.');
    String parent = dot < 0 ? "" : name.substring(0, dot + 1);
    List<String> siblings = new ArrayList<>();
    for (String k : BY_NAME.keySet()) {
      if (k.startsWith(parent) && !k.substring(parent.length()).contains(".")
          && !k.substring(parent.length()).contains("[]")) {
        siblings.add(k.substring(parent.length()));
      }
    }
    return siblings.isEmpty() ? "" : "; expected one of " + siblings;
  }

  private static String abbreviate(Object v) {
    String s = String.valueOf(v);
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
  }

  // ---- typed access ----

  /** The raw value of a dotted key (no list indices), or its default. */
  @SuppressWarnings("unchecked")
  public Object get(String dotted) {
    Object cur = root;
    for (String part : dotted.split("\\.")) {
      if (!(cur instanceof Map)) {
        cur = null;
        break;
      }
      cur = ((Map<String, Object>) cur).get(part);
    }
    if (cur == null) {
      Key k = BY_NAME.get(dotted);
      return k == null ? null : k.dflt();
    }
    return cur;
  }

  public String string(String key) {
    Object v = get(key);
    return v == null ? null : String.valueOf(v);
  }

  public int integer(String key) {
    return ((Number) get(key)).intValue();
  }

  public long longValue(String key) {
    return ((Number) get(key)).longValue();
  }

  public boolean bool(String key) {
    return Boolean.TRUE.equals(get(key));
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> list(String key) {
    Object v = get(key);
    return v == null ? List.of() : (List<Map<String, Object>>) v;
  }

  /** A value from a list item, with the default of {@code listKey[].name}. */
  public static Object item(Map<String, Object> item, String listKey, String name) {
    Object v = item.get(name);
    if (v == null) {
      Key k = BY_NAME.get(listKey + "[]." + name);
      return k == null ? null : k.dflt();
    }
    return v;
  }

  public String source() {
    return source;
  }

  public String topic() {
    String t = string("kafka.topic");
    return t != null ? t : "meshlens.events." + string("mesh.id");
  }

  /** The resolved configuration, sorted, secrets as {@code [hidden]} (logged at start). */
  public Map<String, String> describe() {
    Map<String, String> out = new TreeMap<>();
    flatten(root, "", out);
    for (Key k : KEYS) {
      if (k.dflt() != null && !k.name().contains("[]") && !out.containsKey(k.name())) {
        boolean parentIsList = false;
        if (!parentIsList) {
          out.put(k.name(), String.valueOf(k.dflt()) + " (default)");
        }
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void flatten(Object v, String prefix, Map<String, String> out) {
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        flatten(e.getValue(), prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), out);
      }
    } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
      for (int i = 0; i < l.size(); i++) {
        flatten(l.get(i), prefix + "[" + i + "]", out);
      }
    } else {
      String low = prefix.toLowerCase(Locale.ROOT);
      boolean secret = low.contains("password") || low.contains("secret") || low.contains("jaas")
          || (low.contains("token") && !low.endsWith("token_env")) || low.contains("key.password");
      out.put(prefix, secret ? "[hidden]" : String.valueOf(v));
    }
  }
}
