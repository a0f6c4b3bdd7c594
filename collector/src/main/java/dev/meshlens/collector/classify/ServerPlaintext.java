package dev.meshlens.collector.classify;

import dev.meshlens.collector.format.Field;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TlsFailure;
import java.util.List;

/**
 * Plaintext on the server side that no TLS library reports, read from the whole line in context rather
 * than from one field. Two spellings:
 *
 * <ol>
 *   <li>A plaintext client into a STRICT Istio sidecar. Istio's STRICT inbound filter chains all match
 *       {@code transport_protocol: tls}, so a plaintext connection matches none: Envoy's
 *       {@code ActiveStreamListenerBase::newConnection} (envoyproxy/envoy
 *       source/common/listener_manager/active_stream_listener_base.cc) sets {@code NR} and
 *       {@code filter_chain_not_found} and logs through the listener access log, which Istio keeps for
 *       exactly the {@code NR} flag (istio/istio pilot/pkg/networking/core/accesslog.go,
 *       {@code listenerAccessLogFilter}). The line is {@code "- - -" 0 NR filter_chain_not_found} with no
 *       {@code %REQUESTED_SERVER_NAME%} (envoyproxy/ratelimit#296, after enabling STRICT:
 *       {@code ... - - 172.17.0.8:8081 172.17.0.1:38748 - -}). A mutual-TLS client always sends SNI, so on
 *       a sidecar's inbound listener no SNI and no TLS means plaintext, rejected by this Envoy. A gateway,
 *       or an SNI that matches no filter chain, stays {@code NO_ROUTE}.</li>
 *   <li>A TLS client into a plaintext HTTP listener: the listener's TLS inspector reads the SNI from the
 *       ClientHello, then the HTTP/1 codec fails on the handshake bytes:
 *       {@code "- - HTTP/1.1" 400 DPE http1.codec_error ... outbound_.10101_._.svc...} (istio/istio#36434).
 *       An SNI on a codec error is what tells TLS bytes from any other malformed request. The TLS client
 *       reports it ({@code WRONG_VERSION_NUMBER}); this half did not reject a certificate, so
 *       {@code rejected_by} stays unknown.</li>
 * </ol>
 *
 * Stateless.
 */
final class ServerPlaintext {
    static final String NO_SNI_DETAIL = "no filter chain for a connection without SNI or TLS on a sidecar's inbound"
            + " listener: the client spoke plaintext (a mutual-TLS client always sends SNI)";
    static final String CODEC_DETAIL = "a TLS ClientHello (its SNI was read) reached a plaintext HTTP listener";

    private ServerPlaintext() {}

    /** The verdict read in context: {@code v} itself unless one of the two spellings applies. */
    static Verdict refine(ParsedLine p, ProxyRole role, Verdict v) {
        if (v != null && v.failure().category() == FailureCategory.NO_ROUTE && plaintextIntoSidecar(p, role)) {
            TlsFailure f = v.failure();
            return new Verdict(
                    new TlsFailure(
                            FailureCategory.PLAINTEXT_MISMATCH,
                            RejectedBy.SELF,
                            null,
                            "filter_chain_not_found",
                            NO_SNI_DETAIL,
                            f.rawText()),
                    ObserverRole.SERVER,
                    null,
                    v.flags(),
                    true,
                    v.source());
        }
        if (v == null && tlsIntoPlaintextHttp(p)) {
            String details = p.get(Field.RESPONSE_CODE_DETAILS);
            return new Verdict(
                    new TlsFailure(
                            FailureCategory.PLAINTEXT_MISMATCH,
                            RejectedBy.UNKNOWN,
                            null,
                            details,
                            CODEC_DETAIL,
                            "DPE " + details),
                    ObserverRole.SERVER,
                    null,
                    ResponseFlags.split(p.get(Field.RESPONSE_FLAGS)),
                    true,
                    "response_code_details");
        }
        return v;
    }

    /** NR for no filter chain, no SNI logged, no TLS at all, on a sidecar's inbound listener. */
    static boolean plaintextIntoSidecar(ParsedLine p, ProxyRole role) {
        if (role == ProxyRole.GATEWAY) {
            return false;
        }
        List<String> flags = ResponseFlags.split(p.get(Field.RESPONSE_FLAGS));
        String details = p.get(Field.RESPONSE_CODE_DETAILS);
        boolean noFilterChain = details != null ? details.contains("filter_chain_not_found") : flags.contains("NR");
        int sni = p.format().slotOf(Field.REQUESTED_SERVER_NAME);
        // a format that does not log the SNI cannot show that there was none
        if (!noFilterChain || sni < 0 || !p.absent(sni) || p.getLong(Field.RESPONSE_CODE, 0) > 0) {
            return false; // (a response code means an HTTP request that found no route, not a listener-level line)
        }
        if (!p.absent(Field.DOWNSTREAM_TLS_VERSION)
                || !p.absent(Field.DOWNSTREAM_PEER_URI_SAN)
                || !p.absent(Field.DOWNSTREAM_LOCAL_URI_SAN)
                || !p.absent(Field.DOWNSTREAM_TRANSPORT_FAILURE_REASON)) {
            return false;
        }
        return role == ProxyRole.SIDECAR || inboundListenerOnTheLine(p);
    }

    /**
     * Istio's inbound listener named on the line itself: an {@code inbound|…} cluster, route or filter chain,
     * {@code virtualInbound}, {@code InboundPassthroughCluster…}, or the inbound capture port 15006 as the
     * local address (a client that connected to 15006 directly).
     */
    static boolean inboundListenerOnTheLine(ParsedLine p) {
        for (Field f : new Field[] {Field.UPSTREAM_CLUSTER, Field.ROUTE_NAME, Field.FILTER_CHAIN_NAME}) {
            String s = p.get(f);
            if (s != null
                    && (s.startsWith("inbound|")
                            || s.startsWith("virtualInbound")
                            || s.startsWith("InboundPassthroughCluster"))) {
                return true;
            }
        }
        String local = p.get(Field.DOWNSTREAM_LOCAL_ADDRESS);
        return local != null && local.endsWith(":15006");
    }

    /** {@code DPE} with an HTTP codec error and an SNI, and no TLS session on the downstream side. */
    static boolean tlsIntoPlaintextHttp(ParsedLine p) {
        // checked in place first: this runs for every line without a failure verdict
        if (!p.contains(p.format().slotOf(Field.RESPONSE_FLAGS), "DPE")
                || !ResponseFlags.split(p.get(Field.RESPONSE_FLAGS)).contains("DPE")) {
            return false;
        }
        String details = p.get(Field.RESPONSE_CODE_DETAILS);
        return details != null
                && details.contains("codec_error")
                && !p.absent(Field.REQUESTED_SERVER_NAME)
                && p.absent(Field.DOWNSTREAM_TLS_VERSION);
    }
}
