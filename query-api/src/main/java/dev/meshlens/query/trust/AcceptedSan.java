package dev.meshlens.query.trust;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.SpiffeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server identity a client accepted: a client of {@code clientMesh} completed mutual TLS with a
 * server presenting {@code serverId}. Where the client pins the server's SAN (an Istio DestinationRule's
 * {@code subjectAltNames}, Consul's SPIFFE ID check of an upstream), this is the identity it expects;
 * a naming-template change that makes the server present another ID fails that check.
 *
 * @param clientMesh the client's mesh
 * @param clientId the client's own SPIFFE ID, or null when its log does not say
 * @param serverId the SPIFFE ID the server presented (the client's {@code %UPSTREAM_PEER_URI_SAN%})
 * @param count successful requests seen
 * @param last the newest one
 */
public record AcceptedSan(String clientMesh, String clientId, String serverId, long count, Instant last) {

    /** Response flags of a request that completed (the same rule as the trust reader's successes). */
    private static final Set<String> COMPLETED_FLAGS = Set.of("-", "UT", "DC");

    /** The accepted identities in a list of events (an inventory file): client-side successes with a peer ID. */
    public static List<AcceptedSan> fromEvents(List<MeshEvent> events) {
        Map<String, AcceptedSan> out = new LinkedHashMap<>();
        for (MeshEvent e : events) {
            if (!accepted(e)) {
                continue;
            }
            AcceptedSan a = new AcceptedSan(e.meshId(), e.localUriSan(), e.peerUriSan(), 1, e.observedTime());
            out.merge(e.meshId() + '\u0000' + e.localUriSan() + '\u0000' + e.peerUriSan(), a, AcceptedSan::plus);
        }
        return new ArrayList<>(out.values());
    }

    private static boolean accepted(MeshEvent e) {
        return e.observerRole() == ObserverRole.CLIENT
                && (e.sourceKind() == SourceKind.ACCESS_LOG || e.sourceKind() == SourceKind.OTEL_LOG)
                && !e.isFailure()
                && e.responseCode() != null
                && e.responseCode() > 0
                && (e.responseFlags() == null || COMPLETED_FLAGS.contains(e.responseFlags()))
                && SpiffeId.tryParse(e.peerUriSan()) != null;
    }

    AcceptedSan plus(AcceptedSan o) {
        Instant newest = last == null || (o.last != null && o.last.isAfter(last)) ? o.last : last;
        return new AcceptedSan(clientMesh, clientId, serverId, count + o.count, newest);
    }
}
