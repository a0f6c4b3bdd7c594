package dev.meshlens.query.gauges;

import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.trust.TrustMetrics;
import dev.meshlens.query.trust.TrustService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the gauges every instance must agree on up to date from Elasticsearch, on one scheduler thread: open
 * findings, certificate expiry and mesh last-seen ({@link GaugeRefresher}) and the trust matrix
 * ({@link TrustMetrics}). Read-side work: it reads what ingest indexed, and ingest knows nothing of it.
 */
public final class GaugeService implements AutoCloseable {
    private final GaugeRefresher gauges;
    private final TrustService trust;
    private final TrustMetrics trustGauges;
    private final Duration gaugeEvery;
    private final Duration trustEvery;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlens-gauges");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param gaugeEvery how often the open-findings, certificate and last-seen gauges are refreshed
     * @param trustEvery how often the trust matrix gauges are recomputed
     */
    public GaugeService(
            ReadModel read, TrustService trust, MeshlensMetrics metrics, Duration gaugeEvery, Duration trustEvery) {
        this.gauges = new GaugeRefresher(Objects.requireNonNull(read, "read"), metrics);
        this.trust = Objects.requireNonNull(trust, "trust");
        this.trustGauges = new TrustMetrics(metrics.registry());
        this.gaugeEvery = Objects.requireNonNull(gaugeEvery, "gaugeEvery");
        this.trustEvery = Objects.requireNonNull(trustEvery, "trustEvery");
    }

    /** Schedules both refreshes (first runs after 1 s and 2 s); failures are logged by each and retried next time. */
    public GaugeService start() {
        scheduler.scheduleWithFixedDelay(gauges::refresh, 1_000, gaugeEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> trustGauges.refresh(trust), 2_000, trustEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
