package dev.meshlens.query.bench;

import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic synthetic traffic of many meshes and services for the benchmarks. */
final class BenchData {
    static final FailureCategory[] CATS = {
        FailureCategory.UNTRUSTED_ROOT,
        FailureCategory.SAN_MISMATCH,
        FailureCategory.CERT_EXPIRED,
        FailureCategory.CLIENT_CERT_MISSING,
        FailureCategory.PLAINTEXT_MISMATCH
    };

    private BenchData() {}

    static String mesh(int i) {
        return (i % 2 == 0 ? "istio-" : "consul-") + i;
    }

    static String service(int i) {
        return "svc-" + i;
    }

    static String spiffe(int mesh, int svc) {
        return mesh % 2 == 0
                ? "spiffe://td" + mesh + ".local/ns/default/sa/" + service(svc)
                : "spiffe://" + mesh + "abc.consul/ns/default/dc/dc1/svc/" + service(svc);
    }

    /** Event {@code i} of {@code meshes} meshes, {@code services} services, spread over {@code spanSeconds} before {@code end}. */
    static MeshEvent event(long i, int meshes, int services, Instant end, long spanSeconds, double failureRate) {
        SplittableRandom r = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        int m = r.nextInt(meshes);
        int client = r.nextInt(services);
        int server = r.nextInt(services);
        boolean fail = r.nextDouble() < failureRate;
        boolean serverSide = r.nextBoolean();
        Instant t = end.minusMillis((long) (r.nextDouble() * spanSeconds * 1000));
        MeshEvent.Builder b = MeshEvent.builder()
                .eventId(EventIds.of(mesh(m), "/var/log/envoy.log", i))
                .observedTime(t)
                .meshId(mesh(m))
                .meshKind(m % 2 == 0 ? MeshKind.ISTIO : MeshKind.CONSUL)
                .sourceKind(SourceKind.ACCESS_LOG)
                .cluster("cluster-" + (m % 3))
                .method("GET")
                .path("/api/v1/items")
                .protocol("HTTP/2")
                .durationMs((long) r.nextInt(200))
                .bytesReceived(0L)
                .bytesSent((long) r.nextInt(5000))
                .tlsVersion("TLSv1.3");
        if (serverSide) {
            b.observerRole(ObserverRole.SERVER)
                    .requestedServerName(service(server) + ".default.svc.cluster.local")
                    .localUriSan(spiffe(m, server))
                    .peerUriSan(fail ? null : spiffe((m + 1) % meshes, client));
        } else {
            b.observerRole(ObserverRole.CLIENT)
                    .upstreamCluster("outbound|8080||" + service(server) + ".default.svc.cluster.local")
                    .localUriSan(spiffe(m, client))
                    .authority(service(server) + ":8080")
                    .peerUriSan(fail ? null : spiffe((m + 1) % meshes, server));
        }
        if (fail) {
            FailureCategory c = CATS[r.nextInt(CATS.length)];
            String raw = "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end";
            b.responseCode(503)
                    .responseFlags("UF")
                    .upstreamTransportFailureReason(raw)
                    .tls(new TlsFailure(
                            c,
                            serverSide ? RejectedBy.SELF : RejectedBy.PEER,
                            268435581L,
                            "CERTIFICATE_VERIFY_FAILED",
                            null,
                            raw));
        } else {
            b.responseCode(200).responseFlags("-");
        }
        return b.build();
    }

    static List<Finding> findings(int n, int meshes, int services, Instant now) {
        List<Finding> out = new ArrayList<>(n);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            int cm = r.nextInt(meshes);
            int sm = (cm + 1 + r.nextInt(meshes - 1)) % meshes;
            int cs = r.nextInt(services);
            int ss = r.nextInt(services);
            FailureCategory c = CATS[i % CATS.length];
            String clientId = spiffe(cm, cs);
            String id = Finding.idFor(mesh(cm) + "/" + clientId, mesh(sm) + "/" + service(ss), c);
            Instant last = now.minusSeconds(r.nextInt(86_400));
            boolean open = r.nextInt(4) != 0;
            out.add(new Finding(
                    1,
                    id,
                    c,
                    mesh(cm),
                    clientId,
                    mesh(sm),
                    service(ss),
                    spiffe(sm, ss),
                    RejectedBy.PEER,
                    "mesh " + mesh(sm) + " does not trust the root that signs " + clientId,
                    last.minusSeconds(3600),
                    last,
                    1 + r.nextInt(1000),
                    open ? FindingState.OPEN : FindingState.RESOLVED,
                    false,
                    null,
                    List.of(EventIds.of("e" + i)),
                    "import the trust bundle of " + mesh(cm) + " into " + mesh(sm),
                    Map.of("k", "v"),
                    List.of(new Finding.StateChange(last.minusSeconds(3600), FindingState.OPEN, "seen"))));
        }
        return out;
    }
}
