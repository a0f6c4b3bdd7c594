package dev.meshlens.query.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Explicit mappings of the meshlens indices (dynamic mapping is off: unknown fields stay in
 * {@code _source} but are not indexed, so a new writer can never explode or break a mapping).
 * Free-text search goes through {@code search_text}, filled by {@code copy_to}.
 */
public final class Mappings {
    private static final ObjectMapper M = new ObjectMapper();
    static final int IGNORE_ABOVE = 2048;

    private Mappings() {}

    static final List<String> SEARCHABLE = List.of(
            "requested_server_name",
            "authority",
            "response_code_details",
            "connection_termination_details",
            "upstream_transport_failure_reason",
            "downstream_transport_failure_reason",
            "upstream_cluster",
            "local_uri_san",
            "peer_uri_san",
            "destination_service");

    /** The composable index template body for {@code <prefix>-events-*}. */
    public static ObjectNode eventsTemplate(
            IndexNames names, int shards, int replicas, String refreshInterval, boolean retention) {
        ObjectNode root = M.createObjectNode();
        root.putArray("index_patterns").add(names.eventsPattern());
        root.put("priority", 200);
        ObjectNode meta = root.putObject("_meta");
        meta.put("managed_by", "meshlens-query-api");
        meta.put("schema", 1);
        ObjectNode template = root.putObject("template");
        ObjectNode settings = template.putObject("settings");
        settings.put("number_of_shards", shards);
        settings.put("number_of_replicas", replicas);
        settings.put("refresh_interval", refreshInterval);
        if (retention) {
            lifecycle(settings, names);
        }
        template.set("mappings", eventMappings());
        return root;
    }

    /**
     * Daily indices under the retention policy, aged from the day in their name rather than from their
     * creation: an index created today for events of an old day (a replay) is as old as its day.
     */
    static void lifecycle(ObjectNode settings, IndexNames names) {
        settings.put("index.lifecycle.name", names.retentionPolicy());
        settings.put("index.lifecycle.parse_origination_date", true);
    }

    /** The ILM policy: delete a daily index {@code days} days after its day. Nothing else (no rollover). */
    public static ObjectNode retentionPolicy(int days) {
        ObjectNode root = M.createObjectNode();
        ObjectNode policy = root.putObject("policy");
        policy.putObject("_meta").put("managed_by", "meshlens-query-api");
        ObjectNode delete = policy.putObject("phases").putObject("delete");
        delete.put("min_age", days + "d");
        delete.putObject("actions").putObject("delete");
        return root;
    }

    /**
     * The composable template of the daily {@code <prefix>-rollups-*} indices (diagnose's roll-ups, see
     * {@code dev.meshlens.query.rollup}): same shards, refresh and retention as the events they summarise.
     * {@code offsets} (per partition, the highest Kafka offset counted) is kept in {@code _source} only.
     */
    public static ObjectNode rollupsTemplate(
            IndexNames names, int shards, int replicas, String refreshInterval, boolean retention) {
        ObjectNode root = M.createObjectNode();
        root.putArray("index_patterns").add(names.rollupsPattern());
        root.put("priority", 200);
        root.putObject("_meta").put("managed_by", "meshlens-query-api");
        ObjectNode template = root.putObject("template");
        ObjectNode settings = template.putObject("settings");
        settings.put("number_of_shards", shards);
        settings.put("number_of_replicas", replicas);
        settings.put("refresh_interval", refreshInterval);
        if (retention) {
            lifecycle(settings, names);
        }
        ObjectNode mappings = template.putObject("mappings");
        mappings.put("dynamic", false);
        ObjectNode p = mappings.putObject("properties");
        for (String k : List.of(
                "kind",
                "mesh_id",
                "observer_role",
                "client_service",
                "server_service",
                "service",
                "trust_domain",
                "category")) {
            keyword(p, k);
        }
        p.putObject("bucket").put("type", "date");
        p.putObject("first_seen").put("type", "date");
        p.putObject("last_seen").put("type", "date");
        p.putObject("failure").put("type", "boolean");
        p.putObject("count").put("type", "long");
        p.putObject("offsets").put("type", "object").put("enabled", false);
        return root;
    }

    /** The {@code <prefix>-meta} index: a few documents of meshlens' own state, nothing searched. */
    public static ObjectNode metaIndex(int replicas) {
        ObjectNode root = M.createObjectNode();
        ObjectNode settings = root.putObject("settings");
        settings.put("number_of_shards", 1);
        settings.put("number_of_replicas", replicas);
        ObjectNode mappings = root.putObject("mappings");
        mappings.put("dynamic", false);
        mappings.putObject("properties").putObject("rollups_since").put("type", "date");
        return root;
    }

    /** The composable template of the daily {@code <prefix>-findings-history-*} indices. */
    public static ObjectNode findingsHistoryTemplate(IndexNames names, int replicas, boolean retention) {
        ObjectNode body = findingsHistoryIndex(replicas);
        ObjectNode root = M.createObjectNode();
        root.putArray("index_patterns").add(names.findingsHistoryPattern());
        root.put("priority", 200);
        root.putObject("_meta").put("managed_by", "meshlens-query-api");
        ObjectNode template = root.putObject("template");
        ObjectNode settings = (ObjectNode) body.get("settings");
        if (retention) {
            lifecycle(settings, names);
        }
        template.set("settings", settings);
        template.set("mappings", body.get("mappings"));
        return root;
    }

    static ObjectNode eventMappings() {
        ObjectNode mappings = M.createObjectNode();
        mappings.put("dynamic", "false");
        ObjectNode p = mappings.putObject("properties");
        p.putObject("schema_version").put("type", "integer");
        for (String k : List.of(
                "event_id",
                "mesh_id",
                "mesh_kind",
                "cluster",
                "source_kind",
                "direction",
                "observer_role",
                "downstream_remote_address",
                "downstream_local_address",
                "upstream_host",
                "upstream_local_address",
                "method",
                "protocol",
                "request_id",
                "forwarded_for",
                "response_flags",
                "peer_issuer",
                "peer_subject",
                "tls_version",
                "user_agent",
                "path",
                "client_service",
                "server_service",
                "category",
                "trust_domain",
                "trace_id")) {
            keyword(p, k);
        }
        for (String k : SEARCHABLE) {
            keyword(p, k).putArray("copy_to").add("search_text").add("search_words");
        }
        p.putObject("observed_time").put("type", "date");
        p.putObject("ingested_at").put("type", "date");
        p.putObject("response_code").put("type", "integer");
        for (String k : List.of("duration_ms", "bytes_received", "bytes_sent")) {
            p.putObject(k).put("type", "long");
        }
        p.putObject("failure").put("type", "boolean");
        p.putObject("search_text").put("type", "text");
        // the simple analyzer splits TLSV1_ALERT_UNKNOWN_CA into words, so q=UNKNOWN_CA finds it
        p.putObject("search_words").put("type", "text").put("analyzer", "simple");

        ObjectNode tls = obj(p, "tls");
        keyword(tls, "category");
        keyword(tls, "rejected_by");
        keyword(tls, "reason").putArray("copy_to").add("search_text").add("search_words");
        tls.putObject("code").put("type", "long");
        keyword(tls, "detail").putArray("copy_to").add("search_text").add("search_words");
        keyword(tls, "raw_text")
                .put("ignore_above", 8191)
                .putArray("copy_to")
                .add("search_text")
                .add("search_words");

        ObjectNode stats = obj(p, "stats");
        keyword(stats, "scope");
        keyword(stats, "name");
        stats.putObject("deltas").put("type", "object").put("enabled", false);
        stats.putObject("interval_seconds").put("type", "double");

        ObjectNode certs = obj(p, "certificates");
        certificateFields(certs);

        ObjectNode bundle = obj(p, "trust_bundle");
        keyword(bundle, "mesh_id");
        keyword(bundle, "trust_domain");
        keyword(bundle, "source");
        ObjectNode roots = obj(bundle, "roots");
        for (String k : List.of("subject", "sha256_fingerprint", "subject_key_id", "authority_key_id")) {
            keyword(roots, k);
        }
        roots.putObject("not_before").put("type", "date");
        roots.putObject("not_after").put("type", "date");

        ObjectNode rollup = obj(p, "rollup");
        rollup.putObject("count").put("type", "long");
        rollup.putObject("first_time").put("type", "date");
        rollup.putObject("last_time").put("type", "date");

        p.putObject("attributes").put("type", "object").put("enabled", false);
        ObjectNode red = obj(p, "redaction");
        keyword(red, "policy_id");
        keyword(red, "policy_version");
        red.putObject("counts").put("type", "object").put("enabled", false);
        return mappings;
    }

    private static void certificateFields(ObjectNode certs) {
        for (String k : List.of(
                "subject",
                "issuer",
                "serial_number",
                "sha256_fingerprint",
                "uri_sans",
                "dns_sans",
                "subject_key_id",
                "authority_key_id")) {
            keyword(certs, k);
        }
        certs.putObject("not_before").put("type", "date");
        certs.putObject("not_after").put("type", "date");
        certs.putObject("ca").put("type", "boolean");
    }

    /** Index body (settings + mappings) of {@code <prefix>-findings}. */
    public static ObjectNode findingsIndex(int replicas) {
        ObjectNode root = M.createObjectNode();
        ObjectNode settings = root.putObject("settings");
        settings.put("number_of_shards", 1);
        settings.put("number_of_replicas", replicas);
        ObjectNode mappings = root.putObject("mappings");
        mappings.put("dynamic", "false");
        ObjectNode p = mappings.putObject("properties");
        p.putObject("schema_version").put("type", "integer");
        for (String k : List.of(
                "id",
                "category",
                "client_mesh",
                "client_identity",
                "client_service",
                "server_mesh",
                "server_service",
                "server_identity",
                "rejected_by",
                "state",
                "blind_side",
                "evidence_ids",
                "meshes",
                "direction",
                "remediation")) {
            keyword(p, k);
        }
        p.putObject("first_seen").put("type", "date");
        p.putObject("last_seen").put("type", "date");
        p.putObject("updated_at").put("type", "date");
        p.putObject("count").put("type", "long");
        p.putObject("one_sided").put("type", "boolean");
        p.putObject("details").put("type", "object").put("enabled", false);
        ObjectNode h = obj(p, "history");
        h.putObject("at").put("type", "date");
        keyword(h, "state");
        keyword(h, "reason");
        return root;
    }

    /** Index body of a findings history index: one document per finding version. */
    public static ObjectNode findingsHistoryIndex(int replicas) {
        ObjectNode root = M.createObjectNode();
        ObjectNode settings = root.putObject("settings");
        settings.put("number_of_shards", 1);
        settings.put("number_of_replicas", replicas);
        ObjectNode mappings = root.putObject("mappings");
        mappings.put("dynamic", "false");
        ObjectNode p = mappings.putObject("properties");
        for (String k : List.of("finding_id", "state", "category", "meshes")) {
            keyword(p, k);
        }
        p.putObject("version_time").put("type", "date");
        p.putObject("last_seen").put("type", "date");
        p.putObject("count").put("type", "long");
        p.putObject("finding").put("type", "object").put("enabled", false);
        return root;
    }

    private static ObjectNode keyword(ObjectNode props, String name) {
        ObjectNode f = props.putObject(name);
        f.put("type", "keyword");
        f.put("ignore_above", IGNORE_ABOVE);
        return f;
    }

    private static ObjectNode obj(ObjectNode props, String name) {
        ObjectNode o = props.putObject(name);
        o.put("type", "object");
        return o.putObject("properties");
    }
}
