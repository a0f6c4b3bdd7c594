package dev.meshlens.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.collector.classify.TlsClassifier;
import dev.meshlens.collector.classify.Verdict;
import dev.meshlens.collector.format.ParseStatus;
import dev.meshlens.collector.format.ParsedLine;
import dev.meshlens.collector.format.Presets;
import dev.meshlens.events.Direction;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.SourceKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which side of the mesh's handshake a line's Envoy was on. */
class EventMapperRoleTest {
    static final SourceContext CONSUL = new SourceContext(
            "consul-dc1", MeshKind.CONSUL, "dc1", SourceKind.ACCESS_LOG, "/var/log/envoy/recommendations/access.log");

    static MeshEvent consulLine(String json) {
        ParsedLine p = Presets.CONSUL_JSON.newParsedLine();
        assertEquals(ParseStatus.OK, Presets.CONSUL_JSON.parse(json, p));
        Verdict v = TlsClassifier.INSTANCE.classify(p);
        return EventMapper.toEvent(CONSUL, 0, p, v, Instant.EPOCH);
    }

    /**
     * corpus s27: the Consul sidecar of recommendations accepted a request from the mesh and could not reach its
     * own app (refused). Its upstream failed, but its upstream is local_app: the Envoy is the mesh's server here.
     */
    @Test
    void aFailureTowardsConsulsLocalAppIsTheServersLine() {
        MeshEvent e = consulLine(
                "{\"upstream_cluster\":\"local_app\",\"response_code_details\":"
                        + "\"upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}\","
                        + "\"bytes_received\":0,\"start_time\":\"2025-11-18T10:00:06.000Z\",\"method\":\"GET\","
                        + "\"downstream_remote_address\":\"10.20.3.31:52000\",\"upstream_transport_failure_reason\":"
                        + "\"delayed_connect_error:_111\",\"authority\":\"recommendations\",\"response_flags\":\"UF\","
                        + "\"requested_server_name\":\"recommendations.default.dc1.internal.7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul\","
                        + "\"upstream_host\":\"127.0.0.1:8080\",\"response_code\":503,\"downstream_local_address\":\"10.20.3.130:20000\"}");
        assertEquals(Direction.INBOUND, e.direction());
        assertEquals(ObserverRole.SERVER, e.observerRole());
    }

    @Test
    void consulUpstreamsTellNoDirectionAndKeepTheVerdictsRole() {
        MeshEvent e = consulLine(
                "{\"upstream_cluster\":\"reviews.default.dc1.internal.7e4c1a9d-3b2f-4d6e-8a1c-9f0b2d3e4a5b.consul\","
                        + "\"start_time\":\"2025-11-18T10:00:00.200Z\",\"upstream_transport_failure_reason\":"
                        + "\"TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end\","
                        + "\"response_flags\":\"UF\",\"response_code\":0}");
        assertEquals(null, e.direction());
        assertEquals(ObserverRole.CLIENT, e.observerRole());
    }
}
