package dev.meshlens.redactor.bench;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.UnaryOperator;

/**
 * Companion to {@link RedactionBenchmark} for shared machines: measures events per second of
 * <em>this thread's CPU time</em> (not wall time), so other processes competing for the cores do
 * not distort the per-core figure. Same events, same engine, same naive baseline.
 *
 * <pre>java -cp redactor/target/benchmarks.jar dev.meshlens.redactor.bench.CpuTimeRun [seconds-per-run]</pre>
 */
public final class CpuTimeRun {
    private CpuTimeRun() {}

    static volatile Object sink;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        MeshEvent[] events = RedactionBenchmark.BenchEvents.mix(1024);
        RedactionEngine cached =
                RedactionEngine.builder(RedactionPolicy.defaultPolicy()).build();
        RedactionEngine uncached = RedactionEngine.builder(RedactionPolicy.defaultPolicy())
                .cleanCacheSize(0)
                .build();
        RedactionBenchmark.NaiveRedactor naive = new RedactionBenchmark.NaiveRedactor();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (args.length > 1 && args[1].equals("off-only")) { // for profiling the uncached path
            run(mx, events, uncached::redact, seconds);
            System.out.printf(
                    "engine, clean cache off: %,12.0f events per CPU-second%n",
                    run(mx, events, uncached::redact, seconds));
            return;
        }
        // warm-up
        run(mx, events, cached::redact, seconds / 2);
        run(mx, events, uncached::redact, seconds / 2);
        run(mx, events, naive::redact, seconds / 2);
        double a = run(mx, events, cached::redact, seconds);
        double b = run(mx, events, uncached::redact, seconds);
        double c = run(mx, events, naive::redact, seconds);
        System.out.printf("engine, default policy, clean cache on : %,12.0f events per CPU-second%n", a);
        System.out.printf("engine, default policy, clean cache off: %,12.0f events per CPU-second%n", b);
        System.out.printf("naive regex baseline                   : %,12.0f events per CPU-second%n", c);
        System.out.printf("ratio engine/naive: %.0fx (cache on), %.0fx (cache off)%n", a / c, b / c);
    }

    static double run(ThreadMXBean mx, MeshEvent[] events, UnaryOperator<MeshEvent> f, double cpuSeconds) {
        long budget = (long) (cpuSeconds * 1e9);
        long start = mx.getCurrentThreadCpuTime();
        long n = 0;
        long used;
        int i = 0;
        do {
            for (int k = 0; k < 1024; k++) {
                sink = f.apply(events[i++ & 1023]);
            }
            n += 1024;
            used = mx.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        return n / (used / 1e9);
    }
}
