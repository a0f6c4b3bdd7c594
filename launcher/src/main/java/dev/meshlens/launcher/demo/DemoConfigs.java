package dev.meshlens.launcher.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.IstioProfile;
import dev.meshlens.simulator.EnvoyAdmin;
import dev.meshlens.simulator.EnvoyFormats;
import dev.meshlens.simulator.LiveSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        String kind = simulator.admins().stream()
                .map(a -> a.envoy().mesh())
                .filter(m -> m.id().equals(meshId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the simulator has no mesh " + meshId))
                .kind()
                .wireName();
        y.append("  kind: ").append(kind).append('\n');
        y.append("  cluster: ").append(q(istio ? "east-1" : "dc1")).append('\n');
        y.append("sources:\n");
        y.append("  files:\n");
        // One entry per file kind and identity template (namespace): a preset (or, for Istio's listener log, its format
        // once) and a glob
        // whose {service} part names the Envoy behind each file (on Kubernetes: /var/log/pods/*_{service}-*/...).
        Map<String, List<String>> servicesByTemplate = new TreeMap<>();
        for (EnvoyAdmin a : simulator.admins()) {
            if (!a.envoy().mesh().id().equals(meshId)) {
                continue;
            }
            String service = a.envoy().service();
            String identity = a.envoy().identity();
            int at = identity.lastIndexOf(service);
            String template = identity.substring(0, at) + "{service}" + identity.substring(at + service.length());
            servicesByTemplate.computeIfAbsent(template, k -> new ArrayList<>()).add(service);
        }
        String[][] files = istio
                ? new String[][] {
                    {"access.log", IstioProfile.TEXT.name()},
                    {"listener.log", q(EnvoyFormats.ISTIO_LISTENER_TEXT.strip())}
                }
                : new String[][] {
                    {"access.log", ConsulProfile.JSON.name()}, {"listener.log", q(EnvoyFormats.CONSUL_LISTENER_JSON)}
                };
        for (Map.Entry<String, List<String>> group : servicesByTemplate.entrySet()) {
            String part = "{service:" + String.join(",", group.getValue()) + "}";
            for (String[] file : files) {
                y.append("    - globs: [")
                        .append(q(meshDir + "/" + part + "/" + file[0]))
                        .append("]\n");
                y.append("      format: ").append(file[1]).append('\n');
                y.append("      identity_template: ").append(q(group.getKey())).append('\n');
            }
        }
        y.append("  checkpoint_dir: ")
                .append(q(work.resolve("checkpoints").toString()))
                .append('\n');
        y.append("  poll_interval: 200ms\n");
        y.append("  admin:\n");
        for (EnvoyAdmin a : simulator.admins()) {
            if (a.envoy().mesh().id().equals(meshId)) {
                y.append("    - url: ").append(q(a.baseUrl())).append('\n');
                y.append("      interval: 5s\n");
            }
        }
        y.append("  trust_bundles:\n");
        y.append("    - path: ")
                .append(q(meshDir.resolve("trust-bundle.pem").toString()))
                .append('\n');
        // short, so the demo's second act (a staged root) reaches the trust matrix quickly
        y.append("      interval: 10s\n");
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
        y.append("  file: ")
                .append(q(work.resolve("dead-letters.jsonl").toString()))
                .append('\n');
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
        y.append("  bootstrap_servers: ").append(q(kafkaBootstrap)).append('\n');
        y.append("  metadata_max_age: 5s\n");
        y.append("elasticsearch:\n");
        y.append("  urls: [").append(q(elasticsearchUrl)).append("]\n");
        y.append("  replicas: 0\n");
        y.append("http:\n");
        y.append("  host: \"127.0.0.1\"\n");
        y.append("  port: ").append(httpPort).append('\n');
        y.append("  blind_after: 2m\n");
        y.append("ingest:\n");
        y.append("  gauge_refresh_interval: 10s\n");
        y.append("trust:\n");
        y.append("  refresh_interval: 10s\n");
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
        y.append("  state_dir: ")
                .append(q(dir.resolve("query-api").resolve("streams-state").toString()))
                .append('\n');
        y.append("  stats_interval: 10s\n");
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
        Files.writeString(
                file,
                "# " + meshId + "'s own policy (a copy of the shipped default), written by ./meshlens demo.\n" + text);
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
