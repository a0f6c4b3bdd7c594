package dev.meshlens.query.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Sends operations as one {@code _bulk} request (NDJSON built directly from the document bytes,
 * no re-serialisation) and sorts each item's outcome: acknowledged, retryable (429, 5xx,
 * unavailable shards) or permanent (400: the document can never be indexed as it is). When the
 * response says {@code "errors": false} the items are not even parsed.
 */
public final class BulkWriter {
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper M = new ObjectMapper(JSON);

    private final RestClient rest;

    public BulkWriter(RestClient rest) {
        this.rest = rest;
    }

    /** A rejected operation with Elasticsearch's error type and reason. */
    public record Failure(BulkOp op, int status, String type, String reason) {}

    /**
     * Outcome of one bulk request; {@code conflicted} are the acknowledged operations whose 409 counted as a
     * success (a {@link BulkOp.Action#CREATE} of a document that already existed, an older finding version).
     */
    public record Result(
            List<BulkOp> acknowledged, List<BulkOp> conflicted, List<Failure> retryable, List<Failure> permanent) {}

    /** The NDJSON body of a bulk request. */
    static byte[] body(List<BulkOp> ops) throws IOException {
        int size = 0;
        for (BulkOp op : ops) {
            size += op.source().length + 128;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (BulkOp op : ops) {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                g.writeStartObject();
                g.writeObjectFieldStart(op.action().wire());
                g.writeStringField("_index", op.index());
                g.writeStringField("_id", op.id());
                if (op.externalVersion() != null) {
                    g.writeNumberField("version", op.externalVersion());
                    g.writeStringField("version_type", "external_gte");
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            out.write('\n');
            out.write(op.source());
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * @throws IOException when Elasticsearch cannot be reached or rejects the request as a whole
     */
    public Result write(List<BulkOp> ops) throws IOException {
        Request req = new Request("POST", "/_bulk");
        req.setEntity(new ByteArrayEntity(body(ops), NDJSON));
        Response resp;
        try {
            resp = rest.performRequest(req);
        } catch (ResponseException e) {
            throw new IOException(
                    "bulk request rejected with status "
                            + e.getResponse().getStatusLine().getStatusCode(),
                    e);
        }
        byte[] bytes;
        try (InputStream in = resp.getEntity().getContent()) {
            bytes = in.readAllBytes();
        }
        if (!hasErrors(bytes)) {
            return new Result(ops, List.of(), List.of(), List.of());
        }
        JsonNode items = M.readTree(bytes).path("items");
        if (items.size() != ops.size()) {
            throw new IOException("bulk response has " + items.size() + " items for " + ops.size() + " operations");
        }
        List<BulkOp> ok = new ArrayList<>(ops.size());
        List<BulkOp> conflicted = new ArrayList<>();
        List<Failure> retry = new ArrayList<>();
        List<Failure> permanent = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonNode item = items.get(i).elements().next();
            BulkOp op = ops.get(i);
            JsonNode error = item.get("error");
            if (error == null || error.isNull()) {
                ok.add(op);
                continue;
            }
            int status = item.path("status").asInt();
            String type = error.path("type").asText(null);
            String reason = error.path("reason").asText(null);
            JsonNode cause = error.path("caused_by");
            if (cause.has("reason")) {
                reason = reason + " (caused by " + cause.path("type").asText() + ": "
                        + cause.path("reason").asText() + ")";
            }
            if (status == 409 && op.conflictIsSuccess()) {
                ok.add(op);
                conflicted.add(op);
            } else if (status == 400 || status == 409 || status == 413) {
                permanent.add(new Failure(op, status, type, reason));
            } else {
                retry.add(new Failure(op, status, type, reason));
            }
        }
        return new Result(ok, conflicted, retry, permanent);
    }

    /**
     * The {@code origin} stored in each operation's document (one {@code _mget}), keyed by
     * {@code index/id}; a document without one (written before origins existed) is absent.
     */
    public Map<String, String> origins(List<BulkOp> ops, String field) throws IOException {
        ObjectNode body = M.createObjectNode();
        ArrayNode docs = body.putArray("docs");
        for (BulkOp op : ops) {
            ObjectNode d = docs.addObject();
            d.put("_index", op.index());
            d.put("_id", op.id());
            d.putArray("_source").add(field);
        }
        Request req = new Request("POST", "/_mget");
        req.addParameter("filter_path", "docs._index,docs._id,docs._source");
        req.setEntity(new ByteArrayEntity(M.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
        Response resp;
        try {
            resp = rest.performRequest(req);
        } catch (ResponseException e) {
            throw new IOException(
                    "mget rejected with status "
                            + e.getResponse().getStatusLine().getStatusCode(),
                    e);
        }
        JsonNode r;
        try (InputStream in = resp.getEntity().getContent()) {
            r = M.readTree(in);
        }
        Map<String, String> out = new HashMap<>();
        for (JsonNode d : r.path("docs")) {
            JsonNode o = d.path("_source").get(field);
            if (o != null && o.isTextual()) {
                out.put(d.path("_index").asText() + "/" + d.path("_id").asText(), o.asText());
            }
        }
        return out;
    }

    /** Reads only the top-level {@code errors} flag (it comes before the items). */
    static boolean hasErrors(byte[] response) throws IOException {
        try (JsonParser p = JSON.createParser(response)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("unexpected bulk response");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("errors".equals(name)) {
                    return v == JsonToken.VALUE_TRUE;
                }
                p.skipChildren();
            }
        }
        return true; // no flag: inspect the items
    }
}
