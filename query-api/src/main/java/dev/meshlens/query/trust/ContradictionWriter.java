package dev.meshlens.query.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.query.ingest.BulkOp;
import dev.meshlens.query.ingest.BulkWriter;
import dev.meshlens.query.ingest.FindingConverter;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.query.store.QueryDsl;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the matrix's contradictions as TRUST_CONTRADICTION findings in the findings index, the way
 * the ingest stores the correlator's findings (same documents, same newest-version-wins rule), so
 * they need no topic of their own. Every instance that refreshes the matrix computes the same
 * versions from the same data, so several writers agree.
 */
public final class ContradictionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ContradictionWriter.class);

    private final QueryClient es;
    private final BulkWriter bulk;
    private final IndexNames names;

    public ContradictionWriter(QueryClient es, BulkWriter bulk, IndexNames names) {
        this.es = es;
        this.bulk = bulk;
        this.names = names;
    }

    /**
     * Reads the stored contradiction findings, writes what changed.
     *
     * @return the findings written
     * @throws IOException when Elasticsearch cannot be read or refuses a write (the next refresh retries)
     */
    public List<Finding> write(TrustMatrix m) throws IOException {
        List<Finding> next = ContradictionFindings.next(m, stored());
        if (next.isEmpty()) {
            return next;
        }
        List<BulkOp> ops = new ArrayList<>();
        for (Finding f : next) {
            ops.addAll(FindingConverter.ops(f, names, m.generatedAt(), 0));
        }
        BulkWriter.Result r = bulk.write(ops);
        if (!r.retryable().isEmpty() || !r.permanent().isEmpty()) {
            throw new IOException(
                    "contradiction findings not stored: " + r.retryable().size() + " to retry, "
                            + r.permanent().size() + " refused"
                            + (r.permanent().isEmpty()
                                    ? ""
                                    : " (" + r.permanent().get(0).reason() + ")"));
        }
        LOG.debug("{} trust contradiction finding version(s) stored", next.size());
        return next;
    }

    private Map<String, Finding> stored() throws IOException {
        ObjectNode body = QueryDsl.obj();
        // far more than the ordered mesh pairs times two directions times two kinds any federation has
        body.put("size", 10_000);
        body.set(
                "query",
                QueryDsl.bool()
                        .filter(QueryDsl.term("category", FailureCategory.TRUST_CONTRADICTION.name()))
                        .build());
        JsonNode resp;
        try {
            resp = es.search(names.findings(), body).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("reading the stored contradiction findings: " + e.getMessage(), e);
        }
        Map<String, Finding> out = new LinkedHashMap<>();
        for (JsonNode h : resp.path("hits").path("hits")) {
            try {
                // the document is the finding plus derived fields, which the codec ignores
                Finding f = EventCodec.get().decodeFinding(h.path("_source").toString());
                out.put(f.id(), f);
            } catch (RuntimeException e) {
                LOG.warn(
                        "skipping undecodable contradiction finding {}: {}",
                        h.path("_id").asText(),
                        e.toString());
            }
        }
        return out;
    }
}
