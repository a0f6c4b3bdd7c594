package dev.meshlens.collector.event;

import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import java.util.Objects;

/**
 * Where observations come from: the mesh and the source's stable identity (used for event ids).
 *
 * @param meshId mesh id
 * @param meshKind mesh kind
 * @param cluster Kubernetes cluster / Consul datacenter name, or null
 * @param sourceKind kind of source
 * @param sourceIdentity stable identity of the source (file identity, OTLP stream, admin URL)
 */
public record SourceContext(
        String meshId, MeshKind meshKind, String cluster, SourceKind sourceKind, String sourceIdentity) {
    public SourceContext {
        Objects.requireNonNull(meshId, "meshId");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(sourceIdentity, "sourceIdentity");
    }
}
