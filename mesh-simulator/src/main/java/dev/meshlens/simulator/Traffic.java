package dev.meshlens.simulator;

import dev.meshlens.events.BoringSsl;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Turns calls between Envoys into what each Envoy writes: the client's outbound access-log line,
 * the server's inbound line (or its listener line for a failed handshake, when listener logs are
 * on), moved {@code ssl.*} counters, and the ground-truth event of each line. Deterministic for a
 * given seed and call sequence.
 */
public final class Traffic {
    private final Random random;
    private final Map<String, Long> sequence = new HashMap<>();
    private final Map<Envoy, Map<String, Long>> lastPoll = new HashMap<>();
    private final Map<Envoy, Instant> lastPollAt = new HashMap<>();

    public Traffic(long seed) {
        this.random = new Random(seed);
    }

    /** The result of one call: the verdict and the lines both sides wrote. */
    public record Call(Envoy client, Envoy server, Handshake.Result result, List<SimLine> lines) {}

    /** The Envoy cluster name a client uses for a server, in the client mesh's spelling. */
    public static String upstreamCluster(Envoy client, Envoy server) {
        return client.mesh()
                .dialect()
                .spelling()
                .cluster(
                        server.service(),
                        port(server),
                        host(client, server),
                        client.mesh().trustDomain());
    }

    /** The host name a client's application calls for a server. */
    public static String host(Envoy client, Envoy server) {
        return client.mesh()
                .dialect()
                .spelling()
                .host(server.service(), server.namespace(), client.mesh() == server.mesh());
    }

    static int port(Envoy server) {
        return server.mesh().dialect().serverPort();
    }

    /** The SNI the client's Envoy sends. */
    public static String sni(Envoy client, Envoy server) {
        return client.mesh()
                .dialect()
                .spelling()
                .sni(upstreamCluster(client, server), port(server), host(client, server));
    }

    /** One request from {@code client} to {@code server} (through {@code gateway}, may be null) at true time {@code t}. */
    public Call call(Envoy client, Envoy server, Envoy gateway, Instant t, String path) {
        Handshake.Result r = Handshake.decide(client, server, gateway, t);
        for (String c : r.client().counters()) {
            client.count(c, 1);
        }
        Envoy serverSide = r.noRoute() ? gateway : server;
        for (String c : r.server().counters()) {
            serverSide.count(c, 1);
        }
        List<SimLine> lines = new ArrayList<>(2);
        String requestId = new UUID(random.nextLong(), random.nextLong()).toString();
        String clientIp = client.ip();
        int clientPort = 30000 + random.nextInt(30000);
        String serverAddr = (gateway != null ? gateway.ip() : server.ip()) + ":" + port(server);
        Instant ct = client.mesh().clock(t);
        Instant st = serverSide.mesh().clock(t);

        // client (outbound) line
        AccessRecord c = new AccessRecord();
        c.startTime = ct;
        c.method = "GET";
        c.path = path;
        c.protocol = "HTTP/1.1";
        c.userAgent = "python-requests/2.32.3";
        c.requestId = requestId;
        c.authority = host(client, server)
                + (client.mesh().dialect().spelling().authorityHasPort() ? ":" + port(server) : "");
        c.upstreamCluster = upstreamCluster(client, server);
        c.downstreamLocalAddress = "127.0.0.1:15001";
        c.downstreamRemoteAddress = "127.0.0.6:" + (40000 + random.nextInt(20000));
        c.routeName = "default";
        if (r.success()) {
            c.responseCode = 200;
            c.responseFlags = "-";
            c.responseCodeDetails = "via_upstream";
            c.bytesSent = 200L + random.nextInt(2000);
            c.duration = 3L + random.nextInt(40);
            c.upstreamServiceTime = c.duration - 1;
            c.upstreamHost = serverAddr;
            c.upstreamLocalAddress = clientIp + ":" + clientPort;
        } else {
            Handshake.Half h = r.client();
            c.responseCode = 503;
            c.bytesSent = 91L;
            c.duration = 1L + random.nextInt(5);
            c.upstreamHost = serverAddr;
            String tlsError = h.tlsError();
            if (tlsError != null) {
                c.responseFlags = "UF";
                c.responseCodeDetails = "upstream_reset_before_response_started{connection_failure,"
                        + EnvoyTlsErrors.inDetails(tlsError) + "}";
                c.upstreamTransportFailureReason = tlsError;
                c.upstreamLocalAddress = clientIp + ":" + clientPort;
            } else {
                c.responseFlags = "UC";
                c.responseCodeDetails = "upstream_reset_before_response_started{connection_termination}";
                c.upstreamLocalAddress = clientIp + ":" + clientPort;
            }
        }
        if (client.reporting()) {
            lines.add(line(client, "access.log", c, false, clientEvent(client, server, c, r)));
        }

        // server (inbound) line
        if (serverSide.reporting()) {
            AccessRecord s = new AccessRecord();
            s.startTime = st;
            s.downstreamLocalAddress = serverSide.ip() + ":" + port(server);
            s.downstreamRemoteAddress = (gateway != null && !r.noRoute() ? gateway.ip() : clientIp) + ":" + clientPort;
            // the listener's TLS inspector reads the SNI of any ClientHello, also on a plaintext server port (a
            // 400 DPE http1.codec_error line still names it, istio/istio#36434; Istio's inbound listener runs the TLS
            // inspector, the simulator assumes the same of Consul's public listener)
            s.requestedServerName = client.tlsOrigination() ? sni(client, server) : null;
            if (r.success()) {
                s.method = "GET";
                s.path = path;
                s.protocol = "HTTP/1.1";
                s.responseCode = 200;
                s.responseFlags = "-";
                s.responseCodeDetails = "via_upstream";
                s.bytesSent = c.bytesSent;
                s.duration = Math.max(1, c.duration - 1);
                s.upstreamServiceTime = s.duration;
                s.userAgent = c.userAgent;
                s.requestId = requestId;
                s.authority = c.authority;
                s.upstreamHost = "127.0.0.1:" + server.mesh().dialect().appPort();
                s.upstreamCluster = server.mesh()
                        .dialect()
                        .spelling()
                        .localAppCluster(server.mesh().dialect().appPort());
                s.upstreamLocalAddress = "127.0.0.6:" + (40000 + random.nextInt(20000));
                s.routeName = "default";
                lines.add(line(server, "access.log", s, false, serverEvent(server, client, s, r)));
            } else if (r.noRoute()) {
                // Listener-level NR lines are written even with default settings.
                s.responseCode = 0;
                s.responseFlags = "NR";
                s.responseCodeDetails = "filter_chain_not_found";
                s.duration = 0L;
                lines.add(line(gateway, "access.log", s, false, serverEvent(gateway, client, s, r)));
            } else if (!server.tlsTermination()) {
                // a plaintext server receives a TLS ClientHello and fails to parse it as HTTP
                s.responseCode = 400;
                s.responseFlags = "DPE";
                s.responseCodeDetails = "http1.codec_error";
                s.protocol = "HTTP/1.1";
                s.duration = 0L;
                lines.add(line(server, "access.log", s, false, serverEvent(server, client, s, r)));
            } else if (server.mesh().listenerLogs() && r.server().tlsError() != null) {
                s.responseCode = 0;
                s.responseFlags = "-";
                s.duration = 0L;
                s.downstreamTransportFailureReason = r.server().tlsError();
                s.connectionTerminationDetails = null;
                lines.add(line(server, "listener.log", s, true, serverEvent(server, client, s, r)));
            }
        }
        return new Call(client, server, r, lines);
    }

    private SimLine line(Envoy e, String file, AccessRecord rec, boolean listener, MeshEvent expected) {
        String text = e.mesh().dialect().jsonLogs() ? rec.consulJson(listener) : rec.istioText(listener);
        return new SimLine(e.mesh().id(), e.service(), file, rec.startTime, text, expected);
    }

    private MeshEvent.Builder base(Envoy e, String source, Instant at, SourceKind kind) {
        long seq = sequence.merge(e.mesh().id() + "/" + e.service() + "/" + source, 1L, Long::sum);
        return MeshEvent.builder()
                .eventId(EventIds.of(e.mesh().id(), "sim:" + e.service() + "/" + source, seq))
                .observedTime(at)
                .meshId(e.mesh().id())
                .meshKind(e.mesh().kind())
                .cluster(e.mesh().cluster())
                .sourceKind(kind)
                .localUriSan(e.identity())
                .attributes(Map.of("workload", e.service()));
    }

    private static MeshEvent.Builder fields(MeshEvent.Builder b, AccessRecord r) {
        return b.method(r.method)
                .path(r.path)
                .protocol(r.protocol)
                .responseCode(r.responseCode)
                .responseFlags(r.responseFlags)
                .responseCodeDetails(r.responseCodeDetails)
                .connectionTerminationDetails(r.connectionTerminationDetails)
                .upstreamTransportFailureReason(r.upstreamTransportFailureReason)
                .downstreamTransportFailureReason(r.downstreamTransportFailureReason)
                .bytesReceived(r.bytesReceived)
                .bytesSent(r.bytesSent)
                .durationMs(r.duration)
                .userAgent(r.userAgent)
                .requestId(r.requestId)
                .authority(r.authority)
                .upstreamHost(r.upstreamHost)
                .upstreamCluster(r.upstreamCluster)
                .upstreamLocalAddress(r.upstreamLocalAddress)
                .downstreamLocalAddress(r.downstreamLocalAddress)
                .downstreamRemoteAddress(r.downstreamRemoteAddress)
                .requestedServerName(r.requestedServerName);
    }

    private MeshEvent clientEvent(Envoy client, Envoy server, AccessRecord r, Handshake.Result res) {
        MeshEvent.Builder b = fields(base(client, "access.log", r.startTime, SourceKind.ACCESS_LOG), r)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT);
        if (!res.success()) {
            b.tls(failure(res.client()));
        } else if (res.tlsVersion() != null) {
            b.tlsVersion(res.tlsVersion());
        }
        return b.build();
    }

    private MeshEvent serverEvent(Envoy server, Envoy client, AccessRecord r, Handshake.Result res) {
        MeshEvent.Builder b = fields(
                        base(
                                server,
                                r.downstreamTransportFailureReason != null ? "listener.log" : "access.log",
                                r.startTime,
                                SourceKind.ACCESS_LOG),
                        r)
                .direction(Direction.INBOUND)
                .observerRole(ObserverRole.SERVER);
        if (!res.success()) {
            b.tls(failure(res.server()));
        } else if (res.tlsVersion() != null) {
            b.tlsVersion(res.tlsVersion());
        }
        return b.build();
    }

    private static TlsFailure failure(Handshake.Half h) {
        BoringSsl.Reason reason = h.reason();
        String raw = h.tlsError();
        if (raw == null) {
            raw = h.category() == dev.meshlens.events.FailureCategory.NO_ROUTE
                    ? "filter_chain_not_found"
                    : h.category() == dev.meshlens.events.FailureCategory.PLAINTEXT_MISMATCH
                            ? "http1.codec_error"
                            : "upstream_reset_before_response_started{connection_termination}";
        }
        return new TlsFailure(
                h.category(),
                h.rejectedBy(),
                reason == null ? null : reason.code(),
                reason == null ? null : reason.name(),
                h.validatorDetail(),
                raw);
    }

    /**
     * An admin poll of {@code envoy}'s {@code ssl.*} counters at true time {@code t}: one ground-truth
     * event per listener/cluster whose counters moved since the previous poll.
     */
    public List<SimLine> pollStats(Envoy envoy, Instant t) {
        Map<String, Long> now = envoy.counters();
        Map<String, Long> before = lastPoll.getOrDefault(envoy, Map.of());
        Instant prevAt = lastPollAt.get(envoy);
        lastPoll.put(envoy, now);
        lastPollAt.put(envoy, t);
        if (!envoy.reporting() || !envoy.mesh().statsReported()) {
            return List.of();
        }
        double interval = prevAt == null ? 0 : (t.toEpochMilli() - prevAt.toEpochMilli()) / 1000.0;
        Map<String, Map<String, Long>> byScope = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            int ssl = e.getKey().lastIndexOf(".ssl.");
            if (d <= 0 || ssl < 0) {
                continue;
            }
            byScope.computeIfAbsent(e.getKey().substring(0, ssl), k -> new LinkedHashMap<>())
                    .put(e.getKey().substring(ssl + 1), d);
        }
        List<SimLine> out = new ArrayList<>();
        Instant at = envoy.mesh().clock(t);
        for (Map.Entry<String, Map<String, Long>> s : byScope.entrySet()) {
            boolean listener = s.getKey().startsWith("listener.");
            String name = s.getKey().substring(s.getKey().indexOf('.') + 1);
            MeshEvent.Builder b = base(envoy, "admin/stats/" + s.getKey(), at, SourceKind.ENVOY_STATS)
                    .observerRole(listener ? ObserverRole.SERVER : ObserverRole.CLIENT)
                    .direction(listener ? Direction.INBOUND : Direction.OUTBOUND)
                    .stats(new StatsDelta(listener ? "listener" : "cluster", name, s.getValue(), interval));
            if (!listener) {
                b.upstreamCluster(name);
            }
            out.add(new SimLine(envoy.mesh().id(), envoy.service(), null, at, null, b.build()));
        }
        return out;
    }

    /** The certificate inventory of one Envoy (its chain and the roots it trusts), as from {@code /certs}. */
    public SimLine certs(Envoy envoy, Instant t) {
        List<CertificateInfo> certs = new ArrayList<>();
        certs.add(Pki.info(envoy.leaf()));
        for (X509Certificate root : envoy.mesh().trustedRoots()) {
            certs.add(Pki.info(root));
        }
        Instant at = envoy.mesh().clock(t);
        return new SimLine(
                envoy.mesh().id(),
                envoy.service(),
                null,
                at,
                null,
                base(envoy, "admin/certs", at, SourceKind.ENVOY_CERTS)
                        .certificates(certs)
                        .build());
    }

    /** The mesh's trust bundle, as the collector reads it from the mesh's CA. */
    public SimLine trustBundle(SimMesh mesh, Instant t) {
        Instant at = mesh.clock(t);
        long seq = sequence.merge(mesh.id() + "/bundle", 1L, Long::sum);
        MeshEvent e = MeshEvent.builder()
                .eventId(EventIds.of(mesh.id(), "sim:trust-bundle", seq))
                .observedTime(at)
                .meshId(mesh.id())
                .meshKind(mesh.kind())
                .cluster(mesh.cluster())
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(mesh.trustBundle())
                .build();
        return new SimLine(mesh.id(), null, null, at, null, e);
    }

    /** A request that fails for reasons unrelated to TLS (application 5xx, no healthy upstream, timeout). */
    public SimLine unrelatedFailure(Envoy client, Envoy server, Instant t) {
        AccessRecord c = new AccessRecord();
        c.startTime = client.mesh().clock(t);
        c.method = "POST";
        c.path = "/api/orders";
        c.protocol = "HTTP/1.1";
        c.userAgent = "python-requests/2.32.3";
        c.requestId = new UUID(random.nextLong(), random.nextLong()).toString();
        c.authority = host(client, server);
        c.upstreamCluster = upstreamCluster(client, server);
        c.downstreamLocalAddress = "127.0.0.1:15001";
        c.downstreamRemoteAddress = "127.0.0.6:" + (40000 + random.nextInt(20000));
        c.routeName = "default";
        switch (random.nextInt(3)) {
            case 0 -> {
                c.responseCode = 500;
                c.responseFlags = "-";
                c.responseCodeDetails = "via_upstream";
                c.upstreamHost = server.ip() + ":" + port(server);
                c.upstreamLocalAddress = client.ip() + ":" + (30000 + random.nextInt(30000));
                c.duration = 20L + random.nextInt(100);
            }
            case 1 -> {
                c.responseCode = 503;
                c.responseFlags = "UH";
                c.responseCodeDetails = "no_healthy_upstream";
                c.duration = 0L;
            }
            default -> {
                c.responseCode = 504;
                c.responseFlags = "UT";
                c.responseCodeDetails = "response_timeout";
                c.upstreamHost = server.ip() + ":" + port(server);
                c.upstreamLocalAddress = client.ip() + ":" + (30000 + random.nextInt(30000));
                c.duration = 15000L;
            }
        }
        c.bytesSent = 0L;
        MeshEvent e = fields(base(client, "access.log", c.startTime, SourceKind.ACCESS_LOG), c)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .build();
        String text = client.mesh().dialect().jsonLogs() ? c.consulJson(false) : c.istioText(false);
        return new SimLine(client.mesh().id(), client.service(), "access.log", c.startTime, text, e);
    }
}
