package dev.meshlens.query.config;

import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Secret;
import dev.meshlens.config.Settings;
import dev.meshlens.config.Validator;
import dev.meshlens.config.Validators;
import dev.meshlens.correlator.CorrelatorKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The query API's configuration keys: the one table its YAML file is checked against; docs/query-api.md and the
 * JSON Schema are generated from it. The Kafka and correlation keys are the correlator's own
 * ({@link CorrelatorKeys}), taken over as they are. The kebab-case names of the previous release are accepted,
 * with a warning naming the new key.
 */
public final class QueryApiKeys {
    private QueryApiKeys() {}

    /** The correlator's key: the stem of every Kafka name of the shared side ({@link dev.meshlens.correlator.KafkaNames}). */
    public static final Key<String> GROUP_ID = CorrelatorKeys.GROUP_ID;

    public static final Key<String> DEAD_LETTER_TOPIC = Key.string("kafka.dead_letter_topic")
            .defaultValue("meshlens.deadletter.ingest")
            .doc("topic for records that can never be indexed (reason in headers)");
    public static final Key<Duration> METADATA_MAX_AGE = Key.duration("kafka.metadata_max_age")
            .defaultValue(Duration.ofSeconds(30))
            .validate(Validators.positive())
            .doc("how often the topic pattern is re-evaluated (new meshes appear within this time)");

    public static final Key<Boolean> STATIC_MEMBERSHIP = Key.bool("kafka.static_membership")
            .defaultValue(false)
            .doc(
                    "join the consumer groups (ingest, correlator) as a static member (group.instance.id from"
                            + " kafka.instance_id): a restart within the session timeout gets its partitions back at once instead of"
                            + " after it. Only for instances with a stable name (a StatefulSet): a static member that stops does not"
                            + " leave its group, so under a Deployment (new pod names) its partitions wait out the session timeout");
    public static final Key<String> INSTANCE_ID = Key.string("kafka.instance_id")
            .doc("stable name of this instance for static membership; unique per replica. Default: env POD_NAME, else"
                    + " HOSTNAME, else the host name");
    public static final Key<Duration> INGEST_LAG_INTERVAL = Key.duration("ingest.lag_interval")
            .defaultValue(Duration.ofSeconds(15))
            .validate(Validators.positive())
            .doc(
                    "how often meshlens_ingest_lag_records is measured (the group's committed offsets against the log end)");

    public static final Key<List<String>> ES_URLS = Key.commaList("elasticsearch.urls")
            .required()
            .validate(Validators.each(Validators.HTTP_URL, "each http(s)://host:port"))
            .validate(l -> l.isEmpty() ? "list at least one endpoint" : null)
            .doc("Elasticsearch HTTP endpoints, e.g. [http://127.0.0.1:9200]");
    public static final Key<String> ES_USERNAME =
            Key.string("elasticsearch.username").doc("basic-auth user");
    public static final Key<Secret> ES_PASSWORD =
            Key.secret("elasticsearch.password").doc("basic-auth password");
    public static final Key<Secret> ES_API_KEY =
            Key.secret("elasticsearch.api_key").doc("Elasticsearch API key (base64 id:key), instead of user/password");
    public static final Key<String> ES_CA_FILE = Key.string("elasticsearch.ca_file")
            .doc("PEM file of the CA that signed the cluster's HTTP certificate (config/certs/http_ca.crt of a"
                    + " self-managed cluster, ca.crt of ECK's <cluster>-es-http-certs-public secret); trusted by this"
                    + " client only. Unset (and no ca_fingerprint): the JVM's default trust store");
    public static final Key<String> ES_CA_FINGERPRINT = Key.string("elasticsearch.ca_fingerprint")
            .validate(QueryApiKeys::fingerprint)
            .doc(
                    "instead of ca_file: SHA-256 fingerprint of that CA certificate as Elasticsearch prints it at first start"
                            + " (hex, colons allowed); the cluster must send the CA in its certificate chain, as an"
                            + " auto-configured cluster does");
    public static final Key<String> ES_INDEX_PREFIX = Key.string("elasticsearch.index_prefix")
            .defaultValue("meshlens")
            .doc("prefix of index names: <prefix>-events-YYYY.MM.DD, <prefix>-findings, <prefix>-findings-history");
    public static final Key<Integer> ES_REPLICAS = Key.integer("elasticsearch.replicas")
            .defaultValue(1)
            .validate(Validators.atLeast(0))
            .doc("number_of_replicas of new indices (0 on a single node)");
    public static final Key<Integer> ES_SHARDS = Key.integer("elasticsearch.shards")
            .defaultValue(1)
            .validate(Validators.atLeast(1))
            .doc("number_of_shards of new event indices");
    public static final Key<Duration> ES_REFRESH_INTERVAL = Key.duration("elasticsearch.refresh_interval")
            .defaultValue(Duration.ofSeconds(1))
            .doc("index.refresh_interval of new event indices (how soon events are" + " searchable)");

    public static final Key<Boolean> INGEST_ENABLED =
            Key.bool("ingest.enabled").defaultValue(true).doc("run the Kafka -> Elasticsearch ingest loops");
    public static final Key<Integer> INGEST_MAX_BATCH = Key.integer("ingest.max_batch")
            .defaultValue(2000)
            .validate(Validators.atLeast(1))
            .doc("max records per poll = per bulk request");
    public static final Key<Duration> INGEST_POLL_TIMEOUT = Key.duration("ingest.poll_timeout")
            .defaultValue(Duration.ofMillis(500))
            .validate(Validators.positive())
            .doc("Kafka poll timeout");
    public static final Key<Duration> INGEST_RETRY_BACKOFF = Key.duration("ingest.retry_backoff")
            .defaultValue(Duration.ofMillis(500))
            .validate(Validators.positive())
            .doc("first wait before retrying a failed bulk; doubles up to ingest.max_retry_backoff");
    public static final Key<Duration> INGEST_MAX_RETRY_BACKOFF = Key.duration("ingest.max_retry_backoff")
            .defaultValue(Duration.ofSeconds(10))
            .validate(Validators.positive())
            .doc("longest wait between retries");
    public static final Key<Integer> INGEST_DOCUMENT_RETRIES = Key.integer("ingest.document_retries")
            .defaultValue(5)
            .validate(Validators.atLeast(1))
            .doc("retries of a document Elasticsearch rejected with a retryable status before consumption pauses");
    public static final Key<Integer> INGEST_RETENTION_DAYS = Key.integer("ingest.retention_days")
            .defaultValue(30)
            .validate(Validators.atLeast(0))
            .doc("days a daily events or findings-history index is kept after its day: an index lifecycle (ILM) policy"
                    + " that Elasticsearch runs (0: no policy, nothing deleted)");
    public static final Key<Duration> INGEST_RETENTION_INTERVAL = Key.duration("ingest.retention_interval")
            .defaultValue(Duration.ofHours(1))
            .validate(Validators.positive())
            .doc(
                    "no longer used: Elasticsearch runs retention (the ILM policy meshlens-retention); accepted so older files load");
    public static final Key<Duration> INGEST_GAUGE_REFRESH = Key.duration("ingest.gauge_refresh_interval")
            .defaultValue(Duration.ofSeconds(30))
            .validate(Validators.positive())
            .doc("how often the findings/certificate/last-seen gauges are refreshed from Elasticsearch");

    public static final Key<Boolean> HTTP_ENABLED =
            Key.bool("http.enabled").defaultValue(true).doc("serve the HTTP API");
    public static final Key<String> HTTP_HOST =
            Key.string("http.host").defaultValue("0.0.0.0").doc("listen address");
    public static final Key<Integer> HTTP_PORT = Key.integer("http.port")
            .defaultValue(8080)
            .validate(Validators.port())
            .doc("listen port (0 = random)");
    public static final Key<Integer> HTTP_CERT_WARNING_DAYS = Key.integer("http.cert_warning_days")
            .defaultValue(30)
            .validate(Validators.atLeast(0))
            .doc("certificates expiring within this many days are listed");
    public static final Key<Duration> HTTP_BLIND_AFTER = Key.duration("http.blind_after")
            .defaultValue(Duration.ofMinutes(15))
            .validate(Validators.positive())
            .doc("a mesh with no event for this long is reported as blind/silent");

    public static final Key<Integer> TRUST_HORIZON_DAYS = Key.integer("trust.horizon_days")
            .defaultValue(30)
            .validate(Validators.atLeast(1))
            .doc(
                    "trust predictions (root/intermediate expiry) look this many days ahead; GET /api/v1/trust?horizon_days="
                            + " overrides");
    public static final Key<Duration> TRUST_STALE_AFTER = Key.duration("trust.stale_after")
            .defaultValue(Duration.ofHours(1))
            .validate(Validators.positive())
            .doc(
                    "a certificate chain not seen for this long before its mesh's newest /certs sighting is no longer in use");
    public static final Key<Duration> TRUST_CERTS_WINDOW = Key.duration("trust.certs_window")
            .defaultValue(Duration.ofHours(48))
            .validate(Validators.positive())
            .doc("how far back /certs events are read for the trust matrix (at least trust.stale_after)");
    public static final Key<Duration> TRUST_BUNDLE_HISTORY = Key.duration("trust.bundle_history")
            .defaultValue(Duration.ofDays(30))
            .validate(Validators.positive())
            .doc("how far back trust-bundle versions are read (how far back a cell's 'since' can see)");
    public static final Key<Duration> TRUST_TRAFFIC_WINDOW = Key.duration("trust.traffic_window")
            .defaultValue(Duration.ofHours(24))
            .validate(Validators.positive())
            .doc("successful requests in this window confirm (or contradict) trust-matrix cells");
    public static final Key<Duration> TRUST_REFRESH_INTERVAL = Key.duration("trust.refresh_interval")
            .defaultValue(Duration.ofSeconds(60))
            .validate(Validators.positive())
            .doc("how often the meshlens_trust_* gauges are recomputed from Elasticsearch (with ingest)");

    public static final Key<List<Settings>> TOKENS = Key.list("auth.tokens")
            .doc("bearer tokens: - {name: team-a, sha256: <hex of sha-256 of the token>, meshes: [mesh-a]} or {name:"
                    + " oncall, sha256: ..., admin: true}");
    public static final Key<String> TOKEN_NAME = Key.string("auth.tokens[].name")
            .required()
            .validate(Validators.notBlank())
            .doc("the token's name (shown in logs)");
    public static final Key<Secret> TOKEN_SHA256 = Key.secret("auth.tokens[].sha256")
            .required()
            .validate(sha256())
            .doc(
                    "SHA-256 of the token in hex, e.g. printf %s \"$TOKEN\" | sha256sum (the token itself is never stored)");
    public static final Key<List<String>> TOKEN_MESHES =
            Key.commaList("auth.tokens[].meshes").doc("meshes this token may read");
    public static final Key<Boolean> TOKEN_ADMIN =
            Key.bool("auth.tokens[].admin").defaultValue(false).doc("may read every mesh");

    public static final Key<Boolean> CORRELATION_ENABLED = Key.bool("correlation.enabled")
            .defaultValue(true)
            .doc("run the correlator in this process (set false when it runs as ./meshlens correlator)");
    public static final Key<String> SERVICE_NAME = Key.string("telemetry.service_name")
            .defaultValue("meshlens-query-api")
            .doc("OpenTelemetry service.name");

    /** The table, in documentation order. */
    public static final ConfigDef DEF = ConfigDef.of(
                    "query-api", "The query API (./meshlens query-api --config FILE).", keys())
            .withKebabAliases()
            .check(QueryApiKeys::crossChecks)
            .check(CorrelatorKeys::graceNotNegative);

    private static List<Key<?>> keys() {
        List<Key<?>> k = new ArrayList<>();
        k.add(CorrelatorKeys.BOOTSTRAP_SERVERS);
        k.addAll(List.of(
                GROUP_ID,
                CorrelatorKeys.EVENTS_TOPIC_PATTERN,
                CorrelatorKeys.FINDINGS_TOPIC,
                DEAD_LETTER_TOPIC,
                METADATA_MAX_AGE,
                STATIC_MEMBERSHIP,
                INSTANCE_ID,
                INGEST_LAG_INTERVAL,
                CorrelatorKeys.KAFKA_PROPERTIES,
                ES_URLS,
                ES_USERNAME,
                ES_PASSWORD,
                ES_API_KEY,
                ES_CA_FILE,
                ES_CA_FINGERPRINT,
                ES_INDEX_PREFIX,
                ES_REPLICAS,
                ES_SHARDS,
                ES_REFRESH_INTERVAL,
                INGEST_ENABLED,
                INGEST_MAX_BATCH,
                INGEST_POLL_TIMEOUT,
                INGEST_RETRY_BACKOFF,
                INGEST_MAX_RETRY_BACKOFF,
                INGEST_DOCUMENT_RETRIES,
                INGEST_RETENTION_DAYS,
                INGEST_RETENTION_INTERVAL,
                INGEST_GAUGE_REFRESH,
                HTTP_ENABLED,
                HTTP_HOST,
                HTTP_PORT,
                HTTP_CERT_WARNING_DAYS,
                HTTP_BLIND_AFTER,
                TRUST_HORIZON_DAYS,
                TRUST_STALE_AFTER,
                TRUST_CERTS_WINDOW,
                TRUST_BUNDLE_HISTORY,
                TRUST_TRAFFIC_WINDOW,
                TRUST_REFRESH_INTERVAL,
                TOKENS,
                TOKEN_NAME,
                TOKEN_SHA256,
                TOKEN_MESHES,
                TOKEN_ADMIN,
                CORRELATION_ENABLED));
        for (Key<?> c : CorrelatorKeys.KEYS) {
            if (!k.contains(c)) {
                k.add(c);
            }
        }
        k.add(SERVICE_NAME);
        return k;
    }

    private static void crossChecks(Settings s, List<Problem> problems) {
        if (s.get(TRUST_CERTS_WINDOW).compareTo(s.get(TRUST_STALE_AFTER)) < 0) {
            problems.add(new Problem(
                    s.line(TRUST_CERTS_WINDOW),
                    TRUST_CERTS_WINDOW.name(),
                    "Invalid value for" + " configuration trust.certs_window: shorter than trust.stale_after",
                    "read at least as far back as a" + " chain stays in use"));
        }
        if (s.get(ES_PASSWORD) != null && s.get(ES_USERNAME) == null) {
            problems.add(new Problem(
                    s.line(ES_PASSWORD),
                    ES_PASSWORD.name(),
                    "configuration elasticsearch.password is set" + " but elasticsearch.username is not",
                    "set both"));
        }
        if (s.get(ES_CA_FILE) != null && s.get(ES_CA_FINGERPRINT) != null) {
            problems.add(new Problem(
                    s.line(ES_CA_FINGERPRINT),
                    ES_CA_FINGERPRINT.name(),
                    "configuration elasticsearch.ca_file and elasticsearch.ca_fingerprint are both set",
                    "set one: the CA file, or the fingerprint of that CA"));
        }
        Set<String> names = new HashSet<>();
        for (Settings t : s.get(TOKENS)) {
            if (!names.add(t.get(TOKEN_NAME))) {
                problems.add(new Problem(
                        t.line(TOKEN_NAME),
                        TOKEN_NAME.name(),
                        "duplicate token name '" + t.get(TOKEN_NAME) + "' at " + t.shown(TOKEN_NAME),
                        "names must be unique"));
            }
            if (!t.get(TOKEN_ADMIN)
                    && (t.get(TOKEN_MESHES) == null || t.get(TOKEN_MESHES).isEmpty())) {
                problems.add(new Problem(
                        t.line(TOKEN_NAME),
                        TOKEN_MESHES.name(),
                        "Missing value for configuration " + t.shown(TOKEN_MESHES),
                        "grant at least one mesh, or set admin: true"));
            }
        }
    }

    /** 64 hex digits, colons between bytes allowed ({@code openssl x509 -fingerprint -sha256} prints them). */
    private static String fingerprint(String f) {
        return f.strip().replace(":", "").toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")
                ? null
                : "expected the SHA-256 fingerprint of the CA certificate: 64 hex digits, colons allowed (Elasticsearch"
                        + " prints it at first start; openssl x509 -in http_ca.crt -noout -fingerprint -sha256)";
    }

    private static Validator<Secret> sha256() {
        return s -> s.reveal().trim().toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")
                ? null
                : "expected 64 hex characters (store the SHA-256 of the token, e.g. printf %s \"$TOKEN\" | sha256sum)";
    }
}
