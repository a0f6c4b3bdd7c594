package dev.meshlens.query.ingest;

import dev.meshlens.events.MeshEvent;
import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns one Kafka record into index operations, or says why it can never be indexed. */
public interface RecordConverter {

    /**
     * The result for one record: operations, or a permanent rejection; {@code event} is the decoded event
     * when the record is one (handed back to {@link #batchOps}), else null.
     */
    record Converted(List<BulkOp> ops, String rejectReason, String rejectDetail, MeshEvent event) {
        public static Converted ok(List<BulkOp> ops) {
            return new Converted(ops, null, null, null);
        }

        public static Converted ok(List<BulkOp> ops, MeshEvent event) {
            return new Converted(ops, null, null, event);
        }

        public static Converted reject(String reason, String detail) {
            return new Converted(List.of(), reason, detail, null);
        }

        public boolean rejected() {
            return rejectReason != null;
        }
    }

    /**
     * @param record the record
     * @param recordIndex its index inside the batch (copy it into every {@link BulkOp})
     * @param traceId trace id continued from the record's {@code traceparent} header, or null
     */
    Converted convert(ConsumerRecord<byte[], byte[]> record, int recordIndex, String traceId);

    /**
     * Work that follows the batch's acknowledged documents, before its offsets are committed (the events'
     * roll-ups); nothing by default. Must be idempotent: it is called again after a failure, and again for a
     * batch delivered twice.
     *
     * @param batch the records, in batch order
     * @param converted what {@link #convert} returned for each, same order
     * @param wroteDocument the records whose {@link BulkOp.Action#CREATE} wrote the document: now, or in an
     *     earlier delivery of the same record (its stored origin is this record's)
     * @throws IOException while Elasticsearch is unavailable (the loop pauses and calls again)
     */
    default void afterBatch(List<ConsumerRecord<byte[], byte[]>> batch, List<Converted> converted, BitSet wroteDocument)
            throws IOException {}

    /** Called after Elasticsearch acknowledged an operation (metrics, gauges). */
    default void acknowledged(BulkOp op) {}
}
