package dev.meshlens.query.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;

/** Builders for Elasticsearch query-DSL JSON (term, terms, range, bool...), as the Elasticsearch docs write it. */
public final class QueryDsl {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private QueryDsl() {}

    public static ObjectNode obj() {
        return F.objectNode();
    }

    public static ObjectNode term(String field, String value) {
        ObjectNode o = obj();
        o.putObject("term").put(field, value);
        return o;
    }

    public static ObjectNode term(String field, boolean value) {
        ObjectNode o = obj();
        o.putObject("term").put(field, value);
        return o;
    }

    public static ObjectNode terms(String field, Collection<String> values) {
        ObjectNode o = obj();
        ArrayNode a = o.putObject("terms").putArray(field);
        values.forEach(a::add);
        return o;
    }

    public static ObjectNode exists(String field) {
        ObjectNode o = obj();
        o.putObject("exists").put("field", field);
        return o;
    }

    public static ObjectNode range(String field, Instant gte, Instant lte) {
        ObjectNode o = obj();
        ObjectNode r = o.putObject("range").putObject(field);
        if (gte != null) {
            r.put("gte", gte.toString());
        }
        if (lte != null) {
            r.put("lte", lte.toString());
        }
        return o;
    }

    public static ObjectNode ids(Collection<String> ids) {
        ObjectNode o = obj();
        ArrayNode a = o.putObject("ids").putArray("values");
        ids.forEach(a::add);
        return o;
    }

    /** A bool query builder. */
    public static final class Bool {
        private final ObjectNode bool = obj();

        public Bool filter(JsonNode q) {
            if (q != null) {
                arr("filter").add(q);
            }
            return this;
        }

        public Bool must(JsonNode q) {
            arr("must").add(q);
            return this;
        }

        public Bool mustNot(JsonNode q) {
            arr("must_not").add(q);
            return this;
        }

        public Bool should(JsonNode q) {
            arr("should").add(q);
            bool.put("minimum_should_match", 1);
            return this;
        }

        private ArrayNode arr(String k) {
            JsonNode n = bool.get(k);
            return n == null ? bool.putArray(k) : (ArrayNode) n;
        }

        public ObjectNode build() {
            ObjectNode o = obj();
            o.set("bool", bool);
            return o;
        }
    }

    public static Bool bool() {
        return new Bool();
    }

    public static ObjectNode sortDesc(ObjectNode body, String field) {
        body.putArray("sort").addObject().putObject(field).put("order", "desc");
        return body;
    }
}
