package dev.meshlens.collector.event;

import dev.meshlens.events.MeshKind;
import dev.meshlens.events.SourceKind;
import java.util.Objects;

/**
 * The mesh a collector observes: every source it reads shares this, only the source's kind and identity differ.
 *
 * @param meshId mesh id (also names the Kafka topic)
 * @param kind mesh kind
 * @param cluster Kubernetes cluster / Consul datacenter name, or null
 */
public record MeshOrigin(String meshId, MeshKind kind, String cluster) {
    public MeshOrigin {
        Objects.requireNonNull(meshId, "meshId");
        Objects.requireNonNull(kind, "kind");
    }

    /** The context of one source of this mesh. */
    public SourceContext source(SourceKind sourceKind, String sourceIdentity) {
        return new SourceContext(meshId, kind, cluster, sourceKind, sourceIdentity);
    }
}
