package dev.meshlens.events.fix;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small validator for Kubernetes structural OpenAPI v3 schemas (what a CRD's
 * {@code openAPIV3Schema} is): type, properties (an unknown field is an error, as the API server's
 * pruning would silently drop it), required, enum, items, additionalProperties, bounds, pattern,
 * oneOf/anyOf/allOf/not, {@code x-kubernetes-int-or-string} and
 * {@code x-kubernetes-preserve-unknown-fields}. CEL rules ({@code x-kubernetes-validations}) are not
 * evaluated: the API server runs them; the fixes' tests assert the few that matter by hand.
 */
final class StructuralSchema {
    private StructuralSchema() {}

    /** Every problem of {@code value} under {@code schema}, each with its path; empty when valid. */
    static List<String> validate(Object value, Map<String, Object> schema, String path) {
        List<String> out = new ArrayList<>();
        check(value, schema, path, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object v, Map<String, Object> s, String path, List<String> out) {
        if (v == null) {
            if (!Boolean.TRUE.equals(s.get("nullable"))) {
                out.add(path + ": null is not allowed");
            }
            return;
        }
        boolean intOrString = Boolean.TRUE.equals(s.get("x-kubernetes-int-or-string"));
        String type = (String) s.get("type");
        if (intOrString) {
            if (!(v instanceof String || v instanceof Integer || v instanceof Long)) {
                out.add(path + ": expected an integer or a string, got "
                        + v.getClass().getSimpleName());
            }
        } else if (type != null && !typeMatches(type, v)) {
            out.add(path + ": expected " + type + ", got " + v.getClass().getSimpleName() + " (" + v + ")");
            return;
        }
        if (s.get("enum") instanceof List<?> en && !en.contains(v) && !en.contains(String.valueOf(v))) {
            out.add(path + ": " + v + " is not one of " + en);
        }
        if (v instanceof String str) {
            if (s.get("maxLength") instanceof Number n && str.length() > n.intValue()) {
                out.add(path + ": longer than " + n);
            }
            if (s.get("pattern") instanceof String p
                    && !Pattern.compile(p).matcher(str).find()) {
                out.add(path + ": '" + str + "' does not match " + p);
            }
        }
        if (v instanceof Number num && !(intOrString && v instanceof String)) {
            BigDecimal d = new BigDecimal(num.toString());
            if (s.get("minimum") instanceof Number min && d.compareTo(new BigDecimal(min.toString())) < 0) {
                out.add(path + ": " + num + " is below " + min);
            }
            if (s.get("maximum") instanceof Number max && d.compareTo(new BigDecimal(max.toString())) > 0) {
                out.add(path + ": " + num + " is above " + max);
            }
        }
        if (v instanceof List<?> list) {
            if (s.get("maxItems") instanceof Number n && list.size() > n.intValue()) {
                out.add(path + ": more than " + n + " items");
            }
            if (s.get("minItems") instanceof Number n && list.size() < n.intValue()) {
                out.add(path + ": fewer than " + n + " items");
            }
            if (s.get("items") instanceof Map<?, ?> items) {
                for (int i = 0; i < list.size(); i++) {
                    check(list.get(i), (Map<String, Object>) items, path + "[" + i + "]", out);
                }
            }
        }
        if (v instanceof Map<?, ?> obj) {
            Map<String, Object> props = (Map<String, Object>) s.get("properties");
            Object additional = s.get("additionalProperties");
            boolean preserve = Boolean.TRUE.equals(s.get("x-kubernetes-preserve-unknown-fields"));
            for (Map.Entry<?, ?> e : obj.entrySet()) {
                String k = String.valueOf(e.getKey());
                String p = path + "." + k;
                if (props != null && props.containsKey(k)) {
                    check(e.getValue(), (Map<String, Object>) props.get(k), p, out);
                } else if (additional instanceof Map<?, ?> a) {
                    check(e.getValue(), (Map<String, Object>) a, p, out);
                } else if (props != null && !preserve && !Boolean.TRUE.equals(additional)) {
                    // a schema that declares properties prunes every other field (a value-constraint
                    // subschema of oneOf/anyOf declares none and says nothing about fields)
                    out.add(p + ": unknown field (the schema does not declare it)");
                }
            }
            if (s.get("required") instanceof List<?> req) {
                for (Object r : req) {
                    if (!obj.containsKey(r)) {
                        out.add(path + ": required field '" + r + "' is missing");
                    }
                }
            }
        }
        if (s.get("allOf") instanceof List<?> all) {
            for (Object sub : all) {
                check(v, (Map<String, Object>) sub, path, out);
            }
        }
        if (s.get("anyOf") instanceof List<?> any && count(v, any, path) == 0) {
            out.add(path + ": matches none of anyOf " + any);
        }
        if (s.get("oneOf") instanceof List<?> one) {
            int n = count(v, one, path);
            if (n != 1) {
                out.add(path + ": matches " + n + " of oneOf " + one + " (exactly one expected)");
            }
        }
        if (s.get("not") instanceof Map<?, ?> not
                && validate(v, (Map<String, Object>) not, path).isEmpty()) {
            out.add(path + ": matches the 'not' schema " + not);
        }
    }

    @SuppressWarnings("unchecked")
    private static int count(Object v, List<?> subs, String path) {
        int n = 0;
        for (Object sub : subs) {
            if (validate(v, (Map<String, Object>) sub, path).isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static boolean typeMatches(String type, Object v) {
        return switch (type) {
            case "object" -> v instanceof Map;
            case "array" -> v instanceof List;
            case "string" -> v instanceof String;
            case "boolean" -> v instanceof Boolean;
            case "integer" -> v instanceof Integer || v instanceof Long || v instanceof BigInteger;
            case "number" -> v instanceof Number;
            default -> false;
        };
    }
}
