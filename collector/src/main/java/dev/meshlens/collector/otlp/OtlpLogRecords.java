package dev.meshlens.collector.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP logs (protobuf or JSON encoding) to records: each record body is a line in the configured format,
 * resource then record attributes become event attributes. One mapping for the HTTP and the gRPC receiver.
 */
final class OtlpLogRecords {
    private static final ObjectMapper M = new ObjectMapper();

    private OtlpLogRecords() {}

    /** One record after decoding. */
    record Rec(String streamKey, long timeUnixNano, String body, Map<String, String> attributes) {}

    static List<Rec> fromProto(byte[] body) throws IOException {
        return fromRequest(ExportLogsServiceRequest.parseFrom(body));
    }

    static List<Rec> fromRequest(ExportLogsServiceRequest req) {
        List<Rec> out = new ArrayList<>();
        for (ResourceLogs rl : req.getResourceLogsList()) {
            Map<String, String> res = attrs(rl.getResource().getAttributesList());
            String stream = streamKey(res);
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord lr : sl.getLogRecordsList()) {
                    Map<String, String> a = new LinkedHashMap<>(res);
                    a.putAll(attrs(lr.getAttributesList()));
                    long t = lr.getTimeUnixNano() != 0 ? lr.getTimeUnixNano() : lr.getObservedTimeUnixNano();
                    out.add(new Rec(stream, t, text(lr.getBody()), a));
                }
            }
        }
        return out;
    }

    private static Map<String, String> attrs(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            m.put(kv.getKey(), text(kv.getValue()));
        }
        return m;
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> String.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(v.getDoubleValue());
            case BOOL_VALUE -> String.valueOf(v.getBoolValue());
            case BYTES_VALUE -> v.getBytesValue().toStringUtf8();
            default -> v.toString().strip();
        };
    }

    static List<Rec> fromJson(byte[] body) throws IOException {
        JsonNode root = M.readTree(body);
        List<Rec> out = new ArrayList<>();
        for (JsonNode rl : root.path("resourceLogs")) {
            Map<String, String> res = jsonAttrs(rl.path("resource").path("attributes"));
            String stream = streamKey(res);
            JsonNode scopes = rl.has("scopeLogs") ? rl.get("scopeLogs") : rl.path("instrumentationLibraryLogs");
            for (JsonNode sl : scopes) {
                JsonNode records = sl.has("logRecords") ? sl.get("logRecords") : sl.path("logs");
                for (JsonNode lr : records) {
                    Map<String, String> a = new LinkedHashMap<>(res);
                    a.putAll(jsonAttrs(lr.path("attributes")));
                    long t = lr.path("timeUnixNano")
                            .asLong(lr.path("observedTimeUnixNano").asLong(0));
                    out.add(new Rec(stream, t, jsonText(lr.path("body")), a));
                }
            }
        }
        return out;
    }

    private static Map<String, String> jsonAttrs(JsonNode arr) {
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonNode kv : arr) {
            m.put(kv.path("key").asText(), jsonText(kv.path("value")));
        }
        return m;
    }

    private static String jsonText(JsonNode v) {
        if (v.has("stringValue")) {
            return v.get("stringValue").asText();
        }
        if (v.has("intValue")) {
            return v.get("intValue").asText();
        }
        if (v.has("doubleValue")) {
            return v.get("doubleValue").asText();
        }
        if (v.has("boolValue")) {
            return v.get("boolValue").asText();
        }
        return v.isMissingNode() ? "" : v.toString();
    }

    private static String streamKey(Map<String, String> res) {
        StringBuilder sb = new StringBuilder();
        for (String k : new String[] {"service.name", "k8s.pod.name", "host.name", "node_name", "k8s.namespace.name"}) {
            String v = res.get(k);
            if (v != null) {
                sb.append(k).append('=').append(v).append(';');
            }
        }
        return sb.isEmpty() ? "default" : sb.toString();
    }
}
