package dev.meshlens.query.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
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

    /** Outcome of one bulk request. */
    public record Result(List<BulkOp> acknowledged, List<Failure> retryable, List<Failure> permanent) {}

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
                g.writeObjectFieldStart("index");
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
            return new Result(ops, List.of(), List.of());
        }
        JsonNode items = M.readTree(bytes).path("items");
        if (items.size() != ops.size()) {
            throw new IOException("bulk response has " + items.size() + " items for " + ops.size() + " operations");
        }
        List<BulkOp> ok = new ArrayList<>(ops.size());
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
            if (status == 409 && op.conflictIsSuccess()) {
                ok.add(op);
            } else if (status == 400 || status == 409 || status == 413) {
                permanent.add(new Failure(op, status, type, reason));
            } else {
                retry.add(new Failure(op, status, type, reason));
            }
        }
        return new Result(ok, retry, permanent);
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
