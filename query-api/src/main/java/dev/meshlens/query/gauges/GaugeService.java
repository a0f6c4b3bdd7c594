package dev.meshlens.query.gauges;

import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.trust.ContradictionWriter;
import dev.meshlens.query.trust.TrustMatrix;
import dev.meshlens.query.trust.TrustMetrics;
import dev.meshlens.query.trust.TrustService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gauges every instance must agree on up to date from Elasticsearch, on one scheduler thread: open
 * findings, certificate expiry and mesh last-seen ({@link GaugeRefresher}) and the trust matrix
 * ({@link TrustMetrics}), and the matrix's contradictions as findings ({@link ContradictionWriter}) from the same
 * computation. Read-side work: it reads what ingest indexed, and ingest knows nothing of it.
 */
public final class GaugeService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GaugeService.class);
    private final GaugeRefresher gauges;
    private final TrustService trust;
    private final TrustMetrics trustGauges;
    private final ContradictionWriter contradictions;
    private final Duration gaugeEvery;
    private final Duration trustEvery;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlens-gauges");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param gaugeEvery how often the open-findings, certificate and last-seen gauges are refreshed
     * @param trustEvery how often the trust matrix gauges and contradiction findings are recomputed
     */
    public GaugeService(
            ReadModel read,
            TrustService trust,
            ContradictionWriter contradictions,
            MeshlensMetrics metrics,
            Duration gaugeEvery,
            Duration trustEvery) {
        this.gauges = new GaugeRefresher(Objects.requireNonNull(read, "read"), metrics);
        this.trust = Objects.requireNonNull(trust, "trust");
        this.trustGauges = new TrustMetrics(metrics.registry());
        this.contradictions = Objects.requireNonNull(contradictions, "contradictions");
        this.gaugeEvery = Objects.requireNonNull(gaugeEvery, "gaugeEvery");
        this.trustEvery = Objects.requireNonNull(trustEvery, "trustEvery");
    }

    /** Schedules both refreshes (first runs after 1 s and 2 s); failures are logged by each and retried next time. */
    public GaugeService start() {
        scheduler.scheduleWithFixedDelay(gauges::refresh, 1_000, gaugeEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshTrust, 2_000, trustEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One matrix for both: failures are logged and leave the gauges and findings as they were. */
    private void refreshTrust() {
        TrustMatrix m;
        try {
            m = trust.matrix().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.debug("trust matrix not recomputed: {}", e.toString());
            return;
        }
        trustGauges.update(m);
        try {
            contradictions.write(m);
        } catch (Exception e) {
            LOG.warn("trust contradiction findings not stored (next refresh retries): {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
