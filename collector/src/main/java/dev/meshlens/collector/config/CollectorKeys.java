package dev.meshlens.collector.config;

import dev.meshlens.collector.event.LocalIdentity;
import dev.meshlens.collector.format.FormatException;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.config.ClientProperties;
import dev.meshlens.config.ConfigDef;
import dev.meshlens.config.Key;
import dev.meshlens.config.Problem;
import dev.meshlens.config.Secret;
import dev.meshlens.config.Settings;
import dev.meshlens.config.Validator;
import dev.meshlens.config.Validators;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.mesh.EnvoyProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The collector's configuration keys: the one table its YAML file is checked against and its docs section
 * (docs/collector.md) and JSON Schema are generated from. {@code []} in a name stands for any list index.
 */
public final class CollectorKeys {
    private CollectorKeys() {}

    public static final Key<String> MESH_ID = Key.string("mesh.id")
            .required()
            .validate(Validators.notBlank())
            .doc("mesh id; names the topic meshlens.events.<id>");
    public static final Key<String> MESH_KIND = Key.oneOf("mesh.kind", MeshProfiles.names())
            .defaultValue(EnvoyProfile.NAME)
            .doc("mesh kind (its profile: SPIFFE template, presets, names, remediation; docs/mesh-profiles.md)");
    public static final Key<String> MESH_CLUSTER =
            Key.string("mesh.cluster").doc("Kubernetes cluster or Consul datacenter name");

    public static final Key<List<Settings>> FILES = Key.list("sources.files").doc("access-log files to follow");
    public static final Key<List<String>> FILE_GLOBS = Key.strings("sources.files[].globs")
            .required()
            .validate(nonEmpty())
            .doc("file globs, e.g. /var/log/containers/*istio-proxy*.log; a part written {name} (e.g."
                    + " /var/log/pods/*_{service}-*/istio-proxy/*.log) matches like * and names the Envoy that wrote the file"
                    + " in identity_template");
    public static final Key<Object> FILE_FORMAT = Key.any("sources.files[].format", Formats.SCHEMA)
            .defaultValue("istio")
            .validate(Formats.VALIDATOR)
            .doc("a preset (" + String.join(", ", Formats.presetNames())
                    + "), an Envoy format string, a map of JSON key"
                    + " to operator, a list of these tried in order (the first that fits a line wins), or auto (detect each"
                    + " line's kind, as explain does)");
    public static final Key<Boolean> FILE_UNWRAP = Key.bool("sources.files[].unwrap_container")
            .defaultValue(true)
            .doc("unwrap CRI / Docker JSON container-runtime lines");
    public static final Key<String> FILE_IDENTITY_FROM_PATH = Key.string("sources.files[].identity_from_path")
            .doc(
                    "regex with named groups found in each file's path, e.g. /var/log/pods/(?<namespace>[^_/]+)_(?<workload>"
                            + "[a-z0-9-]+?)(-[a-z0-9]{8,10})?-[a-z0-9]{5}_; names the Envoy that wrote the file (a {name} part of"
                            + " the globs does the same without a regex)");
    public static final Key<String> FILE_IDENTITY_TEMPLATE = Key.string("sources.files[].identity_template")
            .doc("SPIFFE ID of that Envoy from the groups or glob parts, e.g. spiffe://cluster.local/ns/{namespace}/sa/"
                    + "{workload}; used as local_uri_san when a line has none");
    public static final Key<String> FILE_GATEWAY_FROM_PATH = Key.string("sources.files[].gateway_from_path")
            .validate(Validators.regex("^/var/log/pods/[^/]*gateway"))
            .doc(
                    "regex found in the path of files written by gateways, e.g. ^/var/log/pods/[^/]*gateway; the source's"
                            + " other files are sidecars. A sidecar's inbound NR filter_chain_not_found without SNI is then a"
                            + " plaintext client (PLAINTEXT_MISMATCH), a gateway's stays NO_ROUTE; unset: only the line decides");
    public static final Key<String> CHECKPOINT_DIR = Key.string("sources.checkpoint_dir")
            .defaultValue("/var/lib/meshlens/checkpoints")
            .doc("where file offsets are kept");
    public static final Key<Integer> MAX_LINE_BYTES = Key.integer("sources.max_line_bytes")
            .defaultValue(65536)
            .validate(Validators.atLeast(1))
            .doc("lines longer than this are cut and counted");
    public static final Key<Duration> POLL_INTERVAL = Key.duration("sources.poll_interval")
            .defaultValue(Duration.ofMillis(250))
            .validate(Validators.positive())
            .alias("sources.poll_interval_ms", ChronoUnit.MILLIS)
            .doc("how often files are checked for new lines");

    public static final Key<Boolean> OTLP_ENABLED =
            Key.bool("sources.otlp.enabled").defaultValue(false).doc("run the OTLP/HTTP logs receiver");
    public static final Key<String> OTLP_HOST =
            Key.string("sources.otlp.host").defaultValue("0.0.0.0").doc("listen address");
    public static final Key<Integer> OTLP_PORT = Key.integer("sources.otlp.port")
            .defaultValue(4318)
            .validate(Validators.port())
            .doc("listen port (0 picks one)");
    public static final Key<Boolean> OTLP_GRPC = Key.bool("sources.otlp.grpc")
            .defaultValue(true)
            .doc(
                    "also run the OTLP/gRPC receiver (what Envoy's OpenTelemetry access logger and Istio's envoyOtelAls send)");
    public static final Key<Integer> OTLP_GRPC_PORT = Key.integer("sources.otlp.grpc_port")
            .defaultValue(4317)
            .validate(Validators.port())
            .doc("OTLP/gRPC listen port (0 picks one)");
    public static final Key<Object> OTLP_FORMAT = Key.any("sources.otlp.format", Formats.SCHEMA)
            .defaultValue("istio")
            .validate(Formats.VALIDATOR)
            .doc(
                    "format of the log record body: as sources.files[].format (one format, a list tried in order, or auto)");

    public static final Key<List<Settings>> ADMIN = Key.list("sources.admin").doc("Envoy admin endpoints to poll");
    public static final Key<String> ADMIN_URL =
            Key.string("sources.admin[].url").required().doc("admin base URL, e.g. http://127.0.0.1:15000");
    public static final Key<Duration> ADMIN_INTERVAL = Key.duration("sources.admin[].interval")
            .defaultValue(Duration.ofSeconds(30))
            .validate(Validators.positive())
            .alias("sources.admin[].interval_seconds", ChronoUnit.SECONDS)
            .doc("poll interval");
    public static final Key<String> ADMIN_LOCAL_IDENTITY = Key.string("sources.admin[].local_identity")
            .validate(spiffeId())
            .doc("SPIFFE ID of the Envoy behind this endpoint, e.g. spiffe://cluster.local/ns/istio-system/sa/"
                    + "istio-eastwestgateway-service-account; local_uri_san of its ssl.* deltas and /certs events, so they"
                    + " pair with the other side's half");
    public static final Key<String> ADMIN_WORKLOAD = Key.string("sources.admin[].workload")
            .doc(
                    "workload (service) name of that Envoy, e.g. istio-eastwestgateway; the workload attribute of its events"
                            + " (the identity used when no SPIFFE ID is known)");

    public static final Key<List<Settings>> TRUST_BUNDLES =
            Key.list("sources.trust_bundles").doc("trust bundles to report");
    public static final Key<String> BUNDLE_PATH =
            Key.string("sources.trust_bundles[].path").doc("PEM file or directory (e.g. Istio root-cert.pem)");
    public static final Key<String> BUNDLE_CONSUL_URL = Key.string("sources.trust_bundles[].consul_url")
            .validate(Validators.HTTP_URL::apply)
            .doc("Consul HTTP(S) address, e.g. https://consul-server.consul:8501; reads /v1/connect/ca/roots");
    public static final Key<String> BUNDLE_CA_FILE = Key.string("sources.trust_bundles[].ca_file")
            .doc("PEM file of the CA that signed Consul's HTTPS certificate (port 8501: Consul's own CA, e.g."
                    + " consul-agent-ca.pem, or tls.crt of the Consul Helm chart's <release>-consul-ca-cert secret);"
                    + " trusted by this poll only. Unset: the JVM's default trust store");
    public static final Key<Secret> BUNDLE_TOKEN =
            Key.secret("sources.trust_bundles[].token").doc("Consul ACL token, sent as X-Consul-Token");
    public static final Key<Duration> BUNDLE_INTERVAL = Key.duration("sources.trust_bundles[].interval")
            .defaultValue(Duration.ofMinutes(5))
            .validate(Validators.positive())
            .alias("sources.trust_bundles[].interval_seconds", ChronoUnit.SECONDS)
            .doc("re-read interval");

    public static final Key<Boolean> PUBLISH_SUCCESSES = Key.bool("pipeline.publish_successes")
            .defaultValue(true)
            .doc("publish events for lines without failure (needed to see a pair recover)");
    public static final Key<Duration> SUCCESS_ROLLUP = Key.duration("pipeline.success_rollup")
            .defaultValue(Duration.ofSeconds(10))
            .alias("pipeline.success_rollup_seconds", ChronoUnit.SECONDS)
            .doc("roll successful requests up per Envoy, peer and outcome into one event with a count per this interval"
                    + " (failures stay one event each); 0s publishes every success as its own event");

    public static final Key<String> POLICY_FILE =
            Key.string("redaction.policy_file").doc("redaction policy YAML; default: the built-in default policy");
    public static final Key<Secret> HASH_KEY = Key.secret("redaction.hash_key")
            .doc("the shared HMAC key for keyed hashing (every mesh that correlates hashed values uses the same)");

    public static final Key<String> BOOTSTRAP_SERVERS =
            Key.string("kafka.bootstrap_servers").required().doc("bootstrap servers, host:port[,host:port]");
    public static final Key<String> TOPIC =
            Key.string("kafka.topic").defaultDoc("meshlens.events.<mesh.id>").doc("topic the events are published to");
    public static final Key<Boolean> CREATE_TOPIC =
            Key.bool("kafka.create_topic").defaultValue(false).doc("create the topic at start when missing");
    public static final Key<Integer> PARTITIONS = Key.integer("kafka.partitions")
            .defaultValue(3)
            .validate(Validators.atLeast(1))
            .doc("partitions of a created topic");
    public static final Key<Integer> REPLICATION_FACTOR = Key.integer("kafka.replication_factor")
            .defaultValue(1)
            .validate(Validators.range(1, Short.MAX_VALUE))
            .doc("replication factor of a created topic");
    public static final Key<Duration> DELIVERY_TIMEOUT = Key.duration("kafka.delivery_timeout")
            .defaultValue(Duration.ofSeconds(15))
            .validate(Validators.positive())
            .alias("kafka.delivery_timeout_ms", ChronoUnit.MILLIS)
            .doc("a send slower than this is spooled");
    public static final Key<Integer> MAX_IN_FLIGHT = Key.integer("kafka.max_in_flight")
            .defaultValue(10000)
            .validate(Validators.atLeast(1))
            .doc("bound on unacknowledged events (back-pressure)");
    public static final Key<ClientProperties> KAFKA_PROPERTIES = Key.properties("kafka.properties")
            .alias("kafka.producer")
            .doc("extra producer properties (security.protocol, sasl.*, ssl.*)");

    public static final Key<String> SPOOL_DIR = Key.string("spool.dir")
            .defaultValue("/var/lib/meshlens/spool")
            .doc("spool folder (disk spool while Kafka is unreachable)");
    public static final Key<Long> SPOOL_MAX_BYTES = Key.longKey("spool.max_bytes")
            .defaultValue(536870912L)
            .validate(Validators.atLeast(0))
            .doc(
                    "spool bound; the smaller of this and what the filesystem can take (less spool.min_free_bytes) applies;"
                            + " when full, sources wait (nothing is dropped)");
    public static final Key<Long> SPOOL_MIN_FREE_BYTES = Key.longKey("spool.min_free_bytes")
            .defaultValue(1048576L)
            .validate(Validators.atLeast(0))
            .doc("bytes the spool leaves free on its filesystem; raise it when the spool shares a volume with other"
                    + " writers");

    public static final Key<String> DEAD_LETTER_FILE = Key.string("dead_letter.file")
            .defaultValue("/var/lib/meshlens/dead-letters.jsonl")
            .doc("samples of lines that did not fit (stays local)");
    public static final Key<Long> DEAD_LETTER_MAX_BYTES = Key.longKey("dead_letter.max_bytes")
            .defaultValue(10485760L)
            .validate(Validators.atLeast(0))
            .doc("sample file bound");

    public static final Key<String> HTTP_HOST =
            Key.string("http.host").defaultValue("0.0.0.0").doc("listen address of /metrics, /healthz, /readyz");
    public static final Key<Integer> HTTP_PORT = Key.integer("http.port")
            .defaultValue(9464)
            .validate(Validators.port())
            .doc("listen port (0 picks one)");

    /** The table, in documentation order. */
    public static final ConfigDef DEF = ConfigDef.of(
                    "collector",
                    "The per-mesh collector (./meshlens collector --config FILE).",
                    List.of(
                            MESH_ID,
                            MESH_KIND,
                            MESH_CLUSTER,
                            FILES,
                            FILE_GLOBS,
                            FILE_FORMAT,
                            FILE_UNWRAP,
                            FILE_IDENTITY_FROM_PATH,
                            FILE_IDENTITY_TEMPLATE,
                            FILE_GATEWAY_FROM_PATH,
                            CHECKPOINT_DIR,
                            MAX_LINE_BYTES,
                            POLL_INTERVAL,
                            OTLP_ENABLED,
                            OTLP_HOST,
                            OTLP_PORT,
                            OTLP_GRPC,
                            OTLP_GRPC_PORT,
                            OTLP_FORMAT,
                            ADMIN,
                            ADMIN_URL,
                            ADMIN_INTERVAL,
                            ADMIN_LOCAL_IDENTITY,
                            ADMIN_WORKLOAD,
                            TRUST_BUNDLES,
                            BUNDLE_PATH,
                            BUNDLE_CONSUL_URL,
                            BUNDLE_CA_FILE,
                            BUNDLE_TOKEN,
                            BUNDLE_INTERVAL,
                            PUBLISH_SUCCESSES,
                            SUCCESS_ROLLUP,
                            POLICY_FILE,
                            HASH_KEY,
                            BOOTSTRAP_SERVERS,
                            TOPIC,
                            CREATE_TOPIC,
                            PARTITIONS,
                            REPLICATION_FACTOR,
                            DELIVERY_TIMEOUT,
                            MAX_IN_FLIGHT,
                            KAFKA_PROPERTIES,
                            SPOOL_DIR,
                            SPOOL_MAX_BYTES,
                            SPOOL_MIN_FREE_BYTES,
                            DEAD_LETTER_FILE,
                            DEAD_LETTER_MAX_BYTES,
                            HTTP_HOST,
                            HTTP_PORT))
            .check(CollectorKeys::fileIdentities)
            .check(CollectorKeys::bundleSources);

    private static void fileIdentities(Settings s, List<Problem> problems) {
        for (Settings f : s.get(FILES)) {
            String pattern = f.get(FILE_IDENTITY_FROM_PATH);
            String template = f.get(FILE_IDENTITY_TEMPLATE);
            List<String> globs = f.get(FILE_GLOBS) == null ? List.of() : f.get(FILE_GLOBS);
            List<String> globParts = GlobIdentity.parts(globs);
            String at = f.shown(FILE_IDENTITY_TEMPLATE);
            if (pattern != null && !globParts.isEmpty()) {
                problems.add(new Problem(
                        f.line(FILE_IDENTITY_FROM_PATH),
                        FILE_IDENTITY_FROM_PATH.name(),
                        f.shown(FILE_IDENTITY_FROM_PATH) + " and a {name} part in the globs both name the Envoy",
                        "keep one of them (the glob part is shorter)"));
            } else if (pattern == null && globParts.isEmpty() && template != null) {
                problems.add(new Problem(
                        f.line(FILE_IDENTITY_TEMPLATE),
                        FILE_IDENTITY_TEMPLATE.name(),
                        at + " is set but nothing names its parts",
                        "set identity_from_path too, or write a {name} part in the" + " globs"));
            } else if ((pattern != null || !globParts.isEmpty()) && template == null) {
                problems.add(new Problem(
                        f.line(pattern != null ? FILE_IDENTITY_FROM_PATH : FILE_GLOBS),
                        FILE_IDENTITY_TEMPLATE.name(),
                        "Missing configuration " + at,
                        "set identity_from_path (or the {name}"
                                + " parts of the globs) and identity_template together, e.g. spiffe://cluster.local/ns/default/sa/{"
                                + (globParts.isEmpty() ? "workload" : globParts.get(0)) + "}"));
            } else if (template != null) {
                String regex = pattern != null ? pattern : GlobIdentity.regex(globs);
                for (String p : LocalIdentity.problems(regex, template)) {
                    problems.add(new Problem(
                            f.line(FILE_IDENTITY_TEMPLATE),
                            FILE_IDENTITY_TEMPLATE.name(),
                            "Invalid value for configuration " + at + ": " + p,
                            "name only parts the path pattern has"));
                }
            }
        }
    }

    private static void bundleSources(Settings s, List<Problem> problems) {
        for (Settings tb : s.get(TRUST_BUNDLES)) {
            if (tb.get(BUNDLE_PATH) == null && tb.get(BUNDLE_CONSUL_URL) == null) {
                problems.add(new Problem(
                        0,
                        TRUST_BUNDLES.name(),
                        tb.shown(BUNDLE_PATH).replace(".path", "") + " needs either path or consul_url",
                        "set path (a PEM file) or consul_url"));
            }
            if (tb.get(BUNDLE_CA_FILE) != null && tb.get(BUNDLE_CONSUL_URL) == null) {
                problems.add(new Problem(
                        tb.line(BUNDLE_CA_FILE),
                        BUNDLE_CA_FILE.name(),
                        tb.shown(BUNDLE_CA_FILE) + " is set but consul_url is not: a CA is only used for an HTTPS"
                                + " roots API",
                        "set consul_url (https://...:8501), or remove ca_file"));
            }
        }
    }

    private static Validator<List<String>> nonEmpty() {
        return l -> l.isEmpty() ? "expected a non-empty list of strings" : null;
    }

    private static Validator<String> spiffeId() {
        return id -> SpiffeId.tryParse(id) != null
                ? null
                : "expected the SPIFFE ID of the Envoy behind this admin endpoint, e.g."
                        + " spiffe://cluster.local/ns/<namespace>/sa/<service-account> (Istio) or"
                        + " spiffe://<uuid>.consul/ns/<namespace>/dc/<dc>/svc/<service> (Consul); put a plain name in workload";
    }

    /** The format value rule, shared by file and OTLP sources. */
    static final class Formats {
        static final Map<String, Object> SCHEMA = dev.meshlens.config.JsonSchema.ordered(
                "type", List.of("string", "object", "array"),
                "items", dev.meshlens.config.JsonSchema.ordered("type", List.of("string", "object")));

        static final Validator<Object> VALIDATOR = v -> {
            String shape = CollectorConfig.formatShapeProblem(v);
            if (shape != null) {
                return shape;
            }
            if (v instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    if (CollectorConfig.AUTO.equals(l.get(i))) {
                        return "item " + i
                                + ": auto detects every line's kind on its own; write format: auto instead of a list";
                    }
                    try {
                        CollectorConfig.toFormat(l.get(i));
                    } catch (FormatException ex) {
                        return "item " + i + ": " + ex.getMessage();
                    }
                }
                return null;
            }
            try {
                CollectorConfig.toFormats(v);
                return null;
            } catch (FormatException ex) {
                return ex.getMessage() + (v instanceof String ? " (or auto, to detect each line's kind)" : "");
            }
        };

        static List<String> presetNames() {
            return Presets.NAMES;
        }
    }
}
