package dev.meshlens.redactor.stage;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Configuration of the Kafka-to-Kafka redaction stage ({@code meshlens redactor --config FILE}).
 * Keys are dotted paths into the YAML file, declared once in {@link #KEYS} with type, default and
 * documentation. Errors name the key: "Invalid value V for configuration K: reason", "Missing
 * required configuration K which has no default value", "Unknown configuration key K".
 */
public final class StageConfig {
  /** Types of configuration values. */
  public enum Type { STRING, INT, LONG, BOOLEAN, MAP }

  /** One configuration key. */
  public record Key(String name, Type type, Object defaultValue, boolean required, String doc) {}

  public static final String MESH = "mesh";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap_servers";
  public static final String CLIENT_PROPERTIES = "kafka.properties";
  public static final String INPUT_TOPIC = "input.topic";
  public static final String GROUP_ID = "input.group_id";
  public static final String OUTPUT_TOPIC = "output.topic";
  public static final String TRANSACTIONAL_ID = "output.transactional_id";
  public static final String DEAD_LETTER_TOPIC = "dead_letter.topic";
  public static final String POLICY = "redaction.policy";
  public static final String POLL_MS = "poll_ms";
  public static final String MAX_POLL_RECORDS = "max_poll_records";
  public static final String METRICS_PORT = "metrics.port";

  /** Every key, with type, default and documentation. */
  public static final List<Key> KEYS = List.of(
      new Key(MESH, Type.STRING, null, true, "id of the mesh whose raw events this stage redacts"),
      new Key(BOOTSTRAP_SERVERS, Type.STRING, null, true, "Kafka bootstrap servers (host:port,...)"),
      new Key(CLIENT_PROPERTIES, Type.MAP, Map.of(), false,
          "extra Kafka client properties for consumer and producer (security.protocol, sasl.*, ssl.*)"),
      new Key(INPUT_TOPIC, Type.STRING, null, true, "the private topic with raw event JSON"),
      new Key(GROUP_ID, Type.STRING, "", false, "consumer group; default meshlens-redactor-<mesh>"),
      new Key(OUTPUT_TOPIC, Type.STRING, "", false, "shared topic; default meshlens.events.<mesh>"),
      new Key(TRANSACTIONAL_ID, Type.STRING, "", false,
          "producer transactional.id; default meshlens-redactor-<mesh>; unique per running instance"),
      new Key(DEAD_LETTER_TOPIC, Type.STRING, "meshlens.deadletter.redactor", false,
          "topic for records that are not valid events; holds RAW data: keep it as private as the input"),
      new Key(POLICY, Type.STRING, "", false, "redaction policy file; default: the shipped default policy"),
      new Key(POLL_MS, Type.INT, 500, false, "consumer poll timeout in milliseconds"),
      new Key(MAX_POLL_RECORDS, Type.INT, 500, false, "records per transaction at most"),
      new Key(METRICS_PORT, Type.INT, -1, false,
          "port of the Prometheus /metrics and /healthz endpoint on all interfaces; -1 = off, 0 = any free port"));

  private final Map<String, Object> values;
  private final Path baseDir;

  private StageConfig(Map<String, Object> values, Path baseDir) {
    this.values = values;
    this.baseDir = baseDir;
  }

  /** Reads and validates a config file. */
  public static StageConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString(), file.toAbsolutePath().getParent());
  }

  /** Parses and validates config text. */
  public static StageConfig parse(String text, String source, Path baseDir) {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new IllegalArgumentException(source + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
          + e.getProblem());
    }
    Map<String, Node> flat = new LinkedHashMap<>();
    if (root != null) {
      if (!(root instanceof MappingNode m)) {
        throw new IllegalArgumentException(source + ": the configuration must be a mapping of keys");
      }
      flatten("", m, flat, source);
    }
    Map<String, Key> byName = new LinkedHashMap<>();
    for (Key k : KEYS) {
      byName.put(k.name(), k);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Node> en : flat.entrySet()) {
      Key k = byName.get(en.getKey());
      int line = en.getValue().getStartMark().getLine() + 1;
      if (k == null) {
        throw new IllegalArgumentException(source + " line " + line + ": Unknown configuration key " + en.getKey()
            + " (known keys: " + String.join(", ", byName.keySet()) + ")");
      }
      values.put(k.name(), convert(k, en.getValue(), source, line));
    }
    for (Key k : KEYS) {
      if (!values.containsKey(k.name())) {
        if (k.required()) {
          throw new IllegalArgumentException(source + ": Missing required configuration " + k.name()
              + " which has no default value (" + k.doc() + ")");
        }
        values.put(k.name(), k.defaultValue());
      }
    }
    return new StageConfig(values, baseDir);
  }

  private static void flatten(String prefix, MappingNode m, Map<String, Node> out, String source) {
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode kn)) {
        throw new IllegalArgumentException(source + " line " + (t.getKeyNode().getStartMark().getLine() + 1)
            + ": keys must be plain names");
      }
      String name = prefix + kn.getValue();
      Node v = t.getValueNode();
      if (v instanceof MappingNode sub && !name.equals(CLIENT_PROPERTIES)) {
        flatten(name + ".", sub, out, source);
      } else {
        out.put(name, v);
      }
    }
  }

  private static Object convert(Key k, Node n, String source, int line) {
    String where = source + " line " + line + ": Invalid value ";
    if (k.type() == Type.MAP) {
      if (!(n instanceof MappingNode m)) {
        throw new IllegalArgumentException(where + "for configuration " + k.name() + ": must be a mapping of"
            + " property: value");
      }
      Map<String, String> props = new TreeMap<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode kk) || !(t.getValueNode() instanceof ScalarNode vv)) {
          throw new IllegalArgumentException(where + "for configuration " + k.name() + ": entries must be"
              + " property: value");
        }
        props.put(kk.getValue(), vv.getValue());
      }
      return props;
    }
    if (!(n instanceof ScalarNode s)) {
      throw new IllegalArgumentException(where + "for configuration " + k.name() + ": must be a single "
          + k.type().name().toLowerCase(Locale.ROOT));
    }
    String v = s.getValue();
    try {
      return switch (k.type()) {
        case STRING -> v;
        case INT -> Integer.parseInt(v.trim());
        case LONG -> Long.parseLong(v.trim());
        case BOOLEAN -> {
          if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new NumberFormatException();
          }
          yield Boolean.parseBoolean(v);
        }
        case MAP -> throw new IllegalStateException();
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + v + " for configuration " + k.name() + ": must be "
          + (k.type() == Type.BOOLEAN ? "true or false" : "a whole number"));
    }
  }

  public String string(String key) {
    return (String) values.get(key);
  }

  public int integer(String key) {
    return (Integer) values.get(key);
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> map(String key) {
    return (Map<String, String>) values.get(key);
  }

  public String mesh() {
    return string(MESH);
  }

  public String groupId() {
    String g = string(GROUP_ID);
    return g.isEmpty() ? "meshlens-redactor-" + mesh() : g;
  }

  public String outputTopic() {
    String t = string(OUTPUT_TOPIC);
    return t.isEmpty() ? "meshlens.events." + mesh() : t;
  }

  public String transactionalId() {
    String t = string(TRANSACTIONAL_ID);
    return t.isEmpty() ? "meshlens-redactor-" + mesh() : t;
  }

  /** The policy path (resolved against the config file's folder), or null for the default policy. */
  public Path policyPath() {
    String p = string(POLICY);
    if (p == null || p.isEmpty()) {
      return null;
    }
    Path path = Path.of(p);
    return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
  }

  /** A builder-style copy with one value replaced (tests). */
  public StageConfig with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    if (KEYS.stream().noneMatch(k -> k.name().equals(key))) {
      throw new IllegalArgumentException("Unknown configuration key " + key);
    }
    Map<String, Object> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new StageConfig(v, baseDir);
  }

  /** The resolved configuration, sorted, secrets as {@code [hidden]} (for the start-up log). */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    new TreeMap<>(values).forEach((k, v) -> {
      if (v instanceof Map<?, ?> m) {
        new TreeMap<>(m).forEach((pk, pv) -> out.add(k + "." + pk + " = " + (isSecret(String.valueOf(pk))
            ? "[hidden]" : pv)));
      } else {
        out.add(k + " = " + v);
      }
    });
    return out;
  }

  static boolean isSecret(String property) {
    String p = property.toLowerCase(Locale.ROOT);
    return p.contains("password") || p.contains("secret") || p.contains("jaas") || p.contains("key");
  }
}
