package dev.meshlens.events.fix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for resource documents (ordered maps, so the YAML/JSON reads in a natural order). */
final class Docs {
    private Docs() {}

    /** An ordered map from alternating keys and values; null values are left out. */
    static Map<String, Object> m(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must alternate");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                out.put((String) kv[i], kv[i + 1]);
            }
        }
        return out;
    }

    static List<Object> l(Object... items) {
        return List.of(items);
    }

    /** A Kubernetes object: apiVersion, kind, metadata (name, namespace), spec. */
    static Resource k8s(String apiVersion, String kind, String name, String namespace, Map<String, Object> spec) {
        Map<String, Object> doc = m(
                "apiVersion",
                apiVersion,
                "kind",
                kind,
                "metadata",
                m("name", name, "namespace", namespace, "labels", m("app.kubernetes.io/managed-by", "meshlens-fix")),
                "spec",
                spec);
        return new Resource(kind, apiVersion, name, namespace, Resource.YAML, Yaml.write(doc), "kubectl apply -f -");
    }

    /** A Consul config entry as JSON (what {@code consul config write} reads besides HCL). */
    static Resource consulEntry(Map<String, Object> entry, String applyNote) {
        String kind = (String) entry.get("Kind");
        // the mesh entry has no Name: it is one per cluster (partition)
        String name = entry.get("Name") instanceof String n ? n : kind;
        return new Resource(
                kind,
                null,
                name,
                null,
                Resource.JSON,
                Json.write(entry),
                "consul config write -" + (applyNote == null ? "" : "   # " + applyNote));
    }
}
