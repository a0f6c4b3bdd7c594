package dev.meshlens.events.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamingTemplateTest {

    @Test
    void anOptionalGroupMatchesWithAndWithoutItsSegments() {
        NamingTemplate consul = ConsulProfile.IDENTITY;
        assertEquals(
                Map.of("namespace", "n", "datacenter", "d", "service", "s"),
                consul.match(List.of("ns", "n", "dc", "d", "svc", "s")));
        assertEquals(
                Map.of("partition", "p", "namespace", "n", "datacenter", "d", "service", "s"),
                consul.match(List.of("ap", "p", "ns", "n", "dc", "d", "svc", "s")));
        assertNull(consul.match(List.of("ap", "p", "ns", "n", "dc", "d")));
        assertNull(consul.match(List.of("ns", "n", "sa", "s")));
    }

    @Test
    void formatRendersTheDocumentedFormAndFillsDefaults() {
        assertEquals("spiffe://cluster.local/ns/a/sa/b", IstioProfile.IDENTITY.format("cluster.local", "a", "b"));
        assertEquals(
                "spiffe://x.consul/ap/p/ns/n/dc/d/svc/s",
                ConsulProfile.IDENTITY.format(
                        "x.consul", Map.of("partition", "p", "namespace", "n", "datacenter", "d", "service", "s")));
        assertEquals(
                "spiffe://x.consul/ns/default/dc/dc1/svc/s",
                ConsulProfile.IDENTITY.format("x.consul", null, "s"),
                "no partition: the group is left out; namespace and datacenter take their defaults");
        assertEquals("spiffe://default/backend", KumaProfile.IDENTITY.format("default", "ignored", "backend"));
    }

    @Test
    void aMissingPartIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> IstioProfile.IDENTITY.format("td", Map.of("namespace", "a")));
        assertTrue(e.getMessage().contains("<service-account>"), e.getMessage());
    }

    @Test
    void badPatternsAreRejectedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NamingTemplate.of("x", "spiffe://td/a", "a"))
                .getMessage()
                .contains("must start with spiffe://<trust-domain>"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NamingTemplate.of("x", "spiffe://<trust-domain>/[a/<b>", "b"))
                .getMessage()
                .contains("without ']'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NamingTemplate.of("x", "spiffe://<trust-domain>/a/<b>", "c"))
                .getMessage()
                .contains("<c>"));
    }
}
