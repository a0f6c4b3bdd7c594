package dev.meshlens.events.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bundle root's PEM travels in events (collector → Kafka → Elasticsearch → inventory), keys never. */
class RootPemCodecTest {
    static MeshEvent bundleEvent(TrustBundle.Root r) {
        return MeshEvent.builder()
                .eventId("e1")
                .observedTime(Instant.parse("2026-01-01T00:00:00Z"))
                .meshId("m")
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(new TrustBundle("m", "td", "file", List.of(r)))
                .build();
    }

    @Test
    void thePemSurvivesTheWireFormat() {
        MeshEvent e = bundleEvent(FixFixtures.ISTIO_ROOT);
        MeshEvent back = EventCodec.get().decode(EventCodec.get().encode(e));
        assertEquals(
                FixFixtures.ISTIO_ROOT.pem(), back.trustBundle().roots().get(0).pem());
        assertEquals(FixFixtures.ISTIO_ROOT, back.trustBundle().roots().get(0));
    }

    @Test
    void aKeyInTheWireFormatIsDroppedOnDecode() {
        String json = EventCodec.get()
                .encode(bundleEvent(FixFixtures.ISTIO_ROOT))
                .replace(
                        "-----BEGIN CERTIFICATE-----",
                        NoSecretInFixTest.PRIVATE_KEY.replace("\n", "\\n") + "-----BEGIN CERTIFICATE-----");
        TrustBundle.Root r = EventCodec.get().decode(json).trustBundle().roots().get(0);
        assertFalse(r.pem().contains("PRIVATE"), r.pem());
        assertEquals(FixFixtures.ISTIO_ROOT.pem(), r.pem());
        assertNull(new TrustBundle.Root("s", null, null, null, null, null, NoSecretInFixTest.PRIVATE_KEY).pem());
    }
}
