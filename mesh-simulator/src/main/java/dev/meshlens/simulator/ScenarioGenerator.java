package dev.meshlens.simulator;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates reproducible scenarios over a {@link Federation}: healthy background traffic on every
 * edge, unrelated (non-TLS) failures, one or two injected {@link Fault}s on cross-mesh edges,
 * clock skew between the meshes, server sides without listener logs (only {@code ssl.*} counters
 * move) or not reporting at all, old Envoys without validator detail, and sometimes the fix.
 */
public final class ScenarioGenerator {
    /** Knobs; {@link #DEFAULTS} is what the evaluation uses. */
    public record Options(
            Duration maxSkew,
            Duration length,
            Duration requestInterval,
            Duration statsInterval,
            double blindListenerProbability,
            double notReportingProbability,
            double oldEnvoyProbability,
            double fixProbability,
            double unrelatedFailureProbability,
            double secondFaultProbability) {}

    public static final Instant BASE = Instant.parse("2026-11-28T10:00:00Z");
    public static final Options DEFAULTS = new Options(
            Duration.ofSeconds(3),
            Duration.ofSeconds(60),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            0.5,
            0.1,
            0.3,
            0.3,
            0.05,
            0.25);

    private ScenarioGenerator() {}

    public static Scenario generate(long seed) {
        return generate(seed, DEFAULTS);
    }

    public static Scenario generate(long seed, Options o) {
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 7);
        Instant start = BASE.plus(Duration.ofHours(seed));
        String istioId = "istio-east-" + seed;
        String consulId = "consul-dc1-" + seed;
        Federation f = new Federation(seed, istioId, consulId, start);
        long skewMs = (long) ((rnd.nextDouble() * 2 - 1) * o.maxSkew().toMillis());
        f.consul().clockSkew(Duration.ofMillis(skewMs));

        List<Federation.Edge> cross = f.crossMeshEdges();
        Fault[] faults = Fault.values();
        List<Federation.Edge> faultEdges = new ArrayList<>();
        List<Fault> injected = new ArrayList<>();
        Federation.Edge e1 = cross.get(rnd.nextInt(cross.size()));
        Fault f1 = pick(rnd, faults, e1);
        faultEdges.add(e1);
        injected.add(f1);
        if (rnd.nextDouble() < o.secondFaultProbability()) {
            // a second fault on an edge in the other direction (independent trust configuration)
            List<Federation.Edge> others = cross.stream()
                    .filter(e -> e.client().mesh() != e1.client().mesh())
                    .toList();
            Federation.Edge e2 = others.get(rnd.nextInt(others.size()));
            Fault f2 = pick(rnd, faults, e2);
            if (!conflicts(f1, f2)) {
                faultEdges.add(e2);
                injected.add(f2);
            }
        }
        StringBuilder desc = new StringBuilder("seed " + seed + ": consul clock skew " + skewMs + " ms");
        for (int i = 0; i < injected.size(); i++) {
            Federation.Edge e = faultEdges.get(i);
            Fault fault = injected.get(i);
            SimMesh serverMesh = e.server().mesh();
            if (rnd.nextDouble() < o.blindListenerProbability()) {
                serverMesh.listenerLogs(false);
                desc.append("; ").append(serverMesh.id()).append(" without listener logs");
            }
            if (fault.clientHalfConclusive()
                    && !f.isClient(e.server())
                    && rnd.nextDouble() < o.notReportingProbability()) {
                // no collector on the server's Envoy: no access log, no listener log, no stats from it (the mesh's
                // trust bundle and certificate inventory are still known)
                e.server().reporting(false);
                desc.append("; ").append(e.server()).append(" not reporting");
            }
            if (rnd.nextDouble() < o.oldEnvoyProbability()) {
                e.client().validatorDetail(false);
                e.server().validatorDetail(false);
                desc.append("; old Envoy on ").append(e);
            }
            fault.apply(e.client(), e.server(), e.gateway(), start);
            desc.append("; ").append(fault).append(" on ").append(e);
        }
        boolean fix = rnd.nextDouble() < o.fixProbability();
        Instant fixAt = start.plus(o.length().multipliedBy(2).dividedBy(3));
        if (fix) {
            desc.append("; fixed at +")
                    .append(o.length().multipliedBy(2).dividedBy(3).toSeconds())
                    .append("s");
        }

        Traffic traffic = new Traffic(seed);
        List<SimLine> lines = new ArrayList<>();
        Map<String, Acc> truth = new LinkedHashMap<>();
        for (SimMesh m : f.meshes()) {
            lines.add(traffic.trustBundle(m, start));
            for (Envoy e : m.envoys()) {
                lines.add(traffic.certs(e, start));
                traffic.pollStats(e, start);
            }
        }
        long stepMs = 250;
        long intervalMs = o.requestInterval().toMillis();
        Map<Federation.Edge, Long> nextCall = new LinkedHashMap<>();
        for (Federation.Edge e : f.edges()) {
            nextCall.put(e, (long) rnd.nextInt((int) intervalMs));
        }
        boolean fixed = false;
        long lastStats = 0;
        for (long t = 0; t <= o.length().toMillis(); t += stepMs) {
            Instant now = start.plusMillis(t);
            if (fix && !fixed && !now.isBefore(fixAt)) {
                for (int i = 0; i < injected.size(); i++) {
                    Federation.Edge e = faultEdges.get(i);
                    injected.get(i).fix(e.client(), e.server(), e.gateway(), now);
                }
                fixed = true;
                for (SimMesh m : f.meshes()) {
                    lines.add(traffic.trustBundle(m, now));
                    for (Envoy e : m.envoys()) {
                        lines.add(traffic.certs(e, now));
                    }
                }
            }
            for (Federation.Edge e : f.edges()) {
                if (nextCall.get(e) > t) {
                    continue;
                }
                nextCall.put(e, t + intervalMs / 2 + rnd.nextInt((int) intervalMs));
                Instant at = now.plusMillis(rnd.nextInt((int) stepMs));
                if (rnd.nextDouble() < o.unrelatedFailureProbability()
                        && Handshake.decide(e.client(), e.server(), e.gateway(), at)
                                .success()) {
                    // an application error or timeout over a working mTLS connection: not a TLS finding
                    SimLine u = traffic.unrelatedFailure(e.client(), e.server(), at);
                    if (e.client().reporting()) {
                        lines.add(u);
                    }
                    continue;
                }
                Traffic.Call call = traffic.call(e.client(), e.server(), e.gateway(), at, e.path());
                lines.addAll(call.lines());
                if (e.client().reporting()) {
                    record(truth, e, call.result(), at);
                }
            }
            if (t - lastStats >= o.statsInterval().toMillis()) {
                lastStats = t;
                for (Envoy e : f.envoys()) {
                    lines.addAll(traffic.pollStats(e, now));
                }
            }
        }
        Instant end = start.plus(o.length()).plusMillis(stepMs);
        for (Envoy e : f.envoys()) {
            lines.addAll(traffic.pollStats(e, end));
        }
        List<ExpectedFinding> expected = new ArrayList<>();
        for (Acc a : truth.values()) {
            if (a.failures == 0) {
                continue;
            }
            SimMesh sm = a.edge.server().mesh();
            boolean blind = !a.edge.server().reporting()
                    && !(a.category == FailureCategory.NO_ROUTE
                            && a.edge.gateway() != null
                            && a.edge.gateway().reporting());
            expected.add(new ExpectedFinding(
                    a.category,
                    a.edge.client().mesh().id(),
                    a.edge.client().identity(),
                    sm.id(),
                    a.edge.server().service(),
                    a.rejectedBy,
                    blind,
                    blind ? sm.id() : null,
                    a.successAfterFailure ? FindingState.RESOLVED : FindingState.OPEN,
                    a.failures));
        }
        return new Scenario(seed, desc.toString(), List.of(istioId, consulId), List.copyOf(lines), expected);
    }

    private static final class Acc {
        final Federation.Edge edge;
        FailureCategory category;
        RejectedBy rejectedBy;
        long failures;
        boolean successAfterFailure;

        Acc(Federation.Edge edge) {
            this.edge = edge;
        }
    }

    private static void record(Map<String, Acc> truth, Federation.Edge e, Handshake.Result r, Instant at) {
        if (r.success()) {
            for (Acc a : truth.values()) {
                if (a.edge.equals(e) && a.failures > 0) {
                    a.successAfterFailure = true;
                }
            }
            return;
        }
        Acc a = truth.computeIfAbsent(e + "|" + r.category() + "|" + r.rejectedBy(), k -> new Acc(e));
        a.category = r.category();
        a.rejectedBy = r.rejectedBy();
        a.failures++;
        a.successAfterFailure = false;
    }

    private static Fault pick(Random rnd, Fault[] faults, Federation.Edge e) {
        while (true) {
            Fault f = faults[rnd.nextInt(faults.length)];
            if (f == Fault.GATEWAY_NO_ROUTE && e.gateway() == null) {
                continue;
            }
            return f;
        }
    }

    private static boolean conflicts(Fault a, Fault b) {
        // Trust-bundle faults change a whole mesh; keep the second fault independent of the first.
        return a.name().contains("ROOT") || b.name().contains("ROOT");
    }
}
