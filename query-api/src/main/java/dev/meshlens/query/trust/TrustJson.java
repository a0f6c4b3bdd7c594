package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The wire form of the matrix and of what-if answers (snake_case, ISO instants, enums in lower
 * case, absent values left out), and the parsing of a what-if request body.
 */
public final class TrustJson {
    private static final ObjectMapper M = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private TrustJson() {}

    public static ObjectMapper mapper() {
        return M;
    }

    public static ObjectNode matrix(TrustMatrix m) {
        ObjectNode o = M.valueToTree(m);
        o.remove("horizon");
        o.put("horizon_days", m.horizon().toDays());
        Map<CellState, Integer> counts = new EnumMap<>(CellState.class);
        for (CellState s : CellState.values()) {
            counts.put(s, 0);
        }
        m.cells().forEach(c -> counts.merge(c.state(), 1, Integer::sum));
        ObjectNode summary = M.createObjectNode();
        counts.forEach((s, n) -> summary.put(s.wireName(), n));
        summary.put("predictions", m.predictions().size());
        summary.put("contradictions", m.contradictions().size());
        o.set("summary", summary);
        return o;
    }

    public static ObjectNode whatIf(WhatIf w) {
        ObjectNode o = M.valueToTree(w);
        o.put("unchanged", w.cells() - w.breaks().size() - w.fixes().size());
        return o;
    }

    /** Problems in a what-if body name the field at fault. */
    public static final class BadRequest extends IllegalArgumentException {
        private final String field;

        BadRequest(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static final List<String> KEYS = List.of("add_bundle", "drop_bundle", "rotate", "expire", "naming");

    /**
     * The changes of a what-if body, applied in this order: add_bundle, drop_bundle, rotate, expire, naming.
     * Roots are named by {@code fingerprint} (a known root or intermediate; a unique prefix of 8+ hex
     * digits is enough) or, for rotate and add_bundle, by {@code root_pem}.
     *
     * @param findRoot resolves a fingerprint against the inventory (throws IllegalArgumentException)
     */
    public static List<Change> changes(JsonNode body, Function<String, RootRef> findRoot) {
        if (body == null || !body.isObject()) {
            throw new BadRequest("body", "the body must be a JSON object with one or more of " + KEYS);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KEYS.contains(f)) {
                throw new BadRequest(f, "unknown field '" + f + "'; expected one or more of " + KEYS);
            }
        }
        List<Change> out = new ArrayList<>();
        if (body.has("add_bundle")) {
            JsonNode n = obj(body, "add_bundle", Set.of("mesh", "fingerprint", "root_pem"));
            out.add(new Change.AddBundle(text(n, "add_bundle.mesh"), root(n, "add_bundle", findRoot, true)));
        }
        if (body.has("drop_bundle")) {
            JsonNode n = obj(body, "drop_bundle", Set.of("mesh", "fingerprint"));
            out.add(new Change.DropBundle(text(n, "drop_bundle.mesh"), root(n, "drop_bundle", findRoot, false)));
        }
        if (body.has("rotate")) {
            JsonNode n = obj(body, "rotate", Set.of("mesh", "fingerprint", "root_pem"));
            out.add(new Change.Rotate(text(n, "rotate.mesh"), root(n, "rotate", findRoot, true)));
        }
        if (body.has("expire")) {
            JsonNode n = body.get("expire");
            String fp = n.isTextual()
                    ? n.asText()
                    : obj(body, "expire", Set.of("fingerprint"))
                            .path("fingerprint")
                            .asText(null);
            if (fp == null || fp.isBlank()) {
                throw new BadRequest(
                        "expire", "expire needs a fingerprint: \"expire\": \"<sha256>\" or {\"fingerprint\": …}");
            }
            out.add(new Change.Expire(resolve(findRoot, fp, "expire")));
        }
        if (body.has("naming")) {
            JsonNode n = obj(body, "naming", Set.of("mesh", "template"));
            JsonNode t = n.get("template");
            if (t == null || !t.isTextual() || t.asText().isBlank()) {
                throw new BadRequest(
                        "naming.template",
                        "naming.template is required, e.g. spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>");
            }
            try {
                out.add(new Change.Naming(text(n, "naming.mesh"), t.asText().trim()));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("naming.template", e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new BadRequest("body", "no change given; expected one or more of " + KEYS);
        }
        return out;
    }

    private static JsonNode obj(JsonNode body, String key, Set<String> allowed) {
        JsonNode n = body.get(key);
        if (n == null || !n.isObject()) {
            throw new BadRequest(key, key + " must be an object with " + allowed);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new BadRequest(key + "." + f, "unknown field '" + f + "' in " + key + "; expected " + allowed);
            }
        }
        return n;
    }

    private static String text(JsonNode n, String field) {
        String name = field.substring(field.indexOf('.') + 1);
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new BadRequest(field, field + " is required (a mesh id)");
        }
        return v.asText().trim();
    }

    private static RootRef root(JsonNode n, String key, Function<String, RootRef> findRoot, boolean pemAllowed) {
        boolean hasPem = n.hasNonNull("root_pem");
        boolean hasFp = n.hasNonNull("fingerprint");
        if (hasPem == hasFp) {
            throw new BadRequest(key, key + " needs exactly one of fingerprint" + (pemAllowed ? " or root_pem" : ""));
        }
        if (hasPem) {
            try {
                return RootPem.parse(n.get("root_pem").asText());
            } catch (IllegalArgumentException e) {
                throw new BadRequest(key + ".root_pem", e.getMessage());
            }
        }
        return resolve(findRoot, n.get("fingerprint").asText(), key + ".fingerprint");
    }

    private static RootRef resolve(Function<String, RootRef> findRoot, String fp, String field) {
        try {
            return findRoot.apply(fp);
        } catch (BadRequest e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field, e.getMessage());
        }
    }

    /** Seconds from {@code now} to {@code t} (negative once past). */
    static long secondsUntil(Instant now, Instant t) {
        return Duration.between(now, t).toSeconds();
    }
}
