package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptsTest {
    static MeshEvent line(MeshKind kind, String protocol, String flags) {
        return MeshEvent.builder()
                .eventId("e")
                .observedTime(Instant.EPOCH)
                .meshId("m")
                .meshKind(kind)
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.CLIENT)
                .protocol(protocol)
                .responseFlags(flags)
                .build();
    }

    @Test
    void anIstioHttpRequestThatExhaustedItsRetriesIsThreeAttempts() {
        assertEquals(3, Attempts.of(line(MeshKind.ISTIO, "HTTP/1.1", "UF,URX")));
        assertEquals(3, Attempts.of(line(MeshKind.ISTIO, "HTTP/2", "URX,UF")));
    }

    @Test
    void everythingElseIsOneAttempt() {
        assertEquals(1, Attempts.of(line(MeshKind.ISTIO, "HTTP/1.1", "UF")), "no URX: the retries were not used up");
        assertEquals(1, Attempts.of(line(MeshKind.ISTIO, "-", "UF,URX")), "tcp_proxy: one connect attempt by default");
        assertEquals(1, Attempts.of(line(MeshKind.ISTIO, null, "UF,URX")));
        assertEquals(1, Attempts.of(line(MeshKind.CONSUL, "HTTP/1.1", "UF,URX")), "no retry policy known for Consul");
        assertEquals(
                6,
                Attempts.of(line(MeshKind.of("kuma"), "HTTP/1.1", "UF,URX")),
                "Kuma 2.x's default MeshRetry: five retries on connect failure");
        assertEquals(1, Attempts.of(line(MeshKind.ISTIO, "HTTP/1.1", null)));
    }
}
