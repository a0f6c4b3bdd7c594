package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.IstioProfile;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SpiffeIdProperties {

    @Provide
    Arbitrary<String> trustDomain() {
        return Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789.-_")
                .ofMinLength(1)
                .ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> segment() {
        return Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
                .ofMinLength(1)
                .ofMaxLength(30);
    }

    @Property
    void istioRoundTrip(@ForAll("trustDomain") String td, @ForAll("segment") String ns, @ForAll("segment") String sa) {
        SpiffeId id = SpiffeId.parse(IstioProfile.IDENTITY.format(td, ns, sa));
        SpiffeId again = SpiffeId.parse(id.uri());
        assertEquals(id, again);
        assertEquals("istio", again.template());
        assertEquals(ns, again.namespace());
        assertEquals(sa, again.serviceAccount());
    }

    @Property
    void consulRoundTrip(
            @ForAll("trustDomain") String td,
            @ForAll("segment") String ns,
            @ForAll("segment") String dc,
            @ForAll("segment") String svc,
            @ForAll boolean withPartition,
            @ForAll("segment") String ap) {
        Map<String, String> parts = new HashMap<>(Map.of("namespace", ns, "datacenter", dc, "service", svc));
        if (withPartition) {
            parts.put("partition", ap);
        }
        SpiffeId id = SpiffeId.parse(ConsulProfile.IDENTITY.format(td, parts));
        SpiffeId again = SpiffeId.parse(id.uri());
        assertEquals(id, again);
        assertEquals("consul", again.template());
        assertEquals(svc, again.service());
        assertEquals(withPartition ? ap : null, again.partition());
    }

    /** Any string either parses into an ID that renders back to itself, or is rejected with a message. */
    @Property(tries = 2000)
    void arbitraryInputParsesOrFailsWithAMessage(@ForAll String input) {
        String candidate = "spiffe://" + input;
        try {
            assertEquals(candidate, SpiffeId.parse(candidate).uri());
        } catch (IllegalArgumentException e) {
            assert e.getMessage() != null && !e.getMessage().isBlank();
        }
    }
}
