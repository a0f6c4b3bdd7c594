package dev.meshlens.query.ingest;

import java.util.Objects;

/**
 * One index operation of a bulk request.
 *
 * @param index target index
 * @param id document id (event id / finding id)
 * @param source the JSON document
 * @param externalVersion when not null, index with {@code version_type=external_gte} (newest wins)
 * @param conflictIsSuccess a 409 means a newer version is already stored, which is a success
 * @param mesh mesh the document belongs to (metrics), may be null
 * @param recordIndex index of the Kafka record in the batch this operation came from
 */
public record BulkOp(
        String index,
        String id,
        byte[] source,
        Long externalVersion,
        boolean conflictIsSuccess,
        String mesh,
        int recordIndex) {
    public BulkOp {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
    }
}
