package dev.meshlens.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private final EventCodec codec = EventCodec.get();

    static MeshEvent sampleFailure() {
        return MeshEvent.builder()
                .eventId(EventIds.of("istio-east", "/var/log/pods/a/istio-proxy/0.log", 4711))
                .observedTime(Instant.parse("2026-11-28T10:15:30.123Z"))
                .meshId("istio-east")
                .meshKind(MeshKind.ISTIO)
                .cluster("east-1")
                .sourceKind(SourceKind.ACCESS_LOG)
                .direction(Direction.OUTBOUND)
                .observerRole(ObserverRole.CLIENT)
                .responseCode(503)
                .responseFlags("UF")
                .responseCodeDetails("upstream_reset_before_response_started{connection_failure}")
                .upstreamTransportFailureReason(
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end")
                .upstreamCluster("outbound|8080||backend.default.svc.cluster.local")
                .localUriSan("spiffe://cluster.local/ns/default/sa/frontend")
                .durationMs(12L)
                .bytesReceived(0L)
                .bytesSent(91L)
                .tls(new TlsFailure(
                        FailureCategory.CERT_REJECTED,
                        RejectedBy.SELF,
                        268435581L,
                        "CERTIFICATE_VERIFY_FAILED",
                        null,
                        "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"))
                .attributes(Map.of("route_name", "default"))
                .redaction(new Redaction("default", "3", Map.of("detector.jwt", 1)))
                .build();
    }

    @Test
    void eventRoundTripsWithSnakeCaseNames() {
        MeshEvent e = sampleFailure();
        String json = codec.encode(e);
        assertTrue(json.contains("\"mesh_id\":\"istio-east\""), json);
        assertTrue(json.contains("\"source_kind\":\"access-log\""), json);
        assertTrue(json.contains("\"rejected_by\":\"self\""), json);
        assertTrue(json.contains("\"observed_time\":\"2026-11-28T10:15:30.123Z\""), json);
        assertTrue(json.contains("\"schema_version\":1"), json);
        assertFalse(json.contains("null"), "absent values are left out: " + json);
        assertEquals(e, codec.decode(json));
        assertEquals(e, codec.decodeEvent(codec.encodeBytes(e)));
    }

    @Test
    void inventoryEventsRoundTrip() {
        CertificateInfo cert = new CertificateInfo(
                "CN=backend",
                "O=cluster.local",
                "0a1b",
                "ab".repeat(32),
                List.of("spiffe://cluster.local/ns/default/sa/backend"),
                List.of(),
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"),
                "01",
                "02",
                false);
        TrustBundle bundle = new TrustBundle(
                "consul-dc1",
                "abc.consul",
                "/v1/connect/ca/roots",
                List.of(new TrustBundle.Root(
                        "CN=Consul CA 7",
                        "cd".repeat(32),
                        "0c",
                        "0c",
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2036-01-01T00:00:00Z"))));
        MeshEvent e = MeshEvent.builder()
                .eventId("x")
                .observedTime(Instant.EPOCH)
                .meshId("consul-dc1")
                .meshKind(MeshKind.CONSUL)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .certificates(List.of(cert))
                .trustBundle(bundle)
                .stats(new StatsDelta("listener", "0.0.0.0_20000", Map.of("ssl.fail_verify_error", 3L), 10.0))
                .build();
        assertEquals(e, codec.decode(codec.encode(e)));
        assertEquals(29, cert.daysUntilExpiry(Instant.parse("2026-11-02T00:00:00Z")));
    }

    @Test
    void unknownFieldsAreTolerated() {
        String json = "{\"schema_version\":1,\"event_id\":\"a\",\"observed_time\":\"2026-11-28T00:00:00Z\","
                + "\"mesh_id\":\"m\",\"source_kind\":\"otel-log\",\"a_field_from_the_future\":{\"x\":[1,2]}}";
        MeshEvent e = codec.decode(json);
        assertEquals("m", e.meshId());
        assertEquals(SourceKind.OTEL_LOG, e.sourceKind());
    }

    /** The wire form of a kind is its profile's name: events written before profiles decode unchanged. */
    @Test
    void meshKindsDecodeByTheirProfilesNames() {
        String head = "{\"schema_version\":1,\"event_id\":\"a\",\"observed_time\":\"2026-11-28T00:00:00Z\","
                + "\"mesh_id\":\"m\",\"source_kind\":\"access-log\",\"mesh_kind\":";
        assertSame(MeshKind.ISTIO, codec.decode(head + "\"istio\"}").meshKind());
        assertSame(MeshKind.OTHER, codec.decode(head + "\"other\"}").meshKind());
        MeshEvent kuma = codec.decode(head + "\"kuma\"}");
        assertEquals("kuma", kuma.meshKind().wireName());
        assertTrue(codec.encode(kuma).contains("\"mesh_kind\":\"kuma\""), codec.encode(kuma));
        EventDecodeException unknown =
                assertThrows(EventDecodeException.class, () -> codec.decode(head + "\"linkerd\"}"));
        assertEquals("mesh_kind", unknown.field());
        assertTrue(unknown.getMessage().contains("known kinds: istio, consul, kuma"), unknown.getMessage());
    }

    @Test
    void missingRequiredFieldIsNamedWithItsPosition() {
        String json = "{\n  \"schema_version\":1,\n  \"event_id\":\"a\",\n  \"observed_time\":\"2026-11-28T00:00:00Z\","
                + "\n  \"source_kind\":\"access-log\"\n}";
        EventDecodeException e = assertThrows(EventDecodeException.class, () -> codec.decode(json));
        assertEquals("mesh_id", e.field());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("missing required field 'mesh_id'"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1, column 1"), e.getMessage());
    }

    @Test
    void badValuesAndTruncatedJsonAreRejectedWithPositions() {
        EventDecodeException badEnum = assertThrows(
                EventDecodeException.class,
                () -> codec.decode(
                        "{\"schema_version\":1,\"event_id\":\"a\",\"observed_time\":\"2026-11-28T00:00:00Z\",\"mesh_id\":\"m\","
                                + "\"source_kind\":\"carrier-pigeon\"}"));
        assertEquals("source_kind", badEnum.field());
        assertTrue(badEnum.getMessage().contains("carrier-pigeon"), badEnum.getMessage());

        EventDecodeException truncated = assertThrows(
                EventDecodeException.class, () -> codec.decode("{\"schema_version\":1,\"event_id\":\"a\",\"mesh"));
        assertTrue(truncated.getMessage().startsWith("malformed JSON"), truncated.getMessage());
        assertTrue(truncated.line() >= 1);

        EventDecodeException future = assertThrows(
                EventDecodeException.class, () -> codec.decode("{\"schema_version\":99,\"event_id\":\"a\"}"));
        assertTrue(future.getMessage().contains("schema_version 99 is not supported"), future.getMessage());

        EventDecodeException notObject = assertThrows(EventDecodeException.class, () -> codec.decode("[1]"));
        assertTrue(notObject.getMessage().contains("expected a JSON object"), notObject.getMessage());
    }

    @Test
    void findingRoundTrips() {
        Finding f = new Finding(
                SchemaVersion.CURRENT,
                Finding.idFor(
                        "istio-east/spiffe://cluster.local/ns/default/sa/frontend",
                        "consul-dc1/backend",
                        FailureCategory.UNTRUSTED_ROOT),
                FailureCategory.UNTRUSTED_ROOT,
                "istio-east",
                "spiffe://cluster.local/ns/default/sa/frontend",
                "consul-dc1",
                "backend",
                "spiffe://abc.consul/ns/default/dc/dc1/svc/backend",
                RejectedBy.PEER,
                "mesh consul-dc1 does not trust the root that signs spiffe://cluster.local/ns/default/sa/frontend",
                Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:05:00Z"),
                42,
                FindingState.OPEN,
                false,
                null,
                List.of("e1", "e2"),
                "Import the Istio root into Consul's trust bundle.",
                Map.of("missing_root", "CN=Istio Root"),
                List.of(new Finding.StateChange(
                        Instant.parse("2026-11-28T10:00:00Z"), FindingState.OPEN, "first failure")));
        String json = codec.encodeFinding(f);
        assertTrue(json.contains("\"state\":\"open\""), json);
        assertEquals(f, codec.decodeFinding(json));
    }

    @Test
    void eventIdsAreStableAndPositionSensitive() {
        assertEquals(EventIds.of("m", "file-1", 10), EventIds.of("m", "file-1", 10));
        assertFalse(EventIds.of("m", "file-1", 10).equals(EventIds.of("m", "file-1", 11)));
        assertFalse(EventIds.of("m", "file-1", 10).equals(EventIds.of("n", "file-1", 10)));
        assertEquals(32, EventIds.of("m", "s", 0).length());
    }
}
