package dev.meshlens.correlator;

import dev.meshlens.events.ConnectErrors;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshNames;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.StatsDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads what the correlator needs out of a {@link MeshEvent}. Stateless. */
final class Observations {
    private Observations() {}

    /** Categories that do not name a cause on their own; the other half or the inventory refines them. */
    static boolean generic(FailureCategory c) {
        return c == null
                || c == FailureCategory.CERT_REJECTED
                || c == FailureCategory.UNKNOWN
                || c == FailureCategory.CONNECTION_RESET
                || c == FailureCategory.UPSTREAM_CONNECT_FAILURE;
    }

    static boolean isInventory(MeshEvent e) {
        return e.sourceKind() == SourceKind.TRUST_BUNDLE || e.sourceKind() == SourceKind.ENVOY_CERTS;
    }

    static boolean isStats(MeshEvent e) {
        return e.sourceKind() == SourceKind.ENVOY_STATS && e.stats() != null;
    }

    static ObserverRole role(MeshEvent e) {
        if (MeshNames.toLocalApp(e)) {
            // the Envoy accepted the connection from the mesh and handed it to its own app (a collector that
            // predates this reading calls such a line CLIENT when its upstream, the app, failed)
            return ObserverRole.SERVER;
        }
        if (e.observerRole() != null) {
            return e.observerRole();
        }
        if (e.direction() != null) {
            return e.direction() == dev.meshlens.events.Direction.OUTBOUND ? ObserverRole.CLIENT : ObserverRole.SERVER;
        }
        if (e.stats() != null) {
            return "listener".equals(e.stats().scope()) ? ObserverRole.SERVER : ObserverRole.CLIENT;
        }
        // Consul's cluster names carry no direction prefix: its inbound cluster is local_app, its upstreams
        // are <service>.<namespace>.<dc>.internal.<trust-domain> (or .external. / peered names)
        String c = e.upstreamCluster();
        if (present(c)) {
            if (c.contains(".internal.") || c.contains(".external.") || c.endsWith(".consul")) {
                return ObserverRole.CLIENT;
            }
        }
        if (present(e.downstreamTransportFailureReason())) {
            return ObserverRole.SERVER;
        }
        if (present(e.upstreamTransportFailureReason())) {
            return ObserverRole.CLIENT;
        }
        return null;
    }

    /**
     * True when a failure event is not about a handshake of the mesh at all:
     * <ul>
     *   <li>a failure between a server's Envoy and its own application ({@link MeshNames#toLocalApp}: the
     *       app refused or reset the plaintext loopback connection after the mesh handshake had succeeded);
     *   <li>a TCP connect that failed before any TLS ran ({@link ConnectErrors}: connection refused, no route
     *       to host), however often it was retried;
     *   <li>a connect failure whose flags show that no upstream connection was attempted or that the request
     *       died after the connection (no healthy upstream, timeout, overflow), with no transport failure reason.
     * </ul>
     */
    static boolean notAHandshake(MeshEvent e) {
        if (e.tls() == null) {
            return false;
        }
        if (MeshNames.toLocalApp(e) && !present(e.downstreamTransportFailureReason())) {
            return true;
        }
        FailureCategory c = e.tls().category();
        if ((c == FailureCategory.UPSTREAM_CONNECT_FAILURE || c == FailureCategory.UNKNOWN)
                && ConnectErrors.isSocketConnectError(e)) {
            return true;
        }
        if (c != FailureCategory.UPSTREAM_CONNECT_FAILURE) {
            return false;
        }
        if (present(e.upstreamTransportFailureReason()) || present(e.downstreamTransportFailureReason())) {
            return false;
        }
        String f = e.responseFlags();
        return f == null || !(f.contains("UF") || f.contains("URX"));
    }

    /**
     * True when the event's Envoy accepted the connection for its destination service on its mesh's behalf, so
     * that mesh serves the service: any server-side observation (also a line handing the connection to the
     * app), and a Consul mesh gateway routing a peer's SNI ({@link MeshNames#isPeeredServiceSni}: only the
     * exporting cluster's gateway routes it, to its own service).
     */
    static boolean servesDestination(MeshEvent e) {
        return role(e) == ObserverRole.SERVER
                || (e.sourceKind() != SourceKind.ENVOY_STATS && MeshNames.isPeeredServiceSni(e.requestedServerName()));
    }

    /** A client line naming a service of the client's own mesh ({@link MeshNames#namesOwnKubernetesService}). */
    static boolean callsOwnMeshService(MeshEvent e) {
        return role(e) == ObserverRole.CLIENT && MeshNames.namesOwnKubernetesService(e.upstreamCluster());
    }

    /** A request that got through the handshake (so mTLS between the pair works). */
    static boolean isSuccess(MeshEvent e) {
        if (e.tls() != null || e.sourceKind() == SourceKind.ENVOY_STATS || isInventory(e)) {
            return false;
        }
        if (e.responseCode() == null || e.responseCode() == 0) {
            return false;
        }
        String flags = e.responseFlags();
        if (flags != null && !flags.equals("-")) {
            // UH (no healthy upstream), UF/URX (connect failure), NR, UO...: no handshake happened
            return flags.equals("UT") || flags.equals("DC");
        }
        return true;
    }

    /** The observer's identity: its SPIFFE ID, else the workload the collector named, else an address. */
    static String selfIdentity(MeshEvent e) {
        if (present(e.localUriSan())) {
            return e.localUriSan();
        }
        String w = e.attributes().get("workload");
        if (present(w)) {
            return w;
        }
        String addr = role(e) == ObserverRole.SERVER ? e.downstreamLocalAddress() : e.upstreamLocalAddress();
        return present(addr) ? "address " + host(addr) : "unknown";
    }

    static String host(String addr) {
        int c = addr.lastIndexOf(':');
        return c > 0 ? addr.substring(0, c) : addr;
    }

    static boolean present(String s) {
        return s != null && !s.isBlank() && !"-".equals(s);
    }

    /** The half of a failed access-log (or OTLP) observation. */
    static Half failureHalf(MeshEvent e) {
        ObserverRole role = role(e);
        var t = e.tls();
        // a client connection terminated (UC) with no TLS error at all: the client did not speak TLS
        boolean noTls = role == ObserverRole.CLIENT
                && t.code() == null
                && !present(e.upstreamTransportFailureReason())
                && t.category() == FailureCategory.CONNECTION_RESET
                && e.responseFlags() != null
                && e.responseFlags().contains("UC");
        FailureCategory category = t.category();
        RejectedBy rejectedBy = t.rejectedBy();
        String detail = t.detail();
        if (plaintextIntoSidecar(e)) {
            // a collector that predates this reading publishes the line as NO_ROUTE: read it as what it is
            category = FailureCategory.PLAINTEXT_MISMATCH;
            rejectedBy = RejectedBy.SELF;
        }
        if (category == FailureCategory.PLAINTEXT_MISMATCH
                && role == ObserverRole.SERVER
                && detail == null
                && "NR".equals(e.responseFlags())) {
            detail = "NR filter_chain_not_found without SNI on a sidecar's inbound listener: no filter chain takes"
                    + " plaintext under STRICT mTLS";
        }
        long ms = e.observedTime().toEpochMilli();
        return new Half(
                e.eventId(),
                e.meshId(),
                e.meshKind() == null ? null : e.meshKind().wireName(),
                role == ObserverRole.CLIENT,
                ms,
                ms,
                category,
                rejectedBy,
                selfIdentity(e),
                present(e.peerUriSan()) ? e.peerUriSan() : null,
                t.reason(),
                detail,
                t.rawText(),
                noTls,
                false,
                List.of(),
                false,
                null,
                false,
                0);
    }

    /**
     * Istio's line for a plaintext connection on a STRICT sidecar's inbound listener: {@code "- - -" 0 NR
     * filter_chain_not_found} with no SNI. Istio's inbound filter chains for mTLS match on
     * {@code transport_protocol: tls} (SNI is not part of the match), so a TLS client always finds one; a
     * plaintext client finds none. A gateway (SNI routing) or an SNI that matches no chain stays NO_ROUTE, and
     * so does a line whose Envoy is unknown (it could be a gateway).
     */
    static boolean plaintextIntoSidecar(MeshEvent e) {
        return e.tls() != null
                && e.tls().category() == FailureCategory.NO_ROUTE
                && role(e) == ObserverRole.SERVER
                && !present(e.requestedServerName())
                && knownEnvoy(e)
                && !isGateway(e);
    }

    private static boolean knownEnvoy(MeshEvent e) {
        return SpiffeId.tryParse(e.localUriSan()) != null
                || present(e.attributes().get("workload"));
    }

    /** True when the observing Envoy is a gateway ({@link MeshNames#isGateway}). */
    static boolean isGateway(MeshEvent e) {
        return MeshNames.isGateway(e);
    }

    /** Envoy cluster names that forward to the original destination: they do not name the service called. */
    private static final Set<String> PASSTHROUGH = Set.of(
            "original-destination",
            "passthroughcluster",
            "inboundpassthroughcluster",
            "inboundpassthroughclusteripv4",
            "inboundpassthroughclusteripv6");

    /**
     * A client's connection line that shows no failure at all: no TLS failure, no response code (a TCP
     * proxy line), nothing received from upstream and no upstream TLS. A plaintext client's Envoy (a Consul
     * transparent proxy, a sidecar with TLS origination off) logs its rejected connection like that. Only
     * lines whose cluster names the destination are kept: a passthrough cluster names none.
     */
    static boolean isOrdinaryClientLine(MeshEvent e) {
        if (e.tls() != null || e.sourceKind() == SourceKind.ENVOY_STATS || isInventory(e)) {
            return false;
        }
        if (role(e) != ObserverRole.CLIENT || (e.responseCode() != null && e.responseCode() != 0)) {
            return false;
        }
        if ((e.bytesReceived() != null && e.bytesReceived() > 0)
                || present(e.tlsVersion())
                || present(e.peerUriSan())) {
            return false;
        }
        String f = e.responseFlags();
        if (f != null && !f.equals("-") && !f.equals("UC")) {
            return false; // a failure the classifier did not call TLS (no healthy upstream, timeout...)
        }
        String c = e.upstreamCluster();
        return present(c) && !PASSTHROUGH.contains(c.toLowerCase(Locale.ROOT));
    }

    /** The half of an ordinary client connection line (see {@link #isOrdinaryClientLine}). */
    static Half ordinaryHalf(MeshEvent e) {
        long ms = e.observedTime().toEpochMilli();
        return new Half(
                e.eventId(),
                e.meshId(),
                e.meshKind() == null ? null : e.meshKind().wireName(),
                true,
                ms,
                ms,
                FailureCategory.UNKNOWN,
                RejectedBy.UNKNOWN,
                selfIdentity(e),
                null,
                null,
                null,
                null,
                true,
                false,
                List.of(),
                true,
                null,
                false,
                0);
    }

    /**
     * A client Envoy's own upstream-cluster counters that name the cause of its verify failures, or null: only
     * {@code ssl.fail_verify_san} does (Envoy's default validator bumps it when the SAN list or matcher rejects
     * the server's certificate; {@code fail_verify_error} covers every chain failure and names none). They never
     * count or pair: they narrow that Envoy's bare CERTIFICATE_VERIFY_FAILED lines of the same interval.
     */
    static Half clientCounterHalf(MeshEvent e) {
        StatsDelta s = e.stats();
        if (role(e) != ObserverRole.CLIENT || !present(e.localUriSan())) {
            return null; // an Envoy nobody named could be any client of the service
        }
        long san = s.delta("ssl.fail_verify_san");
        if (san <= 0) {
            return null;
        }
        long ms = e.observedTime().toEpochMilli();
        long from = s.intervalSeconds() > 0 ? ms - (long) (s.intervalSeconds() * 1000) : ms;
        return new Half(
                e.eventId(),
                e.meshId(),
                e.meshKind() == null ? null : e.meshKind().wireName(),
                true,
                ms,
                from,
                FailureCategory.SAN_MISMATCH,
                RejectedBy.SELF,
                e.localUriSan(),
                null,
                null,
                null,
                s.scope() + " " + s.name() + " " + s.deltas(),
                false,
                true,
                List.of(new Half.Unit(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "ssl.fail_verify_san", san)),
                false,
                s.scope() + " " + s.name(),
                false,
                0);
    }

    /** The half of a server listener's ssl.* counter delta, or null when no failure counter moved. */
    static Half statsHalf(MeshEvent e) {
        StatsDelta s = e.stats();
        if (role(e) != ObserverRole.SERVER) {
            return null;
        }
        long san = s.delta("ssl.fail_verify_san");
        long noCert = s.delta("ssl.fail_verify_no_cert");
        long verify = s.delta("ssl.fail_verify_error") + s.delta("ssl.fail_verify_cert_hash");
        long conn = s.delta("ssl.connection_error");
        // Envoy counts these disjointly: SslSocket::drainErrorQueue bumps connection_error only when no
        // CERTIFICATE_VERIFY_FAILED / PEER_DID_NOT_RETURN_A_CERTIFICATE was seen. The simulator counts a verify
        // failure in both. Subtracting is exact for the simulator; for Envoy it undercounts the other failures
        // only when both kinds happen in one poll interval (never double counts).
        long other = Math.max(0, conn - san - noCert - verify);
        List<Half.Unit> units = new ArrayList<>();
        if (san > 0) {
            units.add(new Half.Unit(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "ssl.fail_verify_san", san));
        }
        if (noCert > 0) {
            units.add(new Half.Unit(
                    FailureCategory.CLIENT_CERT_MISSING, RejectedBy.SELF, "ssl.fail_verify_no_cert", noCert));
        }
        if (verify > 0) {
            units.add(new Half.Unit(FailureCategory.CERT_REJECTED, RejectedBy.SELF, "ssl.fail_verify_error", verify));
        }
        if (other > 0) {
            units.add(new Half.Unit(FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, "ssl.connection_error", other));
        }
        if (units.isEmpty()) {
            return null;
        }
        long ms = e.observedTime().toEpochMilli();
        long from = s.intervalSeconds() > 0 ? ms - (long) (s.intervalSeconds() * 1000) : ms;
        return new Half(
                e.eventId(),
                e.meshId(),
                e.meshKind() == null ? null : e.meshKind().wireName(),
                false,
                ms,
                from,
                FailureCategory.UNKNOWN,
                RejectedBy.UNKNOWN,
                present(e.localUriSan()) ? e.localUriSan() : null,
                null,
                null,
                null,
                s.scope() + " " + s.name() + " " + s.deltas(),
                false,
                true,
                units,
                false,
                s.scope() + " " + s.name(),
                false,
                0);
    }
}
