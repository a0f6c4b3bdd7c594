package dev.meshlens.query.ingest;

import java.util.Objects;

/**
 * One operation of a bulk request.
 *
 * @param index target index
 * @param id document id (event id / finding id)
 * @param source the JSON document
 * @param externalVersion when not null, index with {@code version_type=external_gte} (newest wins)
 * @param conflictIsSuccess a 409 means a newer version (or, for {@link Action#CREATE}, the document) is already
 *     stored, which is a success
 * @param mesh mesh the document belongs to (metrics), may be null
 * @param recordIndex index of the Kafka record in the batch this operation came from
 * @param action what the bulk request does with the document
 * @param origin for {@link Action#CREATE}: the record's {@code topic/partition/offset}, also written into the
 *     document, so that after a 409 the stored copy tells whether this very record wrote it; else null
 */
public record BulkOp(
        String index,
        String id,
        byte[] source,
        Long externalVersion,
        boolean conflictIsSuccess,
        String mesh,
        int recordIndex,
        Action action,
        String origin) {
    /** The bulk action. */
    public enum Action {
        INDEX("index"),
        CREATE("create");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    public BulkOp(
            String index,
            String id,
            byte[] source,
            Long externalVersion,
            boolean conflictIsSuccess,
            String mesh,
            int recordIndex) {
        this(index, id, source, externalVersion, conflictIsSuccess, mesh, recordIndex, Action.INDEX, null);
    }

    /** Writes the document of record {@code recordIndex} unless one with its id exists (a 409 is a success). */
    public static BulkOp create(String index, String id, byte[] source, String mesh, int recordIndex, String origin) {
        return new BulkOp(
                index, id, source, null, true, mesh, recordIndex, Action.CREATE, Objects.requireNonNull(origin));
    }

    public BulkOp {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
    }
}
