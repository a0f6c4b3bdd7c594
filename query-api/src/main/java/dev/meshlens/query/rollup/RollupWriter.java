package dev.meshlens.query.rollup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.store.IndexNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch's roll-ups: reads the touched documents ({@code _mget}), merges in Java
 * ({@link RollupBatch#merge}) and writes back what changed with optimistic concurrency
 * ({@code if_seq_no}/{@code if_primary_term}, or {@code create} for a new document). A document another
 * instance changed meanwhile (a 409) is read and merged again. No script runs in Elasticsearch, so this works on
 * a cluster without scripting too.
 */
public final class RollupWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RollupWriter.class);
    private static final ObjectMapper M = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    /** Rounds of read-merge-write before giving up (the caller retries the whole batch, which is idempotent). */
    static final int MAX_ROUNDS = 10;

    private final RestClient rest;
    private final IndexNames names;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    public RollupWriter(RestClient rest, IndexNames names) {
        this.rest = rest;
        this.names = names;
    }

    private record Stored(JsonNode source, long seqNo, long primaryTerm) {}

    /**
     * Applies the batch's contributions.
     *
     * @throws IOException when Elasticsearch is unavailable or keeps answering with retryable errors: call again
     *     (nothing is counted twice)
     */
    public void write(RollupBatch batch) throws IOException {
        Map<RollupKey, RollupBatch.Part> pending = new LinkedHashMap<>(batch.parts());
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round == MAX_ROUNDS) {
                throw new IOException(
                        "roll-ups: " + pending.size() + " documents still conflicting after " + MAX_ROUNDS + " rounds");
            }
            List<RollupKey> keys = new ArrayList<>(pending.keySet());
            Map<RollupKey, Stored> stored = read(keys);
            List<RollupKey> writeKeys = new ArrayList<>();
            List<ObjectNode> docs = new ArrayList<>();
            for (RollupKey k : keys) {
                Stored s = stored.get(k);
                ObjectNode merged = RollupBatch.merge(k, s == null ? null : s.source(), pending.get(k));
                if (merged != null) {
                    writeKeys.add(k);
                    docs.add(merged);
                }
            }
            Map<RollupKey, RollupBatch.Part> again = new LinkedHashMap<>();
            if (!writeKeys.isEmpty()) {
                for (RollupKey k : bulk(writeKeys, docs, stored)) {
                    again.put(k, pending.get(k));
                }
            }
            pending = again;
        }
    }

    /** Documents rejected as they are (logged): their buckets undercount. */
    public long rejected() {
        return rejected.get();
    }

    /** Documents written (created or changed). */
    public long written() {
        return written.get();
    }

    private Map<RollupKey, Stored> read(List<RollupKey> keys) throws IOException {
        ObjectNode body = M.createObjectNode();
        ArrayNode docs = body.putArray("docs");
        for (RollupKey k : keys) {
            docs.addObject().put("_index", names.rollupsIndex(k.bucket())).put("_id", k.id());
        }
        JsonNode r = perform("POST", "/_mget", M.writeValueAsBytes(body), ContentType.APPLICATION_JSON);
        Map<RollupKey, Stored> out = new LinkedHashMap<>();
        JsonNode found = r.path("docs");
        for (int i = 0; i < keys.size(); i++) {
            JsonNode d = found.path(i);
            if (d.path("found").asBoolean(false)) {
                out.put(
                        keys.get(i),
                        new Stored(
                                d.path("_source"),
                                d.path("_seq_no").asLong(),
                                d.path("_primary_term").asLong()));
            }
        }
        return out;
    }

    /** Writes the documents; returns the keys that met a concurrent change (409), to merge again. */
    private List<RollupKey> bulk(List<RollupKey> keys, List<ObjectNode> docs, Map<RollupKey, Stored> stored)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < keys.size(); i++) {
            RollupKey k = keys.get(i);
            Stored s = stored.get(k);
            try (JsonGenerator g = M.getFactory().createGenerator(out)) {
                g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                g.writeStartObject();
                g.writeObjectFieldStart(s == null ? "create" : "index");
                g.writeStringField("_index", names.rollupsIndex(k.bucket()));
                g.writeStringField("_id", k.id());
                if (s != null) {
                    g.writeNumberField("if_seq_no", s.seqNo());
                    g.writeNumberField("if_primary_term", s.primaryTerm());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            out.write('\n');
            M.writeValue(out, docs.get(i));
            out.write('\n');
        }
        JsonNode r = perform("POST", "/_bulk", out.toByteArray(), NDJSON);
        List<RollupKey> conflicts = new ArrayList<>();
        JsonNode items = r.path("items");
        boolean retryable = false;
        for (int i = 0; i < keys.size(); i++) {
            JsonNode item = items.path(i).elements().hasNext()
                    ? items.path(i).elements().next()
                    : M.createObjectNode();
            int status = item.path("status").asInt(0);
            if (status == 200 || status == 201) {
                written.incrementAndGet();
            } else if (status == 409) {
                conflicts.add(keys.get(i));
            } else if (status == 400) {
                rejected.incrementAndGet();
                LOG.warn("roll-up {} rejected: {}", keys.get(i).id(), item.path("error"));
            } else {
                retryable = true;
            }
        }
        if (retryable) {
            throw new IOException("roll-ups: Elasticsearch answered some documents with a retryable error");
        }
        return conflicts;
    }

    private JsonNode perform(String method, String endpoint, byte[] body, ContentType type) throws IOException {
        Request req = new Request(method, endpoint);
        req.setEntity(new ByteArrayEntity(body, type));
        Response resp;
        try {
            resp = rest.performRequest(req);
        } catch (ResponseException e) {
            throw new IOException(
                    endpoint + " rejected with status "
                            + e.getResponse().getStatusLine().getStatusCode(),
                    e);
        }
        try (InputStream in = resp.getEntity().getContent()) {
            return M.readTree(in);
        }
    }
}
