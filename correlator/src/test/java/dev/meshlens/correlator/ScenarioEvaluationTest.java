package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.simulator.ExpectedFinding;
import dev.meshlens.simulator.Scenario;
import dev.meshlens.simulator.ScenarioGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100 generated scenarios (±3 s clock skew between the meshes, blind and non-reporting server
 * sides, old Envoys, unrelated failures, fixes) through the correlation topology, fed with the
 * simulator's ground-truth events (what a correct collector publishes for each line). Findings
 * are compared with the ground truth: precision and recall ≥ 0.99, direction correct in every case.
 */
class ScenarioEvaluationTest {
    static final int SCENARIOS = 100;

    @Test
    void hundredScenariosPrecisionRecallDirection() throws Exception {
        Evaluation ev = new Evaluation();
        for (long seed = 1; seed <= SCENARIOS; seed++) {
            long t0 = System.nanoTime();
            Scenario s = ScenarioGenerator.generate(seed);
            long t1 = System.nanoTime();
            // a scenario lasts 60 s and a fix comes at +40 s: a sustained period shorter than the 20 s of successes
            // left keeps the final-state comparison meaningful (the default, 5 min, would leave every fix open)
            try (Harness h =
                    new Harness(Harness.defaults().with(CorrelatorKeys.RESOLVE_AFTER, Duration.ofSeconds(10)))) {
                long t2 = System.nanoTime();
                h.pipeAll(arrivalOrder(s, seed));
                Instant end = s.events().stream()
                        .map(MeshEvent::observedTime)
                        .max(Comparator.naturalOrder())
                        .orElseThrow();
                h.advanceTo(end.plus(Duration.ofMinutes(2)));
                ev.add(s, h.findings().values());
                if (seed <= 3) {
                    System.out.printf(
                            "seed %d: generate %d ms, driver %d ms, run %d ms, %d events%n",
                            seed,
                            (t1 - t0) / 1_000_000,
                            (t2 - t1) / 1_000_000,
                            (System.nanoTime() - t2) / 1_000_000,
                            s.events().size());
                }
            }
        }
        ev.print("ground-truth events -> correlation topology");
        assertTrue(ev.precision() >= 0.99, "precision " + ev.precision());
        assertTrue(ev.recall() >= 0.99, "recall " + ev.recall());
        assertEquals(ev.matched, ev.directionCorrect, "direction must be correct in every case: " + ev.wrongDirection);
    }

    /**
     * The order records reach the correlator: each mesh publishes in its own time order, one mesh's
     * collector lags the other by up to 2 s (so arrival order differs from event time order).
     */
    static List<MeshEvent> arrivalOrder(Scenario s, long seed) {
        Random r = new Random(seed);
        Map<String, Long> lag = new HashMap<>();
        for (String m : s.meshIds()) {
            lag.put(m, (long) r.nextInt(2000));
        }
        List<MeshEvent> all = new ArrayList<>(s.events());
        all.sort(Comparator.comparingLong(e -> e.observedTime().toEpochMilli() + lag.getOrDefault(e.meshId(), 0L)));
        return all;
    }

    /** Precision/recall bookkeeping shared with the e2e evaluation. */
    static final class Evaluation {
        int expected;
        int produced;
        int matched;
        int directionCorrect;
        int stateCorrect;
        int oneSidedCorrect;
        final List<String> misses = new ArrayList<>();
        final List<String> extras = new ArrayList<>();
        final List<String> wrongDirection = new ArrayList<>();

        static String key(Finding f) {
            return f.clientMesh() + "|" + f.clientIdentity() + "|" + f.serverMesh() + "|" + f.serverService() + "|"
                    + f.category();
        }

        void add(Scenario s, Collection<Finding> findings) {
            Map<String, Finding> byKey = new HashMap<>();
            for (Finding f : findings) {
                byKey.put(key(f), f);
            }
            produced += byKey.size();
            expected += s.expected().size();
            for (ExpectedFinding x : s.expected()) {
                Finding f = byKey.remove(x.key());
                if (f == null) {
                    misses.add(s.description() + " :: missing " + x);
                    continue;
                }
                matched++;
                boolean dirOk = f.rejectedBy() == x.rejectedBy()
                        && f.direction() != null
                        && f.direction()
                                .contains(
                                        x.rejectedBy() == dev.meshlens.events.RejectedBy.PEER
                                                        && x.category()
                                                                == dev.meshlens.events.FailureCategory.UNTRUSTED_ROOT
                                                ? x.serverMesh()
                                                : x.clientMesh());
                if (dirOk) {
                    directionCorrect++;
                } else {
                    wrongDirection.add(
                            s.description() + " :: " + x + " got " + f.rejectedBy() + " '" + f.direction() + "'");
                }
                if (f.state() == x.finalState()) {
                    stateCorrect++;
                } else {
                    misses.add(s.description() + " :: state " + f.state() + " expected " + x.finalState() + " for "
                            + x.key() + " history " + f.history());
                }
                if (f.oneSided() == x.oneSided()) {
                    oneSidedCorrect++;
                }
            }
            for (Finding f : byKey.values()) {
                extras.add(s.description() + " :: extra " + key(f) + " rb=" + f.rejectedBy() + " count=" + f.count()
                        + " details=" + f.details());
            }
        }

        double precision() {
            return produced == 0 ? 0 : (double) matched / produced;
        }

        double recall() {
            return expected == 0 ? 0 : (double) matched / expected;
        }

        void print(String what) {
            System.out.printf(
                    "%n=== correlation evaluation (%s) ===%nexpected findings: %d, produced: %d, matched: %d%n"
                            + "precision: %.4f  recall: %.4f%ndirection correct: %d/%d  final state correct: %d/%d  one-sided flag"
                            + " correct: %d/%d%n",
                    what,
                    expected,
                    produced,
                    matched,
                    precision(),
                    recall(),
                    directionCorrect,
                    matched,
                    stateCorrect,
                    matched,
                    oneSidedCorrect,
                    matched);
            misses.stream().limit(15).forEach(m -> System.out.println("  " + m));
            extras.stream().limit(15).forEach(m -> System.out.println("  " + m));
            wrongDirection.stream().limit(15).forEach(m -> System.out.println("  " + m));
        }
    }
}
