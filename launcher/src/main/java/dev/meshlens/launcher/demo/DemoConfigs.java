package dev.meshlens.launcher.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.simulator.EnvoyAdmin;
import dev.meshlens.simulator.EnvoyFormats;
import dev.meshlens.simulator.LiveSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the configuration files the demo's collectors and query API run with. They are ordinary
 * config files (YAML) in the demo folder, so a user can read them as examples and rerun a part
 * by hand with {@code ./meshlens collector --config FILE}.
 */
final class DemoConfigs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A query API bearer token: name, sha-256 of the token, granted meshes, admin. */
  record Token(String name, String sha256, List<String> meshes, boolean admin) {}

  private final Path dir;
  private final LiveSimulator simulator;
  private final String kafkaBootstrap;
  private final String elasticsearchUrl;

  DemoConfigs(Path dir, LiveSimulator simulator, String kafkaBootstrap, String elasticsearchUrl) {
    this.dir = dir;
    this.simulator = simulator;
    this.kafkaBootstrap = kafkaBootstrap;
    this.elasticsearchUrl = elasticsearchUrl;
  }

  /** The collector config of one mesh: its log files in its own formats, its admin endpoints, its policy. */
  Path writeCollectorConfig(String meshId, int httpPort) throws IOException {
    boolean istio = meshId.equals(Demo.ISTIO_MESH);
    Path meshDir = dir.resolve("meshes").resolve(meshId);
    Path work = dir.resolve("collector-" + meshId);
    Files.createDirectories(work);
    Path policy = writePolicy(meshId);
    StringBuilder y = new StringBuilder();
    y.append("# Collector for ").append(meshId).append(", written by ./meshlens demo.\n");
    y.append("mesh:\n");
    y.append("  id: ").append(q(meshId)).append('\n');
    // the simulated mesh's own kind (its profile), not a guess from the demo's mesh names
    String kind = simulator.admins().stream().map(a -> a.envoy().mesh()).filter(m -> m.id().equals(meshId))
        .findFirst().orElseThrow(() -> new IllegalStateException("the simulator has no mesh " + meshId))
        .kind().wireName();
    y.append("  kind: ").append(kind).append('\n');
    y.append("  cluster: ").append(q(istio ? "east-1" : "dc1")).append('\n');
    y.append("sources:\n");
    y.append("  files:\n");
    // One entry per Envoy: its access log and its listener log, each in the mesh's own format, and
    // the Envoy's identity from its folder (on Kubernetes the pod log path pattern does this).
    String accessFormat = istio ? EnvoyFormats.ISTIO_TEXT : EnvoyFormats.CONSUL_JSON;
    String listenerFormat = istio ? EnvoyFormats.ISTIO_LISTENER_TEXT : EnvoyFormats.CONSUL_LISTENER_JSON;
    for (EnvoyAdmin a : simulator.admins()) {
      if (!a.envoy().mesh().id().equals(meshId)) {
        continue;
      }
      Path envoyDir = meshDir.resolve(a.envoy().service());
      for (String[] file : new String[][] {{"access.log", accessFormat}, {"listener.log", listenerFormat}}) {
        y.append("    - globs: [").append(q(envoyDir.resolve(file[0]).toString())).append("]\n");
        y.append("      format: ").append(q(file[1])).append('\n');
        y.append("      identity_from_path: ").append(q(java.util.regex.Pattern.quote(envoyDir + "/"))).append('\n');
        y.append("      identity_template: ").append(q(a.envoy().identity())).append('\n');
      }
    }
    y.append("  checkpoint_dir: ").append(q(work.resolve("checkpoints").toString())).append('\n');
    y.append("  poll_interval_ms: 200\n");
    y.append("  admin:\n");
    for (EnvoyAdmin a : simulator.admins()) {
      if (a.envoy().mesh().id().equals(meshId)) {
        y.append("    - url: ").append(q(a.baseUrl())).append('\n');
        y.append("      interval_seconds: 5\n");
      }
    }
    y.append("  trust_bundles:\n");
    y.append("    - path: ").append(q(meshDir.resolve("trust-bundle.pem").toString())).append('\n');
    y.append("      interval_seconds: 30\n");
    y.append("redaction:\n");
    y.append("  policy_file: ").append(q(policy.toString())).append('\n');
    y.append("  hash_key_file: ").append(q(hashKey().toString())).append('\n');
    y.append("kafka:\n");
    y.append("  bootstrap_servers: ").append(q(kafkaBootstrap)).append('\n');
    y.append("  create_topic: true\n");
    y.append("  partitions: 3\n");
    y.append("spool:\n");
    y.append("  dir: ").append(q(work.resolve("spool").toString())).append('\n');
    y.append("dead_letter:\n");
    y.append("  file: ").append(q(work.resolve("dead-letters.jsonl").toString())).append('\n');
    y.append("http:\n");
    y.append("  host: \"127.0.0.1\"\n");
    y.append("  port: ").append(httpPort).append('\n');
    Path file = dir.resolve("config").resolve("collector-" + meshId + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, y.toString());
    return file;
  }

  Path writeQueryApiConfig(int httpPort, List<Token> tokens) throws IOException {
    StringBuilder y = new StringBuilder();
    y.append("# Query API, written by ./meshlens demo.\n");
    y.append("kafka:\n");
    y.append("  bootstrap-servers: ").append(q(kafkaBootstrap)).append('\n');
    y.append("  metadata-max-age: 5s\n");
    y.append("elasticsearch:\n");
    y.append("  urls: [").append(q(elasticsearchUrl)).append("]\n");
    y.append("  replicas: 0\n");
    y.append("http:\n");
    y.append("  host: \"127.0.0.1\"\n");
    y.append("  port: ").append(httpPort).append('\n');
    y.append("  blind-after: 2m\n");
    y.append("ingest:\n");
    y.append("  gauge-refresh-interval: 10s\n");
    y.append("auth:\n");
    y.append("  tokens:\n");
    for (Token t : tokens) {
      y.append("    - name: ").append(q(t.name())).append('\n');
      y.append("      sha256: ").append(q(t.sha256())).append('\n');
      if (t.admin()) {
        y.append("      admin: true\n");
      } else {
        y.append("      meshes: [");
        for (int i = 0; i < t.meshes().size(); i++) {
          y.append(i == 0 ? "" : ", ").append(q(t.meshes().get(i)));
        }
        y.append("]\n");
      }
    }
    y.append("correlation:\n");
    y.append("  settings:\n");
    y.append("    state-dir: ").append(q(dir.resolve("query-api").resolve("streams-state").toString())).append('\n');
    y.append("    stats-interval: 10s\n");
    Path file = dir.resolve("config").resolve("query-api.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, y.toString());
    return file;
  }

  /** Each mesh runs its own copy of the default policy under its own id (organisations own their policy). */
  private Path writePolicy(String meshId) throws IOException {
    String text;
    try (InputStream in = DemoConfigs.class.getResourceAsStream("/dev/meshlens/redactor/default-policy.yaml")) {
      if (in == null) {
        throw new IOException("the redactor's default policy is not on the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    text = text.replaceFirst("(?m)^id: .*$", "id: " + meshId + "-policy")
        .replaceFirst("(?m)^mesh: .*$", "mesh: " + q(meshId));
    Path file = dir.resolve("config").resolve("redaction-" + meshId + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "# " + meshId + "'s own policy (a copy of the shipped default), written by ./meshlens demo.\n"
        + text);
    return file;
  }

  /** The HMAC key both organisations share so hashed values correlate across meshes. */
  private Path hashKey() throws IOException {
    Path file = dir.resolve("config").resolve("shared-hash.key");
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.createDirectories(file.getParent());
      Files.writeString(file, HexFormat.of().formatHex(key) + "\n");
    }
    return file;
  }

  static String q(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
