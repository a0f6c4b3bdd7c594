package dev.meshlens.query.trust;

import dev.meshlens.events.SpiffeId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which SAN checks fail when a mesh's naming template changes: every identity of that mesh that a
 * client of another mesh accepted is renamed under the new template; where the name changes, a
 * client that pins it (DestinationRule {@code subjectAltNames}, Consul's upstream SPIFFE ID check)
 * rejects the server. Pure.
 *
 * <p>Accepted identities are the evidence meshlens has of SAN expectations: the collectors do not read
 * the expectations themselves, so a client that checks only the trust domain is listed too (its check
 * survives a template change that keeps the trust domain).
 */
final class SanChecks {
    private SanChecks() {}

    static List<SanBreak> of(TrustInventory inv, List<AcceptedSan> accepted, Change.Naming change) {
        List<SanBreak> out = new ArrayList<>();
        for (AcceptedSan a : accepted) {
            SpiffeId old = SpiffeId.tryParse(a.serverId());
            if (old == null
                    || change.mesh().equals(a.clientMesh())
                    || !change.mesh().equals(owner(inv, a.serverId(), old))) {
                // a mesh's own clients are renamed together with its servers by its control plane
                continue;
            }
            String after;
            String problem = null;
            try {
                after = change.rename(old);
            } catch (IllegalArgumentException e) {
                after = null;
                problem = e.getMessage();
            }
            if (a.serverId().equals(after)) {
                continue;
            }
            String client = a.clientId() != null
                    ? a.clientId() + " (mesh " + a.clientMesh() + ")"
                    : "clients of mesh " + a.clientMesh();
            String why = after != null
                    ? client + " accepted " + a.serverId() + "; under the new template the server presents " + after
                            + ", which a SAN check pinned to the old identity rejects. Fix: add " + after
                            + " to the expected SANs of " + client + " before the change, and keep " + a.serverId()
                            + " until every workload of mesh " + change.mesh() + " is re-issued"
                    : client + " accepted " + a.serverId() + ", which the new template cannot name (" + problem
                            + "): fix the template first";
            out.add(new SanBreak(
                    a.clientMesh(), a.clientId(), change.mesh(), a.serverId(), after, a.last(), a.count(), why));
        }
        out.sort(Comparator.comparing(SanBreak::clientMesh)
                .thenComparing(b -> b.clientId() == null ? "" : b.clientId())
                .thenComparing(SanBreak::expectedId));
        return out;
    }

    /**
     * The mesh whose workload presents this identity: the one whose /certs inventory holds it, else the
     * only one with its trust domain; null when unknown or ambiguous.
     */
    static String owner(TrustInventory inv, String id, SpiffeId parsed) {
        for (MeshInventory m : inv.meshes().values()) {
            for (Chain c : m.chains()) {
                if (id.equals(c.workload())) {
                    return m.meshId();
                }
            }
        }
        String found = null;
        for (MeshInventory m : inv.meshes().values()) {
            if (parsed.trustDomain().equals(m.trustDomain())) {
                if (found != null) {
                    return null;
                }
                found = m.meshId();
            }
        }
        return found;
    }
}
