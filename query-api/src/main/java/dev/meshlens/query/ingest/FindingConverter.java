package dev.meshlens.query.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.Finding;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.IndexNames;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Finding records to the current-state index ({@code <prefix>-findings}, id = finding id, external
 * version = newest time in the finding, so an older update never overwrites a newer one) and an
 * append-only history index (one document per version).
 */
public final class FindingConverter implements RecordConverter {
    private final IndexNames names;
    private final Clock clock;

    public FindingConverter(IndexNames names, Clock clock) {
        this.names = names;
        this.clock = clock;
    }

    @Override
    public Converted convert(ConsumerRecord<byte[], byte[]> record, int recordIndex, String traceId) {
        if (record.value() == null) {
            return Converted.reject("empty", "record has no value (tombstone)");
        }
        Finding f;
        try {
            f = EventCodec.get().decodeFinding(record.value());
        } catch (EventDecodeException ex) {
            return Converted.reject("decode", ex.getMessage());
        } catch (RuntimeException ex) {
            return Converted.reject("decode", String.valueOf(ex.getMessage()));
        }
        return Converted.ok(ops(f, names, clock.instant(), recordIndex));
    }

    /**
     * The two writes of one finding version: the current state (newest version wins) and its history
     * document. Every writer of findings uses these, the ingest of the findings topic and the trust
     * matrix's contradictions alike.
     */
    public static List<BulkOp> ops(Finding f, IndexNames names, Instant now, int recordIndex) {
        ObjectNode doc = Documents.finding(f, now);
        ObjectNode hist = Documents.findingHistory(f, doc);
        return List.of(
                new BulkOp(
                        names.findings(),
                        f.id(),
                        Documents.bytes(doc),
                        Documents.versionOf(f),
                        true,
                        f.clientMesh(),
                        recordIndex),
                new BulkOp(
                        names.findingsHistoryIndex(Instant.ofEpochMilli(Documents.versionOf(f))),
                        Documents.historyId(f),
                        Documents.bytes(hist),
                        null,
                        false,
                        f.clientMesh(),
                        recordIndex));
    }
}
