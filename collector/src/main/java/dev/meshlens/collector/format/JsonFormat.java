package dev.meshlens.collector.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON access-log format given as key to operator ({@code "response_code": "%RESPONSE_CODE%"}),
 * compiled into arrays. Per line the scanner predicts the next key from the previous one (Envoy
 * writes keys in a stable order) and falls back to a linear scan over the key array; no hashing.
 * Values that are not a single operator (literals, or several operators) are kept as attributes.
 */
public final class JsonFormat implements LineFormat {
    private final String name;
    private final String[] keys;
    private final Field[] fields;
    private final String[] opText;
    private final int[] slotOfField;

    private JsonFormat(String name, Map<String, String> format) {
        this.name = name;
        int n = format.size();
        if (n == 0) {
            throw new FormatException("JSON format has no keys", null, -1);
        }
        keys = new String[n];
        fields = new Field[n];
        opText = new String[n];
        slotOfField = new int[Field.VALUES.length];
        Arrays.fill(slotOfField, -1);
        int i = 0;
        for (Map.Entry<String, String> e : format.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "key");
            String op = e.getValue() == null ? "" : e.getValue();
            FormatString.Tokens t;
            try {
                t = FormatString.tokenize(op, List.of(Commands.CONTROL_PLANE), false);
            } catch (FormatException ex) {
                throw new FormatException("JSON key '" + key + "': " + ex.getMessage(), ex.command(), ex.position());
            }
            keys[i] = key;
            boolean single = t.operators().size() == 1
                    && t.literals().get(0).isEmpty()
                    && t.literals().get(1).isEmpty();
            fields[i] = single ? t.operators().get(0).field() : Field.OTHER;
            opText[i] = single ? t.operators().get(0).text() : key;
            if (fields[i] != Field.OTHER && slotOfField[fields[i].ordinal()] < 0) {
                slotOfField[fields[i].ordinal()] = i;
            }
            i++;
        }
    }

    /** Compiles a key-to-operator map (insertion order is the expected key order). */
    public static JsonFormat compile(String name, Map<String, String> format) {
        return new JsonFormat(name, new LinkedHashMap<>(format));
    }

    /** The keys in slot order. */
    public List<String> keys() {
        return List.of(keys);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int slotCount() {
        return keys.length;
    }

    @Override
    public Field field(int slot) {
        return fields[slot];
    }

    @Override
    public String slotName(int slot) {
        return keys[slot];
    }

    /** The operator of a slot, e.g. {@code RESPONSE_CODE}. */
    public String operator(int slot) {
        return opText[slot];
    }

    @Override
    public int slotOf(Field field) {
        return slotOfField[field.ordinal()];
    }

    @Override
    public ParseStatus parse(String line, ParsedLine out) {
        out.reset(line);
        if (line == null) {
            return ParseStatus.EMPTY;
        }
        int len = line.length();
        int i = Json.skipWs(line, 0, len);
        if (i >= len) {
            return ParseStatus.EMPTY;
        }
        if (line.charAt(i) != '{') {
            return ParseStatus.NOT_JSON;
        }
        i++;
        int expect = 0;
        int n = keys.length;
        int backslash = line.indexOf('\\', i); // next backslash at or after the scan position, found lazily
        i = Json.skipWs(line, i, len);
        if (i < len && line.charAt(i) == '}') {
            return trailing(line, i + 1, len);
        }
        for (; ; ) {
            i = Json.skipWs(line, i, len);
            if (i >= len) {
                return ParseStatus.TRUNCATED_JSON;
            }
            if (line.charAt(i) != '"') {
                return ParseStatus.NOT_JSON;
            }
            int ks = i + 1;
            int ke = Json.stringEnd(line, ks, len);
            if (ke < 0) {
                return ParseStatus.TRUNCATED_JSON;
            }
            int klen = ke - ks;
            int slot = -1;
            if (expect < n && keys[expect].length() == klen && line.startsWith(keys[expect], ks)) {
                slot = expect;
            } else {
                for (int k = 0; k < n; k++) {
                    if (keys[k].length() == klen && line.startsWith(keys[k], ks)) {
                        slot = k;
                        break;
                    }
                }
            }
            i = Json.skipWs(line, ke + 1, len);
            if (i >= len) {
                return ParseStatus.TRUNCATED_JSON;
            }
            if (line.charAt(i) != ':') {
                return ParseStatus.NOT_JSON;
            }
            i = Json.skipWs(line, i + 1, len);
            if (i >= len) {
                return ParseStatus.TRUNCATED_JSON;
            }
            char c = line.charAt(i);
            int next;
            if (c == '"') {
                int ve = Json.stringEnd(line, i + 1, len);
                if (ve < 0) {
                    return ParseStatus.TRUNCATED_JSON;
                }
                if (backslash >= 0 && backslash <= i) {
                    backslash = line.indexOf('\\', i + 1);
                }
                if (slot >= 0) {
                    boolean esc = backslash >= 0 && backslash < ve;
                    out.set(slot, i + 1, ve, esc ? ParsedLine.JSON_ESCAPED : ParsedLine.PLAIN);
                }
                next = ve + 1;
            } else {
                next = Json.skipValue(line, i, len);
                if (next == Json.TRUNCATED) {
                    return ParseStatus.TRUNCATED_JSON;
                }
                if (next < 0) {
                    return ParseStatus.NOT_JSON;
                }
                if (slot >= 0 && c != 'n' && c != '{' && c != '[') {
                    out.set(slot, i, next, ParsedLine.PLAIN);
                }
            }
            if (slot >= 0) {
                expect = slot + 1;
            }
            i = Json.skipWs(line, next, len);
            if (i >= len) {
                return ParseStatus.TRUNCATED_JSON;
            }
            char d = line.charAt(i);
            if (d == ',') {
                i++;
                continue;
            }
            if (d == '}') {
                return trailing(line, i + 1, len);
            }
            return ParseStatus.NOT_JSON;
        }
    }

    private static ParseStatus trailing(String line, int i, int len) {
        i = Json.skipWs(line, i, len);
        return i < len ? ParseStatus.TRAILING_DATA : ParseStatus.OK;
    }

    /** Keys of the Envoy operators both Istio's and Consul's JSON encodings use. */
    static List<String> describe(JsonFormat f) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < f.keys.length; i++) {
            out.add(f.keys[i] + "=" + f.opText[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "JsonFormat[" + name + "]";
    }
}
