package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpiffeIdTest {

    @Test
    void parsesIstioIdentity() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/backend");
        assertEquals("istio", id.template());
        assertEquals("cluster.local", id.trustDomain());
        assertEquals("default", id.namespace());
        assertEquals("backend", id.serviceAccount());
        assertEquals("backend", id.workloadName());
        assertEquals("spiffe://cluster.local/ns/default/sa/backend", id.uri());
    }

    @Test
    void parsesConsulIdentityWithAndWithoutPartition() {
        SpiffeId plain =
                SpiffeId.parse("spiffe://7b3c1f0e-1111-2222-3333-444455556666.consul/ns/default/dc/dc1/svc/web");
        assertEquals("consul", plain.template());
        assertEquals("dc1", plain.datacenter());
        assertEquals("web", plain.service());
        assertNull(plain.partition());

        SpiffeId ap = SpiffeId.parse("spiffe://abc.consul/ap/team-a/ns/payments/dc/dc2/svc/ledger");
        assertEquals("consul", ap.template());
        assertEquals("team-a", ap.partition());
        assertEquals("payments", ap.namespace());
        assertEquals("ledger", ap.workloadName());
    }

    @Test
    void otherValidIdsStayGeneric() {
        SpiffeId gw = SpiffeId.parse("spiffe://abc.consul/gateway/mesh/dc/dc1");
        assertEquals(SpiffeId.GENERIC, gw.template());
        assertNull(gw.workloadName());
        assertEquals(
                "spiffe://example.org", SpiffeId.parse("spiffe://example.org").uri());
    }

    @Test
    void parsesKumaIdentityToTheBareService() {
        SpiffeId k8s = SpiffeId.parse("spiffe://default/backend_kuma-demo_svc_8080");
        assertEquals("kuma", k8s.template());
        assertEquals("default", k8s.trustDomain());
        assertEquals("backend_kuma-demo_svc_8080", k8s.service());
        assertEquals("backend", k8s.workloadName());
        assertEquals("web", SpiffeId.parse("spiffe://mesh-a/web").workloadName(), "Universal: the tag as it is");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "http://cluster.local/ns/a/sa/b|must start with 'spiffe://'",
                "SPIFFE://cluster.local/ns/a|scheme must be lower-case",
                "spiffe:///ns/a/sa/b|empty trust domain",
                "spiffe://Cluster.local/ns/a|trust domain character 'C'",
                "spiffe://cluster.local:8080/ns/a|must not contain a port",
                "spiffe://user@cluster.local/ns/a|must not contain user info",
                "spiffe://cluster.local/ns//sa/b|empty segment",
                "spiffe://cluster.local/ns/../sa|'.' or '..' segments",
                "spiffe://cluster.local/ns/a/|must not end with '/'",
                "spiffe://cluster.local/ns/a?x=1|query or fragment",
                "spiffe://cluster.local/ns/a b|path character ' '",
            })
    void malformedInputSaysWhatIsWrong(String input, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpiffeId.parse(input));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
        assertNull(SpiffeId.tryParse(input));
    }
}
