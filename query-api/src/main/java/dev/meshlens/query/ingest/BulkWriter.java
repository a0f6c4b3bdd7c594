package dev.meshlens.query.ingest;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends operations as one {@code _bulk} request and sorts each item's outcome: acknowledged,
 * retryable (429, 5xx, shard/cluster unavailable) or permanent (400: the document can never be
 * indexed as it is).
 */
public final class BulkWriter {
  private final ElasticsearchClient client;

  public BulkWriter(ElasticsearchClient client) {
    this.client = client;
  }

  /** A rejected operation with Elasticsearch's error type and reason. */
  public record Failure(BulkOp op, int status, String type, String reason) {}

  /** Outcome of one bulk request. */
  public record Result(List<BulkOp> acknowledged, List<Failure> retryable, List<Failure> permanent) {}

  /**
   * @throws IOException when Elasticsearch cannot be reached or rejects the request as a whole
   */
  public Result write(List<BulkOp> ops) throws IOException {
    List<BulkOperation> bulk = new ArrayList<>(ops.size());
    for (BulkOp op : ops) {
      BinaryData data = BinaryData.of(op.source(), "application/json");
      bulk.add(BulkOperation.of(b -> b.index(i -> {
        i.index(op.index()).id(op.id()).document(data);
        if (op.externalVersion() != null) {
          i.version(op.externalVersion()).versionType(VersionType.ExternalGte);
        }
        return i;
      })));
    }
    BulkResponse resp;
    try {
      resp = client.bulk(b -> b.operations(bulk));
    } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
      throw new IOException("bulk request rejected: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IOException("bulk request failed: " + e.getMessage(), e);
    }
    List<BulkOp> ok = new ArrayList<>(ops.size());
    List<Failure> retry = new ArrayList<>();
    List<Failure> permanent = new ArrayList<>();
    List<BulkResponseItem> items = resp.items();
    if (items.size() != ops.size()) {
      throw new IOException("bulk response has " + items.size() + " items for " + ops.size() + " operations");
    }
    for (int i = 0; i < items.size(); i++) {
      BulkResponseItem item = items.get(i);
      BulkOp op = ops.get(i);
      if (item.error() == null) {
        ok.add(op);
        continue;
      }
      int status = item.status();
      String type = item.error().type();
      String reason = item.error().reason();
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
}
