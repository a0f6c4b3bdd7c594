package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventCodecProperties {
    private final EventCodec codec = EventCodec.get();

    @Provide
    Arbitrary<MeshEvent> events() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<String> nonEmpty = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
        Arbitrary<Instant> time =
                Arbitraries.longs().between(0, 4_000_000_000_000L).map(Instant::ofEpochMilli);
        Arbitrary<TlsFailure> tls = Combinators.combine(
                        Arbitraries.of(FailureCategory.class),
                        Arbitraries.of(RejectedBy.class),
                        Arbitraries.longs().between(0, 1L << 40).injectNull(0.3),
                        text.injectNull(0.3),
                        text)
                .as((c, r, code, reason, raw) -> new TlsFailure(c, r, code, reason, null, raw))
                .injectNull(0.4);
        Arbitrary<Map<String, String>> attrs = Arbitraries.maps(nonEmpty, text).ofMaxSize(3);
        return Combinators.combine(
                        nonEmpty,
                        time,
                        nonEmpty,
                        Arbitraries.of(SourceKind.class),
                        Arbitraries.of(dev.meshlens.events.mesh.MeshProfiles.names())
                                .map(MeshKind::of)
                                .injectNull(0.2),
                        text.injectNull(0.5),
                        Arbitraries.integers().between(0, 599).injectNull(0.3),
                        tls)
                .as((id, t, mesh, src, kind, path, code, failure) -> MeshEvent.builder()
                        .eventId(id)
                        .observedTime(t)
                        .meshId(mesh)
                        .sourceKind(src)
                        .meshKind(kind)
                        .path(path)
                        .responseCode(code)
                        .tls(failure))
                .flatMap(b -> attrs.map(a -> b.attributes(a).build()));
    }

    @Property(tries = 500)
    void everyEventSurvivesARoundTrip(@ForAll("events") MeshEvent e) {
        MeshEvent back = codec.decode(codec.encode(e));
        // Empty strings are left out on the wire (absent and empty mean the same in Envoy logs).
        assertEquals(normalise(e), back);
    }

    private static MeshEvent normalise(MeshEvent e) {
        MeshEvent.Builder b = e.toBuilder();
        if (e.path() != null && e.path().isEmpty()) {
            b.path(null);
        }
        if (e.tls() != null) {
            TlsFailure t = e.tls();
            b.tls(new TlsFailure(
                    t.category(),
                    t.rejectedBy(),
                    t.code(),
                    t.reason() != null && t.reason().isEmpty() ? null : t.reason(),
                    t.detail(),
                    t.rawText() != null && t.rawText().isEmpty() ? null : t.rawText()));
        }
        return b.build();
    }
}
