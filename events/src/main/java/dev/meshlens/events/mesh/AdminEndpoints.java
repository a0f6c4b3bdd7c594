package dev.meshlens.events.mesh;

import java.util.List;
import java.util.Objects;

/**
 * Where a mesh's Envoy admin answers and what to ask it.
 *
 * @param defaultAdminUrl the admin address the mesh's sidecars listen on by default (what to put in
 *     {@code sources.admin[].url})
 * @param statsPath the {@code ssl.*} counters query
 * @param certsPath the certificates the Envoy holds
 * @param tlsConfigDumpResources the {@code /config_dump?resource=} values tried, in order, for the TLS
 *     configuration (where this mesh puts its certificates)
 * @param note how to reach it, for docs and the configuration reference
 */
public record AdminEndpoints(
        String defaultAdminUrl, String statsPath, String certsPath, List<String> tlsConfigDumpResources, String note) {
    public AdminEndpoints {
        Objects.requireNonNull(statsPath, "statsPath");
        Objects.requireNonNull(certsPath, "certsPath");
        tlsConfigDumpResources = List.copyOf(tlsConfigDumpResources);
        note = note == null ? "" : note;
    }

    /** Envoy's own admin API: what every Envoy answers, whatever mesh runs it. */
    public static AdminEndpoints envoy(String defaultAdminUrl, List<String> tlsConfigDumpResources, String note) {
        return new AdminEndpoints(
                defaultAdminUrl, "/stats?format=json&filter=ssl", "/certs", tlsConfigDumpResources, note);
    }
}
