package dev.meshlens.query.gauges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the gauges every instance must agree on from Elasticsearch: open findings by category,
 * days to expiry of every certificate and trusted root seen in the last 7 days, and each mesh's
 * last-seen time.
 */
public final class GaugeRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(GaugeRefresher.class);
    private static final ReadModel.InventorySettings ALL_CERTS =
            new ReadModel.InventorySettings(Integer.MAX_VALUE, Duration.ofDays(3650), Duration.ofDays(7));

    private final ReadModel read;
    private final MeshlensMetrics metrics;

    public GaugeRefresher(ReadModel read, MeshlensMetrics metrics) {
        this.read = read;
        this.metrics = metrics;
    }

    private static Instant notAfter(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // an inventory entry without a readable notAfter has no expiration to report
        }
    }

    public void refresh() {
        try {
            Map<String, Long> open = read.openFindingsByCategory().get(30, TimeUnit.SECONDS);
            metrics.setOpenFindings(open);
            ObjectNode inv = read.meshes(Scope.admin("gauges"), ALL_CERTS).get(30, TimeUnit.SECONDS);
            // the soonest notAfter per (mesh, kind, subject): the certificate of that name that breaks first
            Map<String, Instant> soonest = new HashMap<>();
            Map<String, String[]> labels = new HashMap<>();
            for (JsonNode m : inv.path("meshes")) {
                String mesh = m.path("mesh_id").asText();
                if (m.hasNonNull("last_seen")) {
                    metrics.meshSeen(mesh, Instant.parse(m.path("last_seen").asText()));
                }
                for (JsonNode c : m.path("certificates_near_expiry")) {
                    Instant notAfter = notAfter(c.path("not_after").asText(null));
                    if (notAfter == null) {
                        continue;
                    }
                    String kind = c.path("kind").asText("leaf");
                    String subject = c.path("subject").asText("");
                    String key = MeshlensMetrics.certificateKey(mesh, kind, subject);
                    soonest.merge(key, notAfter, (a, b) -> a.isBefore(b) ? a : b);
                    labels.put(key, new String[] {mesh, kind, subject});
                }
            }
            soonest.forEach((key, notAfter) -> {
                String[] l = labels.get(key);
                metrics.certificateExpiration(l[0], l[1], l[2], notAfter);
            });
            metrics.retainCertificates(soonest.keySet());
        } catch (Exception e) {
            LOG.debug("gauge refresh failed: {}", e.toString());
        }
    }
}
