package dev.meshlens.correlator;

import static dev.meshlens.correlator.MeshEvents.BACKEND;
import static dev.meshlens.correlator.MeshEvents.CONSUL;
import static dev.meshlens.correlator.MeshEvents.INFO;
import static dev.meshlens.correlator.MeshEvents.ISTIO;
import static dev.meshlens.correlator.MeshEvents.T0;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, item 4: no field of a finding ever carries the text {@code null} (an unknown value is left out or
 * said in words). Walks every string of every finding that a mix of one-sided, paired, counter-only and
 * unknown-mesh cases produces.
 */
class FindingFieldsTest {
    private static final Pattern NULL_WORD = Pattern.compile("(?i)\\bnull\\b");

    @Test
    void noFindingFieldSaysNull() throws Exception {
        List<MeshEvent> events = new ArrayList<>();
        // client-only, no inventory at all: server mesh and kind unknown
        events.add(MeshEvents.backendToInfo(
                T0, FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        events.add(MeshEvents.backendToInfo(
                T0.plusSeconds(1), FailureCategory.CERT_EXPIRED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        events.add(MeshEvents.backendToInfo(
                T0.plusSeconds(2), FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        events.add(MeshEvents.backendToInfo(
                T0.plusSeconds(3), FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        // a client event without a mesh kind
        events.add(MeshEvents.backendToInfo(
                        T0.plusSeconds(4),
                        FailureCategory.PROTOCOL_MISMATCH,
                        RejectedBy.PEER,
                        "TLSV1_ALERT_PROTOCOL_VERSION")
                .toBuilder()
                .meshKind(null)
                .build());
        // server-only halves: unknown client
        events.add(MeshEvents.infoInbound(
                T0.plusSeconds(30),
                FailureCategory.CLIENT_CERT_MISSING,
                RejectedBy.SELF,
                "PEER_DID_NOT_RETURN_A_CERTIFICATE"));
        events.add(MeshEvents.infoInbound(
                T0.plusSeconds(31), FailureCategory.SAN_MISMATCH, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        // paired
        events.add(MeshEvents.backendToInfo(
                T0.plusSeconds(40), FailureCategory.CERT_REJECTED, RejectedBy.SELF, "CERTIFICATE_VERIFY_FAILED"));
        events.add(MeshEvents.infoInbound(
                T0.plusSeconds(40), FailureCategory.UNTRUSTED_ROOT, RejectedBy.PEER, "TLSV1_ALERT_UNKNOWN_CA"));
        // counters only, with and without the Envoy's identity
        events.add(MeshEvents.listenerDelta(
                ISTIO, MeshKind.ISTIO, T0.plusSeconds(50), "0.0.0.0_15006", Map.of("ssl.connection_error", 2L), null));
        events.add(MeshEvents.listenerDelta(
                CONSUL,
                MeshKind.CONSUL,
                T0.plusSeconds(50),
                "0.0.0.0_20000",
                Map.of("ssl.fail_verify_no_cert", 1L),
                INFO));
        // plaintext into a STRICT sidecar
        events.add(MeshEvents.strictInboundNoChain(T0.plusSeconds(60), BACKEND, false));
        try (Harness h = Harness.withDefaults()) {
            events.forEach(h::pipe);
            h.pipe(MeshEvents.backendToInfo(T0.plusSeconds(61), null, null, null));
            h.advanceTo(T0.plus(Duration.ofMinutes(3)));
            assertFalse(h.findings().isEmpty());
            List<String> bad = new ArrayList<>();
            for (Finding f : h.findings().values()) {
                JsonNode n = EventCodec.get().mapper().readTree(EventCodec.get().encodeFinding(f));
                walk(n, "", bad);
            }
            assertTrue(bad.isEmpty(), String.join("\n", bad));
        }
    }

    private static void walk(JsonNode n, String path, List<String> bad) {
        if (n.isTextual() && NULL_WORD.matcher(n.asText()).find()) {
            bad.add(path + " = " + n.asText());
        }
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> walk(e.getValue(), path + "." + e.getKey(), bad));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), path + "[" + i + "]", bad);
            }
        }
    }
}
