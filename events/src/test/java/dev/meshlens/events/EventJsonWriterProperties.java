package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming writer must write exactly what the mapper's reflective serialiser writes (same names,
 * values, omissions), for every component of every kind of event, with any characters in strings.
 */
class EventJsonWriterProperties {
    private final EventCodec codec = EventCodec.get();
    private final ObjectMapper mapper = codec.mapper();

    @Property(tries = 1000)
    void writesWhatTheMapperWrites(@ForAll("events") MeshEvent e) throws Exception {
        JsonNode streamed = mapper.readTree(codec.encodeBytes(e));
        JsonNode reflective = mapper.readTree(codec.encodeBytesByMapper(e));
        assertEquals(reflective, streamed);
    }

    @Property(tries = 300)
    void whatItWritesDecodesToTheSameEvent(@ForAll("events") MeshEvent any) {
        // Only events a reader accepts: a supported schema version and the required fields present.
        MeshEvent e = any.toBuilder()
                .schemaVersion(SchemaVersion.CURRENT)
                .eventId("e" + any.eventId())
                .meshId("m" + any.meshId())
                .build();
        assertEquals(codec.decodeEvent(codec.encodeBytesByMapper(e)), codec.decodeEvent(codec.encodeBytes(e)));
    }

    /** A component added to {@link MeshEvent} and forgotten in the writer fails here, not on the wire. */
    @Example
    void writerKnowsEveryComponentOfTheRecord() {
        TreeSet<String> components = new TreeSet<>();
        for (RecordComponent c : MeshEvent.class.getRecordComponents()) {
            components.add(new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName()));
        }
        components.add("failure");
        assertEquals(components, new TreeSet<>(EventJsonWriter.topLevelNames()));
    }

    @Provide
    Arbitrary<MeshEvent> events() {
        // Control characters, quotes, backslashes, non-ASCII and astral planes (as whole pairs: a decoded log line
        // never holds a lone surrogate), and empty strings.
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(30),
                Arbitraries.strings()
                        .withChars("\"\\/\u0000\u001f\u007f\u2028é<>&ü")
                        .ofMaxLength(8),
                Arbitraries.of("\ud83d\ude00", "a\ud83d\ude00\"b", "\u65e5\u672c"),
                Arbitraries.just(""));
        Arbitrary<String> opt = text.injectNull(0.4);
        Arbitrary<Instant> time = Arbitraries.longs()
                .between(0, 4_000_000_000_000L)
                .flatMap(ms -> Arbitraries.integers()
                        .between(0, 999_999)
                        .map(ns -> Instant.ofEpochMilli(ms).plusNanos(ns)));
        Arbitrary<Long> optLong = Arbitraries.longs().injectNull(0.4);
        Arbitrary<TlsFailure> tls = Combinators.combine(
                        Arbitraries.of(FailureCategory.class),
                        Arbitraries.of(RejectedBy.class).injectNull(0.2),
                        optLong,
                        opt,
                        opt,
                        opt)
                .as(TlsFailure::new)
                .injectNull(0.4);
        Arbitrary<Map<String, String>> stringMap = Arbitraries.maps(text, text.injectNull(0.1))
                .ofMaxSize(4)
                .map(m -> {
                    var copy = new HashMap<String, String>();
                    m.forEach((k, v) -> {
                        if (v != null) copy.put(k, v);
                    });
                    return copy;
                });
        Arbitrary<Redaction> redaction = Combinators.combine(
                        opt, opt, Arbitraries.maps(text, Arbitraries.integers()).ofMaxSize(3))
                .as(Redaction::new)
                .injectNull(0.4);
        Arbitrary<Rollup> rollup = Combinators.combine(
                        Arbitraries.longs().between(1, Long.MAX_VALUE),
                        time,
                        Arbitraries.longs().between(0, 1_000_000))
                .as((n, first, later) -> new Rollup(n, first, first.plusMillis(later)))
                .injectNull(0.6);
        Arbitrary<StatsDelta> stats = Combinators.combine(
                        opt,
                        opt,
                        Arbitraries.maps(text, Arbitraries.longs()).ofMaxSize(3),
                        Arbitraries.doubles().between(0, 1e6))
                .as(StatsDelta::new)
                .injectNull(0.8);
        Arbitrary<CertificateInfo> cert = Combinators.combine(
                        opt,
                        opt,
                        opt,
                        opt,
                        text.list().ofMaxSize(2),
                        text.list().ofMaxSize(2),
                        time.injectNull(0.2),
                        time.injectNull(0.2))
                .as((s, i, sn, fp, uri, dns, nb, na) ->
                        new CertificateInfo(s, i, sn, fp, uri, dns, nb, na, null, fp, sn != null));
        Arbitrary<TrustBundle> bundle = Combinators.combine(
                        text.map(t -> "m" + t),
                        opt,
                        opt,
                        Combinators.combine(opt, opt, opt, opt, time.injectNull(0.3), time.injectNull(0.3))
                                .as(TrustBundle.Root::new)
                                .list()
                                .ofMaxSize(2))
                .as(TrustBundle::new)
                .injectNull(0.8);

        Arbitrary<MeshEvent.Builder> head = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        text,
                        time,
                        text,
                        Arbitraries.of(dev.meshlens.events.mesh.MeshProfiles.names())
                                .map(MeshKind::of)
                                .injectNull(0.2),
                        opt,
                        Arbitraries.of(SourceKind.class),
                        Arbitraries.of(Direction.class).injectNull(0.2))
                .as((v, id, t, mesh, kind, cluster, src, dir) -> MeshEvent.builder()
                        .schemaVersion(v)
                        .eventId(id)
                        .observedTime(t)
                        .meshId(mesh)
                        .meshKind(kind)
                        .cluster(cluster)
                        .sourceKind(src)
                        .direction(dir));
        Arbitrary<List<String>> strings = opt.list().ofSize(26);
        return Combinators.combine(
                        head,
                        Arbitraries.of(ObserverRole.class).injectNull(0.2),
                        strings,
                        Arbitraries.integers().injectNull(0.3),
                        optLong.list().ofSize(3),
                        tls)
                .as((b, role, s, code, longs, t) -> {
                    b.observerRole(role)
                            .downstreamRemoteAddress(s.get(0))
                            .downstreamLocalAddress(s.get(1))
                            .upstreamHost(s.get(2))
                            .upstreamLocalAddress(s.get(3))
                            .requestedServerName(s.get(4))
                            .authority(s.get(5))
                            .method(s.get(6))
                            .path(s.get(7))
                            .protocol(s.get(8))
                            .userAgent(s.get(9))
                            .requestId(s.get(10))
                            .forwardedFor(s.get(11))
                            .responseCode(code)
                            .responseFlags(s.get(12))
                            .responseCodeDetails(s.get(13))
                            .connectionTerminationDetails(s.get(14))
                            .upstreamTransportFailureReason(s.get(15))
                            .downstreamTransportFailureReason(s.get(16))
                            .upstreamCluster(s.get(17))
                            .localUriSan(s.get(18))
                            .peerUriSan(s.get(19))
                            .peerIssuer(s.get(20))
                            .peerSubject(s.get(21))
                            .tlsVersion(s.get(22))
                            .durationMs(longs.get(0))
                            .bytesReceived(longs.get(1))
                            .bytesSent(longs.get(2))
                            .tls(t);
                    return b;
                })
                .flatMap(b -> Combinators.combine(
                                stringMap, redaction, rollup, stats, cert.list().ofMaxSize(2), bundle)
                        .as((attrs, red, roll, st, certs, tb) -> b.attributes(attrs)
                                .redaction(red)
                                .rollup(roll)
                                .stats(st)
                                .certificates(new ArrayList<>(certs))
                                .trustBundle(tb)
                                .build()));
    }

    @Example
    void aFailedHandshakeWithAnEmptyAttributeIsWrittenLikeTheMapperWritesIt() throws Exception {
        MeshEvent e = MeshEvent.builder()
                .eventId("e1")
                .observedTime(Instant.parse("2026-12-06T10:00:00.120Z"))
                .meshId("istio-east")
                .meshKind(MeshKind.ISTIO)
                .sourceKind(SourceKind.values()[0])
                .tls(new TlsFailure(
                        FailureCategory.values()[0],
                        RejectedBy.values()[0],
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        null,
                        "TLS_error:|268435581"))
                .attributes(Map.of("k", ""))
                .build();
        String json = new String(codec.encodeBytes(e), StandardCharsets.UTF_8);
        assertEquals(mapper.readTree(codec.encodeBytesByMapper(e)), mapper.readTree(json), json);
    }
}
