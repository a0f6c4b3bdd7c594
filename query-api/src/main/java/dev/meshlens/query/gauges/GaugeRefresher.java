package dev.meshlens.query.gauges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.query.auth.Scope;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

  public void refresh() {
    try {
      Map<String, Long> open = read.openFindingsByCategory().get(30, TimeUnit.SECONDS);
      metrics.setOpenFindings(open);
      ObjectNode inv = read.meshes(Scope.admin("gauges"), ALL_CERTS).get(30, TimeUnit.SECONDS);
      Set<String> keep = new HashSet<>();
      for (JsonNode m : inv.path("meshes")) {
        String mesh = m.path("mesh_id").asText();
        if (m.hasNonNull("last_seen")) {
          metrics.meshSeen(mesh, Instant.parse(m.path("last_seen").asText()));
        }
        for (JsonNode c : m.path("certificates_near_expiry")) {
          String kind = c.path("kind").asText("leaf");
          String subject = c.path("subject").asText("");
          metrics.certificateExpiryDays(mesh, kind, subject, c.path("days_left").asLong());
          keep.add(MeshlensMetrics.certificateKey(mesh, kind, subject));
        }
      }
      metrics.retainCertificates(keep);
    } catch (Exception e) {
      LOG.debug("gauge refresh failed: {}", e.toString());
    }
  }
}
