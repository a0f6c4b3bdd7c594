package dev.meshlens.redactor.bench;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.Direction;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Default policy on realistic events (client and server TLS failures, successes, ssl.* stats,
 * certificate inventory, a few with secrets in kept fields), against a naive baseline that keeps
 * the same fields but runs every detector as its own {@link java.util.regex.Pattern} over every
 * kept string. One thread: ops/s = events/s per core. Run with {@code -prof gc} for bytes/event.
 *
 * <pre>
 * mvn -B -ntp -pl redactor -am -Pbench package -DskipTests
 * java -jar redactor/target/benchmarks.jar RedactionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class RedactionBenchmark {
    private MeshEvent[] events;
    private NaiveRedactor naive;
    private int i;

    /** The engine under test, with and without its clean-string cache. */
    @State(Scope.Thread)
    public static class Engine {
        /** Slots of the engine's clean-string cache; 0 runs the detectors over every string. */
        @org.openjdk.jmh.annotations.Param({"4096", "0"})
        public int cleanCache;

        RedactionEngine engine;

        @Setup
        public void setup() {
            engine = RedactionEngine.builder(RedactionPolicy.defaultPolicy())
                    .cleanCacheSize(cleanCache)
                    .build();
        }
    }

    @Setup
    public void setup() {
        events = BenchEvents.mix(1024);
        naive = new NaiveRedactor();
    }

    @Benchmark
    public MeshEvent engineDefaultPolicy(Engine e) {
        return e.engine.redact(events[i++ & 1023]);
    }

    @Benchmark
    public MeshEvent naiveRegexBaseline() {
        return naive.redact(events[i++ & 1023]);
    }

    /** Events like the collector produces. */
    public static final class BenchEvents {
        private BenchEvents() {}

        static MeshEvent[] mix(int n) {
            MeshEvent[] out = new MeshEvent[n];
            for (int k = 0; k < n; k++) {
                out[k] = switch (k % 8) {
                    case 0, 1, 2 -> clientFailure(k);
                    case 3 -> serverFailure(k);
                    case 4 -> success(k);
                    case 5 -> stats(k);
                    case 6 -> certs(k);
                    default -> withSecrets(k);
                };
            }
            return out;
        }

        static MeshEvent.Builder base(int k) {
            return MeshEvent.builder()
                    .eventId(EventIds.of("istio-east", "bench", k))
                    .observedTime(Instant.parse("2026-11-29T00:00:00Z").plusMillis(k))
                    .meshId("istio-east")
                    .meshKind(MeshKind.ISTIO)
                    .cluster("east-1")
                    .sourceKind(SourceKind.ACCESS_LOG);
        }

        static MeshEvent clientFailure(int k) {
            return base(k).direction(Direction.OUTBOUND)
                    .observerRole(ObserverRole.CLIENT)
                    .downstreamRemoteAddress("10.244.1." + (k & 255) + ":48230")
                    .downstreamLocalAddress("10.96.12.4:8080")
                    .upstreamHost("172.18.0.5:15443")
                    .upstreamLocalAddress("10.244.1.17:51872")
                    .requestedServerName("outbound_.8080_._.backend.default.svc.cluster.local")
                    .authority("backend.default.svc.cluster.local:8080")
                    .method("GET")
                    .path("/api/v1/orders/" + (84213 + k) + "?include=items&page=2")
                    .protocol("HTTP/1.1")
                    .userAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
                    .requestId("3f2b8c1e-9d4a-4e7b-b6c5-1a2f3e4d5c6b")
                    .forwardedFor("198.51.100.23")
                    .responseCode(503)
                    .responseFlags("UF")
                    .responseCodeDetails(
                            "upstream_reset_before_response_started{connection_failure,TLS_error:_268435581:"
                                    + "SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end}")
                    .connectionTerminationDetails("-")
                    .upstreamTransportFailureReason("TLS_error:|268435581:SSL routines:OPENSSL_internal:"
                            + "CERTIFICATE_VERIFY_FAILED:TLS_error_end")
                    .upstreamCluster("outbound|8080||backend.default.svc.cluster.local")
                    .localUriSan("spiffe://cluster.local/ns/default/sa/frontend")
                    .peerUriSan("spiffe://5a1c2f3e-0b9d-4e8f-a7c6-1b2d3e4f5a6b.consul/ns/default/dc/dc1/svc/backend")
                    .peerIssuer("CN=Consul CA 7")
                    .tlsVersion("TLSv1.3")
                    .durationMs(3L)
                    .bytesReceived(0L)
                    .bytesSent(0L)
                    .tls(
                            new TlsFailure(
                                    FailureCategory.UNTRUSTED_ROOT,
                                    RejectedBy.SELF,
                                    268435581L,
                                    "CERTIFICATE_VERIFY_FAILED",
                                    null,
                                    "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                    .attributes(Map.of("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"))
                    .build();
        }

        static MeshEvent serverFailure(int k) {
            return base(k).meshId("istio-east")
                    .direction(Direction.INBOUND)
                    .observerRole(ObserverRole.SERVER)
                    .downstreamRemoteAddress("10.8.0." + (k & 255) + ":51000")
                    .downstreamLocalAddress("10.244.2.9:15006")
                    .requestedServerName("backend.default.svc.cluster.local")
                    .responseFlags("NR")
                    .downstreamTransportFailureReason("TLS_error:|268436526:SSL routines:OPENSSL_internal:"
                            + "TLSV1_ALERT_UNKNOWN_CA:TLS_error_end")
                    .connectionTerminationDetails("filter_chain_not_found")
                    .tls(new TlsFailure(
                            FailureCategory.UNTRUSTED_ROOT,
                            RejectedBy.PEER,
                            268436526L,
                            "TLSV1_ALERT_UNKNOWN_CA",
                            null,
                            "TLS_error:|268436526:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end"))
                    .durationMs(1L)
                    .build();
        }

        static MeshEvent success(int k) {
            return base(k).direction(Direction.OUTBOUND)
                    .observerRole(ObserverRole.CLIENT)
                    .downstreamRemoteAddress("10.244.1.17:48230")
                    .upstreamHost("172.18.0.5:15443")
                    .authority("backend:8080")
                    .method("POST")
                    .path("/v1/users/alice@example.com/orders")
                    .userAgent("grpc-java-netty/1.68.1")
                    .responseCode(200)
                    .responseFlags("-")
                    .responseCodeDetails("via_upstream")
                    .upstreamCluster("outbound|8080||backend.default.svc.cluster.local")
                    .peerUriSan("spiffe://cluster.local/ns/default/sa/backend")
                    .tlsVersion("TLSv1.3")
                    .durationMs(12L)
                    .bytesReceived(512L)
                    .bytesSent(2048L)
                    .build();
        }

        static MeshEvent stats(int k) {
            return base(k).sourceKind(SourceKind.ENVOY_STATS)
                    .stats(new StatsDelta(
                            "listener",
                            "0.0.0.0_15006",
                            Map.of("ssl.fail_verify_san", 3L, "ssl.connection_error", 1L, "ssl.handshake", 120L),
                            10))
                    .build();
        }

        static MeshEvent certs(int k) {
            CertificateInfo c = new CertificateInfo(
                    "O=cluster.local",
                    "O=cluster.local",
                    "4f2a9c",
                    "3b2f8e5c0d9a4b1c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                    List.of("spiffe://cluster.local/ns/default/sa/frontend"),
                    List.of(),
                    Instant.parse("2026-11-28T00:00:00Z"),
                    Instant.parse("2026-11-29T00:00:00Z"),
                    "a1b2",
                    "c3d4",
                    false);
            return base(k).sourceKind(SourceKind.ENVOY_CERTS)
                    .certificates(List.of(c, c))
                    .build();
        }

        static MeshEvent withSecrets(int k) {
            return clientFailure(k).toBuilder()
                    .responseCodeDetails(
                            "ext_authz_denied token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlc2ln")
                    .authority("admin:hunter2@backend:8080")
                    .attributes(Map.of("authorization", "Bearer 9fQx2LmA7pWz4KcR8tYv1NbE5hJs3Du0"))
                    .build();
        }
    }

    /**
     * The naive way: same fields as the default policy, but each detector is its own regex run over
     * every kept string.
     */
    public static final class NaiveRedactor {
        private final RedactionEngine selector = new RedactionEngine(
                RedactionPolicy.parse(
                        """
        id: naive
        version: "1"
        detectors: {jwt: false, bearer: false, basic: false, aws_key: false, gcp_key: false, github_token: false,
          slack_token: false, token: false, private_key: false, email: false, card: false, iban: false,
          userinfo: false, cookie: false, query: false, secret_param: false}
        """
                                + RedactionPolicy.defaultPolicyText()
                                        .substring(RedactionPolicy.defaultPolicyText()
                                                .indexOf("fields:")),
                        "naive",
                        Map.of()),
                null);
        private final List<Pattern> patterns = List.of(
                Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"),
                Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]+"),
                Pattern.compile("(?i)basic\\s+[A-Za-z0-9+/=]+"),
                Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b"),
                Pattern.compile("AIza[0-9A-Za-z_-]{35}"),
                Pattern.compile("gh[pousr]_[A-Za-z0-9]{36}"),
                Pattern.compile("xox[abprs]-[A-Za-z0-9-]+"),
                Pattern.compile("\\b[A-Za-z0-9+/_-]{32,}\\b"),
                Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----"),
                Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
                Pattern.compile("\\b(?:\\d[ -]?){13,19}\\b"),
                Pattern.compile("\\b[A-Z]{2}\\d{2}[A-Z0-9]{11,30}\\b"),
                Pattern.compile("://[^/@\\s]+@"),
                Pattern.compile("(?i)cookie:\\s*[^\\r\\n]*"),
                Pattern.compile("\\?[^\\s#]*"),
                Pattern.compile("(?i)(?:password|secret|token|api_key)=[^&\\s]+"));

        String scan(String s) {
            if (s == null) {
                return null;
            }
            for (Pattern p : patterns) {
                Matcher m = p.matcher(s);
                if (m.find()) {
                    s = m.replaceAll("[REDACTED]");
                }
            }
            return s;
        }

        public MeshEvent redact(MeshEvent e) {
            MeshEvent r = selector.redact(e);
            UnaryOperator<String> f = this::scan;
            MeshEvent.Builder b = r.toBuilder()
                    .cluster(f.apply(r.cluster()))
                    .authority(f.apply(r.authority()))
                    .requestedServerName(f.apply(r.requestedServerName()))
                    .responseFlags(f.apply(r.responseFlags()))
                    .responseCodeDetails(f.apply(r.responseCodeDetails()))
                    .connectionTerminationDetails(f.apply(r.connectionTerminationDetails()))
                    .upstreamTransportFailureReason(f.apply(r.upstreamTransportFailureReason()))
                    .downstreamTransportFailureReason(f.apply(r.downstreamTransportFailureReason()))
                    .upstreamCluster(f.apply(r.upstreamCluster()))
                    .localUriSan(f.apply(r.localUriSan()))
                    .peerUriSan(f.apply(r.peerUriSan()))
                    .peerIssuer(f.apply(r.peerIssuer()))
                    .peerSubject(f.apply(r.peerSubject()))
                    .tlsVersion(f.apply(r.tlsVersion()))
                    .protocol(f.apply(r.protocol()));
            if (r.tls() != null) {
                TlsFailure t = r.tls();
                b.tls(new TlsFailure(
                        t.category(),
                        t.rejectedBy(),
                        t.code(),
                        f.apply(t.reason()),
                        f.apply(t.detail()),
                        f.apply(t.rawText())));
            }
            if (r.stats() != null) {
                b.stats(new StatsDelta(
                        r.stats().scope(),
                        f.apply(r.stats().name()),
                        r.stats().deltas(),
                        r.stats().intervalSeconds()));
            }
            if (!r.certificates().isEmpty()) {
                b.certificates(r.certificates().stream()
                        .map(c -> new CertificateInfo(
                                f.apply(c.subject()),
                                f.apply(c.issuer()),
                                c.serialNumber(),
                                c.sha256Fingerprint(),
                                c.uriSans().stream().map(f).toList(),
                                c.dnsSans().stream().map(f).toList(),
                                c.notBefore(),
                                c.notAfter(),
                                c.subjectKeyId(),
                                c.authorityKeyId(),
                                c.ca()))
                        .toList());
            }
            return b.build();
        }
    }
}
