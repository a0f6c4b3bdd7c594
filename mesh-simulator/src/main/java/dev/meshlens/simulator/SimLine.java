package dev.meshlens.simulator;

import dev.meshlens.events.MeshEvent;
import java.time.Instant;

/**
 * One observation a mesh produced: an access-log line (with the file it goes to) or an admin
 * poll, plus the ground-truth event a correct parser + classifier + collector derives from it.
 *
 * @param meshId the mesh that wrote it
 * @param envoy the Envoy (service name) that wrote it
 * @param file {@code access.log}, {@code listener.log}, or null for admin polls (stats, certs, bundle)
 * @param at the time as written (the mesh's clock, skew included)
 * @param text the line as the Envoy writes it (null for admin polls)
 * @param expected the event the collector should publish for it
 */
public record SimLine(String meshId, String envoy, String file, Instant at, String text, MeshEvent expected) {
    public boolean isLogLine() {
        return text != null;
    }
}
