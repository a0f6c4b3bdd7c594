package dev.meshlens.query.ingest;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Mesh event records to {@code <prefix>-events-YYYY.MM.DD} documents (id = event id). */
public final class EventConverter implements RecordConverter {
    private final IndexNames names;
    private final MeshlensMetrics metrics;
    private final Clock clock;

    public EventConverter(IndexNames names, MeshlensMetrics metrics, Clock clock) {
        this.names = names;
        this.metrics = metrics;
        this.clock = clock;
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
        byte[] doc;
        try {
            doc = Documents.event(record.value(), e, traceId, clock.instant());
        } catch (RuntimeException ex) {
            return Converted.reject("encode", String.valueOf(ex.getMessage()));
        }
        return Converted.ok(List.of(new BulkOp(
                names.eventsIndex(e.observedTime()), e.eventId(), doc, null, false, e.meshId(), recordIndex)));
    }

    @Override
    public void acknowledged(BulkOp op) {
        metrics.eventsIndexed(op.mesh(), 1);
    }
}
