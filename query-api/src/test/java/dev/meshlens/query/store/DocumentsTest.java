package dev.meshlens.query.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.TlsFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentsTest {
    static final ObjectMapper M = new ObjectMapper();

    @Test
    void eventDocumentKeepsWireFieldsAndAddsDerivedOnes() throws Exception {
        MeshEvent e = MeshEvent.builder()
                .eventId(EventIds.of("m", "s", 1))
                .observedTime(Instant.parse("2026-11-28T23:59:59.123Z"))
                .meshId("m")
                .sourceKind(SourceKind.ACCESS_LOG)
                .observerRole(ObserverRole.SERVER)
                .requestedServerName("outbound_.8080_._.backend.default.svc.cluster.local")
                .peerUriSan("spiffe://cluster.local/ns/default/sa/Frontend")
                .localUriSan("spiffe://abc.consul/ns/default/dc/dc1/svc/backend")
                .tls(TlsFailure.of(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "verify SAN list"))
                .build();
        JsonNode d = M.readTree(Documents.event(e, "trace1", Instant.EPOCH));
        assertEquals("m", d.path("mesh_id").asText());
        assertEquals("access-log", d.path("source_kind").asText());
        assertEquals("backend", d.path("destination_service").asText());
        assertEquals("backend", d.path("server_service").asText());
        assertEquals("frontend", d.path("client_service").asText());
        assertEquals("SAN_MISMATCH", d.path("category").asText());
        assertTrue(d.path("failure").asBoolean());
        assertEquals("abc.consul", d.path("trust_domain").asText());
        assertEquals("trace1", d.path("trace_id").asText());
        assertEquals("meshlens-events-2026.11.28", new IndexNames("meshlens").eventsIndex(e.observedTime()));
        // the spliced document (from the received bytes) equals the re-serialised one
        byte[] wire = dev.meshlens.events.EventCodec.get().encodeBytes(e);
        assertEquals(d, M.readTree(Documents.event(wire, e, "trace1", Instant.EPOCH)));
        // bytes that already carry a derived name at top level fall back to re-serialisation (no duplicate keys)
        String withCategory = new String(wire, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"category\":\"X\",");
        JsonNode f =
                M.readTree(Documents.event(withCategory.getBytes(StandardCharsets.UTF_8), e, "trace1", Instant.EPOCH));
        assertEquals("SAN_MISMATCH", f.path("category").asText());
        assertTrue(Documents.hasDerivedTopLevelField(withCategory.getBytes(StandardCharsets.UTF_8)));
        assertTrue(!Documents.hasDerivedTopLevelField(wire), "tls.category is nested, not top level");
    }

    @Test
    void indexNamesRoundTrip() {
        IndexNames n = new IndexNames("ml");
        assertEquals(LocalDate.of(2020, 1, 2), n.dayOf("ml-events-2020.01.02"));
        assertNull(n.dayOf("ml-findings"));
        assertNull(n.dayOf("other-events-2020.01.02"));
        assertNull(n.dayOf("ml-events-garbage"));
    }

    @Test
    void findingVersionIsTheNewestTimeItCarries() {
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        Instant last = first.plusSeconds(60);
        Instant resolved = last.plusSeconds(600);
        Finding open =
                finding(FindingState.OPEN, last, List.of(new Finding.StateChange(first, FindingState.OPEN, "x")));
        Finding res = finding(
                FindingState.RESOLVED,
                last,
                List.of(
                        new Finding.StateChange(first, FindingState.OPEN, "x"),
                        new Finding.StateChange(resolved, FindingState.RESOLVED, "mTLS ok")));
        assertEquals(last.toEpochMilli(), Documents.versionOf(open));
        assertEquals(resolved.toEpochMilli(), Documents.versionOf(res));
        assertTrue(Documents.versionOf(res) > Documents.versionOf(open), "resolution must win over the open state");
        assertEquals(
                List.of("a", "b"),
                M.convertValue(Documents.finding(open, Instant.EPOCH).get("meshes"), List.class));
        assertEquals(
                "frontend",
                Documents.finding(open, Instant.EPOCH).path("client_service").asText());
    }

    static Finding finding(FindingState s, Instant last, List<Finding.StateChange> h) {
        return new Finding(
                1,
                "f1",
                FailureCategory.UNTRUSTED_ROOT,
                "a",
                "spiffe://cluster.local/ns/default/sa/frontend",
                "b",
                "backend",
                null,
                RejectedBy.PEER,
                "d",
                h.get(0).at(),
                last,
                3,
                s,
                false,
                null,
                List.of(),
                "r",
                Map.of(),
                h);
    }
}
