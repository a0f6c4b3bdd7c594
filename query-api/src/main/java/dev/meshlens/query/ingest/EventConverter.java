package dev.meshlens.query.ingest;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.rollup.RollupBatch;
import dev.meshlens.query.rollup.RollupWriter;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import java.io.IOException;
import java.time.Clock;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Mesh event records to {@code <prefix>-events-YYYY.MM.DD} documents (id = event id), and per batch the
 * roll-ups diagnose reads ({@code <prefix>-rollups-YYYY.MM.DD}).
 */
public final class EventConverter implements RecordConverter {
    private final IndexNames names;
    private final MeshlensMetrics metrics;
    private final Clock clock;
    private final RollupWriter rollups;

    public EventConverter(IndexNames names, MeshlensMetrics metrics, Clock clock, RollupWriter rollups) {
        this.names = names;
        this.metrics = metrics;
        this.clock = clock;
        this.rollups = rollups;
    }

    @Override
    public Converted convert(ConsumerRecord<byte[], byte[]> record, int recordIndex, String traceId) {
        if (record.value() == null) {
            return Converted.reject("empty", "record has no value (tombstone)");
        }
        MeshEvent e;
        try {
            e = EventCodec.get().decodeEvent(record.value());
        } catch (EventDecodeException ex) {
            return Converted.reject("decode", ex.getMessage());
        } catch (RuntimeException ex) {
            return Converted.reject("decode", String.valueOf(ex.getMessage()));
        }
        if (e.eventId().isBlank() || e.eventId().length() > 512) {
            return Converted.reject("bad_event_id", "event_id must be 1..512 characters");
        }
        String origin = origin(record);
        byte[] doc;
        try {
            doc = Documents.event(record.value(), e, traceId, clock.instant(), origin);
        } catch (RuntimeException ex) {
            return Converted.reject("encode", String.valueOf(ex.getMessage()));
        }
        return Converted.ok(
                List.of(BulkOp.create(
                        names.eventsIndex(e.observedTime()), e.eventId(), doc, e.meshId(), recordIndex, origin)),
                e);
    }

    /** Where a record sits in Kafka: {@code topic/partition/offset}. */
    static String origin(ConsumerRecord<byte[], byte[]> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    /**
     * Diagnose's roll-ups of the batch's events (see {@link RollupBatch}), for the records that wrote their
     * event's document (a second record with an event id already stored adds nothing, as it adds no document).
     */
    @Override
    public void afterBatch(List<ConsumerRecord<byte[], byte[]>> batch, List<Converted> converted, BitSet wroteDocument)
            throws IOException {
        RollupBatch rollups = new RollupBatch();
        for (int i = 0; i < batch.size(); i++) {
            MeshEvent e = converted.get(i).event();
            if (e != null && wroteDocument.get(i)) {
                ConsumerRecord<byte[], byte[]> r = batch.get(i);
                rollups.add(e, r.topic(), r.partition(), r.offset());
            }
        }
        if (!rollups.isEmpty()) {
            this.rollups.write(rollups);
        }
    }

    @Override
    public void acknowledged(BulkOp op) {
        metrics.eventsIndexed(op.mesh(), 1);
    }
}
