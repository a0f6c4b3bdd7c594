package dev.meshlens.events.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeshProfilesTest {

    @Test
    void theRegistryListsEveryBuiltInKindOnce() {
        List<String> names = MeshProfiles.names();
        assertEquals(List.of("istio", "consul", "kuma"), names.subList(0, 3));
        assertEquals("other", names.get(names.size() - 1), "plain Envoy is asked last");
        assertEquals(names.size(), new HashSet<>(names).size());
        assertSame(KumaProfile.PROFILE, MeshProfiles.byName(" Kuma "));
    }

    @Test
    void anUnknownKindIsAnErrorNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MeshProfiles.byName("linkerd"));
        assertTrue(e.getMessage().contains("unknown mesh kind 'linkerd'"), e.getMessage());
        assertTrue(e.getMessage().contains("istio, consul, kuma"), e.getMessage());
        assertNull(MeshProfiles.find("linkerd"));
    }

    @Test
    void presetNamesAndAliasesAreUniqueAcrossProfiles() {
        Set<String> seen = new HashSet<>();
        for (AccessLogPreset p : MeshProfiles.presets()) {
            assertTrue(seen.add(p.name()), p.name());
            p.aliases().forEach(a -> assertTrue(seen.add(a), a));
            assertSame(p, MeshProfiles.preset(p.name().toUpperCase()));
        }
        assertSame(KumaProfile.PROFILE.defaultPreset(), MeshProfiles.preset("kuma-http"));
        assertTrue(MeshProfiles.controlPlaneCommands().contains("KUMA_DESTINATION_SERVICE"));
    }

    /** Kuma's spellings of a service (corpus/README.md R38, R39, R40). */
    @ParameterizedTest
    @CsvSource({
        "backend_kuma-demo_svc_8080{mesh=default},backend",
        "'backend_kuma-demo_svc_8080{mesh=default,version=v2}',backend",
        "web{mesh=mesh-a},web",
        "backend_kuma-demo_svc_8080,backend",
        "backend_kuma-demo_svc_8080.mesh:80,backend",
        "ae10a8071b8a8eeb8.backend.8080.default.ms,backend",
        "sni.msvc.default.zone-1.kuma-demo.backend.http,backend",
        "sni.msvc.default.backend.http,backend",
    })
    void kumaNamesReduceToTheService(String name, String service) {
        assertEquals(service, MeshProfiles.serviceOfName(name));
    }

    @Test
    void theLocalAppClusterOfEachMeshNamesNoService() {
        for (String local : List.of("inbound|8080||", "local_app", "localhost:8080")) {
            assertNull(MeshProfiles.serviceOfName(local), local);
            assertEquals(ServiceNaming.Leg.LOCAL_APP, MeshProfiles.legOf(local), local);
        }
        assertEquals(ServiceNaming.Leg.OUTBOUND, MeshProfiles.legOf("backend_kuma-demo_svc_8080"));
        assertNull(MeshProfiles.legOf("backend.default.dc1.internal.abc.consul"));
    }

    @Test
    void aNameOfNoProfileIsAPlainHost() {
        assertEquals("backend", MeshProfiles.serviceOfName("https://u:p@Backend.example.com:8443/x"));
        assertNull(MeshProfiles.serviceOfName("10.1.2.3:8080"));
        assertNull(MeshProfiles.serviceOfName("-"));
        assertFalse(MeshProfiles.namesOwnMeshService("backend_kuma-demo_svc_8080"));
    }
}
