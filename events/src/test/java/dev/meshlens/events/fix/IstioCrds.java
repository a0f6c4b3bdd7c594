package dev.meshlens.events.fix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Istio's CRDs from the test resources, by (group/version, kind): each served version's openAPIV3Schema. */
final class IstioCrds {
    private final Map<String, Map<String, Object>> schemas = new HashMap<>();

    @SuppressWarnings("unchecked")
    private IstioCrds() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(8 * 1024 * 1024);
        try (InputStream in = IstioCrds.class.getResourceAsStream("/istio/crd-all.gen.yaml")) {
            if (in == null) {
                throw new IllegalStateException("istio/crd-all.gen.yaml is missing from the test resources");
            }
            for (Object d : new Yaml(o).loadAll(in)) {
                if (!(d instanceof Map<?, ?> crd) || !"CustomResourceDefinition".equals(crd.get("kind"))) {
                    continue;
                }
                Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
                String group = (String) spec.get("group");
                String kind = (String) ((Map<String, Object>) spec.get("names")).get("kind");
                for (Object v : (List<Object>) spec.get("versions")) {
                    Map<String, Object> ver = (Map<String, Object>) v;
                    if (Boolean.TRUE.equals(ver.get("served"))) {
                        Map<String, Object> schema =
                                (Map<String, Object>) ((Map<String, Object>) ver.get("schema")).get("openAPIV3Schema");
                        schemas.put(group + "/" + ver.get("name") + "|" + kind, schema);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IstioCrds instance;

    static synchronized IstioCrds get() {
        if (instance == null) {
            instance = new IstioCrds();
        }
        return instance;
    }

    /** Problems of one Kubernetes object (parsed YAML) against its CRD; a kind Istio does not define is one. */
    @SuppressWarnings("unchecked")
    List<String> validate(Map<String, Object> obj) {
        String key = obj.get("apiVersion") + "|" + obj.get("kind");
        Map<String, Object> schema = schemas.get(key);
        if (schema == null) {
            return List.of("no served Istio CRD for " + key);
        }
        List<String> out = new ArrayList<>();
        Map<String, Object> meta = (Map<String, Object>) obj.get("metadata");
        if (meta == null || !(meta.get("name") instanceof String n) || n.isBlank()) {
            out.add("metadata.name is missing");
        } else if (!n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || n.length() > 63) {
            out.add("metadata.name '" + n + "' is not a DNS-1123 label");
        }
        // apiVersion, kind and metadata are the API server's; the schema describes the rest
        Map<String, Object> rest = new HashMap<>(obj);
        rest.remove("apiVersion");
        rest.remove("kind");
        rest.remove("metadata");
        out.addAll(StructuralSchema.validate(rest, schema, obj.get("kind").toString()));
        return out;
    }

    boolean defines(String apiVersion, String kind) {
        return schemas.containsKey(apiVersion + "|" + kind);
    }
}
