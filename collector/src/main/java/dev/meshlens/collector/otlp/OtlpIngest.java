package dev.meshlens.collector.otlp;

import dev.meshlens.collector.event.SourceContext;
import dev.meshlens.collector.otlp.OtlpLogRecords.Rec;
import dev.meshlens.collector.pipeline.LinePipeline;
import dev.meshlens.events.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The durability path both OTLP receivers share: a batch of records is taken only when every event it
 * makes is durable (published or spooled). The receiver answers the sender after {@link #ingest} returns,
 * so a batch that was refused or not made durable stays with the sender, which retries it.
 */
public final class OtlpIngest {
    /** How long a request may wait for its events to become durable before the sender is told to retry. */
    public static final Duration DEFAULT_DURABLE_TIMEOUT = Duration.ofSeconds(30);

    /** What a receiver answers: the batch is durable, refused while paused, or not durable in time. */
    public sealed interface Outcome {}

    public record Durable() implements Outcome {}

    /** The publisher cannot take events now (spool full): nothing of the batch was taken. */
    public record Paused(String reason) implements Outcome {}

    /** Some event did not become durable in time; the sender retries the batch (duplicates are deduplicated by id). */
    public record NotDurable(String reason) implements Outcome {}

    private final LinePipeline pipeline;
    private final Duration durableTimeout;

    public OtlpIngest(LinePipeline pipeline) {
        this(pipeline, DEFAULT_DURABLE_TIMEOUT);
    }

    public OtlpIngest(LinePipeline pipeline, Duration durableTimeout) {
        this.pipeline = pipeline;
        this.durableTimeout = durableTimeout;
    }

    /** Why the collector refuses batches now, or null: checked before a request's body is decoded. */
    public String paused() {
        return pipeline.paused();
    }

    /** A request that could not be decoded: counted as an unparseable input with {@code reason}. */
    public void rejected(String reason) {
        pipeline.rejected(reason);
    }

    /** Blocks until the batch is durable (or refused): call it off any event loop. */
    Outcome ingest(List<Rec> recs) throws InterruptedException {
        String paused = pipeline.paused();
        if (paused != null) {
            // Back-pressure for a push source: the sender keeps the records and retries.
            return new Paused(paused);
        }
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Rec r : recs) {
            SourceContext ctx = pipeline.origin().source(SourceKind.OTEL_LOG, "otlp:" + r.streamKey());
            long position = r.timeUnixNano() * 31 + r.body().hashCode();
            Instant t = r.timeUnixNano() > 0 ? Instant.ofEpochSecond(0, r.timeUnixNano()) : Instant.now();
            CompletableFuture<Void> f = pipeline.process(ctx, position, r.body(), t, r.attributes(), "otlp");
            if (f != null) {
                pending.add(f);
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0]))
                    .get(durableTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Durable();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new NotDurable(String.valueOf(e.getMessage()));
        }
    }
}
