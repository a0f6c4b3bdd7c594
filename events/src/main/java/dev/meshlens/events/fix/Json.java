package dev.meshlens.events.fix;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Map;

/** Pretty JSON for Consul config entries and API bodies (ordered as built). */
final class Json {
    private Json() {}

    private static final ObjectMapper M = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static String write(Map<String, ?> doc) {
        try {
            return M.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fix document is always serialisable: " + e.getMessage(), e);
        }
    }
}
