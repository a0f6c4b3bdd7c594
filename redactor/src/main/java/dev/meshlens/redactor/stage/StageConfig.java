package dev.meshlens.redactor.stage;

import dev.meshlens.config.ClientProperties;
import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Settings;
import dev.meshlens.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the Kafka-to-Kafka redaction stage ({@code meshlens redactor --config FILE}): its keys are declared
 * once in {@link #DEF} (docs/redaction.md and the JSON Schema are generated from it); every problem is reported at
 * once with its line and fix ({@link dev.meshlens.config.ConfigException}).
 *
 * @param settings the validated values
 * @param baseDir the config file's folder (a relative policy path is resolved against it), or null
 */
public record StageConfig(Settings settings, Path baseDir) {
    public static final Key<String> MESH = Key.string("mesh")
            .required()
            .validate(Validators.notBlank())
            .doc("id of the mesh whose raw events this stage redacts");
    public static final Key<String> BOOTSTRAP_SERVERS =
            Key.string("kafka.bootstrap_servers").required().doc("Kafka bootstrap servers (host:port,...)");
    public static final Key<ClientProperties> CLIENT_PROPERTIES = Key.properties("kafka.properties")
            .doc("extra Kafka client properties for consumer and producer (security.protocol, sasl.*, ssl.*)");
    public static final Key<String> INPUT_TOPIC =
            Key.string("input.topic").required().doc("the private topic with raw event JSON");
    public static final Key<String> GROUP_ID =
            Key.string("input.group_id").defaultDoc("meshlens-redactor-<mesh>").doc("consumer group");
    public static final Key<String> OUTPUT_TOPIC =
            Key.string("output.topic").defaultDoc("meshlens.events.<mesh>").doc("shared topic");
    public static final Key<String> TRANSACTIONAL_ID = Key.string("output.transactional_id")
            .defaultDoc("meshlens-redactor-<mesh>")
            .doc("producer transactional.id; unique per running instance");
    public static final Key<String> DEAD_LETTER_TOPIC = Key.string("dead_letter.topic")
            .defaultValue("meshlens.deadletter.redactor")
            .doc("topic for records that are not valid events; holds RAW data: keep it as private as the input");
    public static final Key<String> POLICY = Key.string("redaction.policy")
            .doc("redaction policy file (relative to this file's folder); default: the shipped default policy");
    public static final Key<Duration> POLL_TIMEOUT = Key.duration("poll_timeout")
            .defaultValue(Duration.ofMillis(500))
            .validate(Validators.positive())
            .alias("poll_ms", ChronoUnit.MILLIS)
            .doc("consumer poll timeout");
    public static final Key<Integer> MAX_POLL_RECORDS = Key.integer("max_poll_records")
            .defaultValue(500)
            .validate(Validators.atLeast(1))
            .doc("records per transaction at most");
    public static final Key<Integer> METRICS_PORT = Key.integer("metrics.port")
            .defaultValue(-1)
            .validate(Validators.range(-1, 65535))
            .doc(
                    "port of the Prometheus /metrics and /healthz endpoint on all interfaces; -1 = off, 0 = any free port");

    /** Every key, in documentation order. */
    public static final ConfigDef DEF = ConfigDef.of(
            "redactor",
            "The Kafka-to-Kafka redaction stage (./meshlens redactor --config FILE).",
            List.of(
                    MESH,
                    BOOTSTRAP_SERVERS,
                    CLIENT_PROPERTIES,
                    INPUT_TOPIC,
                    GROUP_ID,
                    OUTPUT_TOPIC,
                    TRANSACTIONAL_ID,
                    DEAD_LETTER_TOPIC,
                    POLICY,
                    POLL_TIMEOUT,
                    MAX_POLL_RECORDS,
                    METRICS_PORT));

    /** Reads and validates a config file. */
    public static StageConfig load(Path file) {
        return new StageConfig(DEF.load(file), file.toAbsolutePath().getParent());
    }

    /** Parses and validates config text. */
    public static StageConfig parse(String text, String source, Path baseDir) {
        return new StageConfig(DEF.parse(text, source), baseDir);
    }

    public <T> T get(Key<T> key) {
        return settings.get(key);
    }

    public String mesh() {
        return get(MESH);
    }

    public String groupId() {
        String g = get(GROUP_ID);
        return g == null ? "meshlens-redactor-" + mesh() : g;
    }

    public String outputTopic() {
        String t = get(OUTPUT_TOPIC);
        return t == null ? "meshlens.events." + mesh() : t;
    }

    public String transactionalId() {
        String t = get(TRANSACTIONAL_ID);
        return t == null ? "meshlens-redactor-" + mesh() : t;
    }

    /** The policy path (resolved against the config file's folder), or null for the default policy. */
    public Path policyPath() {
        String p = get(POLICY);
        if (p == null || p.isEmpty()) {
            return null;
        }
        Path path = Path.of(p);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }

    /** Deprecated spellings that were accepted, each naming the new key. */
    public List<Problem> warnings() {
        return settings.warnings();
    }

    /** The resolved configuration, sorted, secrets as {@code [hidden]} (for the start-up log). */
    public List<String> describe() {
        return settings.describe().entrySet().stream()
                .map((Map.Entry<String, String> e) -> e.getKey() + " = " + e.getValue())
                .toList();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
