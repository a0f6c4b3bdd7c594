package dev.meshlens.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.simulator.Fault;
import dev.meshlens.simulator.Federation;
import dev.meshlens.simulator.ScenarioGenerator;
import dev.meshlens.simulator.SimLine;
import dev.meshlens.simulator.Traffic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every half the simulator can write goes through the collector's real parser and classifier, and
 * must come out as the category, rejected_by and observer role the simulator meant: each fault on
 * each cross-mesh edge (Istio client through the Consul gateway, Consul client straight to an Istio
 * sidecar), with listener logs on and off, new and old Envoys (validator detail or plain
 * CERTIFICATE_VERIFY_FAILED), healthy calls before the fault included. The simulator and the
 * classifier share one BoringSSL table ({@code dev.meshlens.events.BoringSsl}), so a code or name the
 * two spell differently fails here.
 */
class SimulatorHalvesClassificationTest {

    @Test
    void everySimulatedHalfClassifiesAsTheSimulatorMeantIt() {
        List<String> wrong = new ArrayList<>();
        Set<FailureCategory> seen = EnumSet.noneOf(FailureCategory.class);
        int halves = 0;
        long seed = 1;
        Instant now = ScenarioGenerator.BASE;
        for (Fault fault : Fault.values()) {
            for (int edgeIndex = 0; edgeIndex < 5; edgeIndex++) {
                for (boolean listenerLogs : new boolean[] {true, false}) {
                    for (boolean validatorDetail : new boolean[] {true, false}) {
                        Federation f = new Federation(seed, "istio-" + seed, "consul-" + seed, now);
                        Federation.Edge e = f.crossMeshEdges().get(edgeIndex);
                        if (fault == Fault.GATEWAY_NO_ROUTE && e.gateway() == null) {
                            continue;
                        }
                        f.istio().listenerLogs(listenerLogs);
                        f.consul().listenerLogs(listenerLogs);
                        e.client().validatorDetail(validatorDetail);
                        e.server().validatorDetail(validatorDetail);
                        Traffic traffic = new Traffic(seed);
                        List<SimLine> lines =
                                new ArrayList<>(traffic.call(e.client(), e.server(), e.gateway(), now, "/")
                                        .lines());
                        fault.apply(e.client(), e.server(), e.gateway(), now);
                        lines.addAll(traffic.call(e.client(), e.server(), e.gateway(), now.plusSeconds(1), "/")
                                .lines());
                        String where = fault + " on " + e + " (listener logs " + listenerLogs + ", validator detail "
                                + validatorDetail + ")";
                        for (SimLine l : lines) {
                            halves++;
                            MeshEvent got = CorrelationPipelineEvaluationTest.collect(l, halves);
                            if (got == null) {
                                wrong.add(where + ": unparsed " + l.text());
                                continue;
                            }
                            String diff = difference(l.expected(), got);
                            if (diff != null) {
                                wrong.add(where + ", " + l.file() + " of " + l.envoy() + ": " + diff + "\n      "
                                        + l.text());
                            }
                            if (got.tls() != null) {
                                seen.add(got.tls().category());
                            }
                        }
                        seed++;
                    }
                }
            }
        }
        System.out.printf(
                "%d simulated halves through the collector's parser and classifier, %d differ%n", halves, wrong.size());
        wrong.stream().limit(400).forEach(w -> System.out.println("  " + w));
        assertTrue(
                wrong.isEmpty(),
                wrong.size() + " of " + halves + " halves classify differently; first: "
                        + (wrong.isEmpty() ? "" : wrong.get(0)));
        assertTrue(
                seen.containsAll(EnumSet.of(
                        FailureCategory.UNTRUSTED_ROOT,
                        FailureCategory.SAN_MISMATCH,
                        FailureCategory.CERT_EXPIRED,
                        FailureCategory.CERT_REJECTED,
                        FailureCategory.CLIENT_CERT_MISSING,
                        FailureCategory.PLAINTEXT_MISMATCH,
                        FailureCategory.PROTOCOL_MISMATCH,
                        FailureCategory.NO_ROUTE,
                        FailureCategory.CONNECTION_RESET)),
                "every category the simulator writes was exercised: " + seen);
    }

    /** What differs between the simulator's ground truth and what the collector made of the line; null when nothing. */
    static String difference(MeshEvent expected, MeshEvent got) {
        TlsFailure x = expected.tls();
        TlsFailure g = got.tls();
        if (x == null || g == null) {
            return x == g
                    ? null
                    : "failure " + (x == null ? "none" : x.category()) + " expected, got "
                            + (g == null ? "none" : g.category() + "/" + g.reason());
        }
        List<String> d = new ArrayList<>();
        if (x.category() != g.category()) {
            d.add("category " + x.category() + " expected, got " + g.category());
        }
        if (x.rejectedBy() != g.rejectedBy()) {
            d.add("rejected_by " + x.rejectedBy().wireName() + " expected, got "
                    + g.rejectedBy().wireName());
        }
        if (x.code() != null && !x.code().equals(g.code())) {
            d.add("code " + x.code() + " expected, got " + g.code());
        }
        if (x.reason() != null && !x.reason().equals(g.reason())) {
            d.add("reason " + x.reason() + " expected, got " + g.reason());
        }
        if (expected.observerRole() != got.observerRole()) {
            d.add("observer role " + expected.observerRole() + " expected, got " + got.observerRole());
        }
        return d.isEmpty() ? null : String.join("; ", d);
    }

    static {
        assertEquals(
                5,
                new Federation(1, "a", "b", ScenarioGenerator.BASE)
                        .crossMeshEdges()
                        .size(),
                "the federation has five cross-mesh edges");
    }
}
