package dev.meshlens.query.config;

import static dev.meshlens.query.config.QueryApiKeys.*;

import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Settings;
import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.correlator.KafkaNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The query API's validated configuration: the YAML file checked against {@link QueryApiKeys#DEF} (every problem at
 * once, with line and fix, in a {@link dev.meshlens.config.ConfigException}), read with its typed keys.
 */
public final class QueryApiConfig {
    /** One API token as configured (hash only; the token itself is never stored). */
    public record ApiToken(String name, String sha256, Set<String> meshes, boolean admin) {
        @Override
        public String toString() {
            return "{name=" + name + ", sha256=[hidden], " + (admin ? "admin" : "meshes=" + meshes) + "}";
        }
    }

    private final Settings settings;

    private QueryApiConfig(Settings settings) {
        this.settings = settings;
    }

    public static QueryApiConfig load(Path file) {
        return new QueryApiConfig(DEF.load(file));
    }

    /** Parses and validates YAML text. */
    public static QueryApiConfig parse(String yamlText) {
        return new QueryApiConfig(DEF.parse(yamlText, "query-api configuration"));
    }

    public <T> T get(Key<T> key) {
        return settings.get(key);
    }

    public Settings settings() {
        return settings;
    }

    /** Deprecated spellings that were accepted, each naming the new key. */
    public List<Problem> warnings() {
        return settings.warnings();
    }

    /** A copy with one value replaced (tests, benchmarks); the key's rules apply at once. */
    public <T> QueryApiConfig with(Key<T> key, T value) {
        return new QueryApiConfig(settings.with(key, value));
    }

    /** The Kafka names of the ingest loops and the correlator, derived from {@code kafka.group_id}. */
    public KafkaNames kafkaNames() {
        return KafkaNames.of(settings);
    }

    /**
     * The correlator's configuration inside the query API. Its main consumer re-reads the topic pattern every
     * {@code kafka.metadata_max_age} like ingest does (its own default is 5 minutes: a new mesh would be indexed but not
     * correlated for that long); a static member's {@code group.instance.id} (Kafka Streams appends the thread index).
     */
    public CorrelationConfig correlation() {
        Map<String, String> more = new HashMap<>();
        more.put(
                "main.consumer.metadata.max.age.ms",
                Long.toString(get(METADATA_MAX_AGE).toMillis()));
        GroupMembership.instanceId(get(STATIC_MEMBERSHIP), get(INSTANCE_ID))
                .ifPresent(id -> more.put("main.consumer.group.instance.id", id + "-correlator"));
        return new CorrelationConfig(settings).withClientProperties(more);
    }

    public List<ApiToken> tokens() {
        List<ApiToken> out = new ArrayList<>();
        for (Settings t : settings.get(TOKENS)) {
            List<String> meshes = t.get(TOKEN_MESHES);
            out.add(new ApiToken(
                    t.get(TOKEN_NAME),
                    t.get(TOKEN_SHA256).reveal().trim().toLowerCase(Locale.ROOT),
                    Set.copyOf(new LinkedHashSet<>(meshes == null ? List.of() : meshes)),
                    t.get(TOKEN_ADMIN)));
        }
        return List.copyOf(out);
    }

    /** The resolved configuration, sorted by key, secrets as [hidden]; one "key = value" per line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : settings.describe().entrySet()) {
            sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
