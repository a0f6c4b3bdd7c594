package dev.meshlens.query.ingest;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns one Kafka record into index operations, or says why it can never be indexed. */
public interface RecordConverter {

    /** The result for one record: operations, or a permanent rejection. */
    record Converted(List<BulkOp> ops, String rejectReason, String rejectDetail) {
        public static Converted ok(List<BulkOp> ops) {
            return new Converted(ops, null, null);
        }

        public static Converted reject(String reason, String detail) {
            return new Converted(List.of(), reason, detail);
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

    /** Called after Elasticsearch acknowledged an operation (metrics, gauges). */
    default void acknowledged(BulkOp op) {}
}
