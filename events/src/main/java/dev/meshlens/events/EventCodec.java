package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON wire format of {@link MeshEvent} and {@link Finding}: snake_case names, ISO-8601 times,
 * absent values left out, an explicit {@code schema_version}. Unknown fields are tolerated (newer
 * writers may add optional fields); missing required fields are rejected with the field's name
 * and the position of the object that lacks it. Thread-safe; share one instance.
 */
public final class EventCodec {
    static final List<String> EVENT_REQUIRED =
            List.of("schema_version", "event_id", "observed_time", "mesh_id", "source_kind");
    static final List<String> FINDING_REQUIRED = List.of("schema_version", "id", "category", "state");

    private static final EventCodec INSTANCE = new EventCodec();

    private final ObjectMapper mapper;
    private final EventJsonWriter writer;

    private EventCodec() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_NULL))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
        this.writer = new EventJsonWriter(mapper);
    }

    /** The shared codec. */
    public static EventCodec get() {
        return INSTANCE;
    }

    /** The configured mapper, for modules that need the same conventions (e.g. Elasticsearch documents). */
    public ObjectMapper mapper() {
        return mapper;
    }

    public String encode(MeshEvent event) {
        return new String(encodeBytes(event), StandardCharsets.UTF_8);
    }

    /** The event's JSON, written by the streaming {@link EventJsonWriter} (the hot path of every collector). */
    public byte[] encodeBytes(MeshEvent event) {
        try {
            return writer.write(event);
        } catch (IOException e) {
            throw new IllegalStateException("event could not be encoded: " + e.getMessage(), e);
        }
    }

    /** The same JSON written by the mapper's reflective record serialiser: the reference the writer is checked against. */
    byte[] encodeBytesByMapper(MeshEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event could not be encoded: " + e.getOriginalMessage(), e);
        }
    }

    public MeshEvent decode(String json) {
        return decodeEvent(json.getBytes(StandardCharsets.UTF_8));
    }

    public MeshEvent decodeEvent(byte[] json) {
        return read(json, MeshEvent.class, EVENT_REQUIRED);
    }

    public String encodeFinding(Finding finding) {
        return write(finding);
    }

    public Finding decodeFinding(String json) {
        return decodeFinding(json.getBytes(StandardCharsets.UTF_8));
    }

    public Finding decodeFinding(byte[] json) {
        return read(json, Finding.class, FINDING_REQUIRED);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    value.getClass().getSimpleName() + " could not be encoded: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(byte[] json, Class<T> type, List<String> required) {
        checkRequired(json, required);
        try {
            return mapper.readValue(json, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : pathOf(e);
            JsonLocation loc = e.getLocation();
            String what = rootMessage(e);
            throw new EventDecodeException(
                    "invalid " + (field == null ? "value" : "field '" + field + "'") + ": " + what,
                    field,
                    loc == null ? -1 : loc.getLineNr(),
                    loc == null ? -1 : loc.getColumnNr(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A first, cheap pass that finds missing required fields and bad schema versions with positions. */
    private void checkRequired(byte[] json, List<String> required) {
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                JsonLocation loc = p.currentTokenLocation();
                throw new EventDecodeException(
                        "expected a JSON object but found " + (t == null ? "nothing" : t.asString()),
                        null,
                        loc.getLineNr(),
                        loc.getColumnNr(),
                        null);
            }
            JsonLocation start = p.currentTokenLocation();
            Set<String> seen = new HashSet<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_NULL) {
                    seen.add(name);
                }
                if ("schema_version".equals(name)) {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        JsonLocation loc = p.currentTokenLocation();
                        throw new EventDecodeException(
                                "field 'schema_version' must be an integer",
                                name,
                                loc.getLineNr(),
                                loc.getColumnNr(),
                                null);
                    }
                    int version = p.getIntValue();
                    if (version < 1 || version > SchemaVersion.CURRENT) {
                        JsonLocation loc = p.currentTokenLocation();
                        throw new EventDecodeException(
                                "schema_version " + version + " is not supported (this reader supports 1 to "
                                        + SchemaVersion.CURRENT + "; upgrade meshlens to read newer data)",
                                name,
                                loc.getLineNr(),
                                loc.getColumnNr(),
                                null);
                    }
                }
                p.skipChildren();
            }
            for (String r : required) {
                if (!seen.contains(r)) {
                    throw new EventDecodeException(
                            "missing required field '" + r + "' in the object starting",
                            r,
                            start.getLineNr(),
                            start.getColumnNr(),
                            null);
                }
            }
        } catch (EventDecodeException e) {
            throw e;
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            JsonLocation loc = e.getLocation();
            throw new EventDecodeException(
                    "malformed JSON: " + e.getOriginalMessage(),
                    null,
                    loc == null ? -1 : loc.getLineNr(),
                    loc == null ? -1 : loc.getColumnNr(),
                    e);
        } catch (IOException e) {
            throw new EventDecodeException("malformed JSON: " + e.getMessage(), null, -1, -1, e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
