package dev.meshlens.collector.pipeline;

import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.collector.publish.EventPublisher;
import dev.meshlens.collector.redact.EventRedactor;
import dev.meshlens.events.MeshEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The one way out of a collector: count the event, redact it, publish it. Lines reach it through a
 * {@link LinePipeline}; events that are built whole (Envoy admin stats and certificates, trust bundles) come
 * here directly, so nothing can be published unredacted or uncounted.
 */
public final class EventOutlet {
    private final EventRedactor redactor;
    private final EventPublisher publisher;
    private final CollectorMetrics metrics;

    public EventOutlet(EventRedactor redactor, EventPublisher publisher, CollectorMetrics metrics) {
        this.redactor = redactor;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Counts, redacts and publishes; completes when the event is durable (published or spooled). */
    public CompletableFuture<Void> publish(MeshEvent e) throws InterruptedException {
        metrics.event(
                e.tls() == null ? "none" : e.tls().category().name(),
                e.tls() == null ? "none" : e.tls().rejectedBy().wireName());
        return publisher.publish(redactor.redact(e));
    }

    /** Counts a healthy request that a roll-up absorbs instead of publishing it. */
    void countHealthy() {
        metrics.healthyEvent();
    }

    /** Redacts without publishing (the event that opens a roll-up, published later by the roll-up). */
    MeshEvent redact(MeshEvent e) {
        return redactor.redact(e);
    }

    /** Why the publisher cannot take events now (spool full), or null. */
    public String paused() {
        return publisher.paused();
    }

    CollectorMetrics metrics() {
        return metrics;
    }
}
