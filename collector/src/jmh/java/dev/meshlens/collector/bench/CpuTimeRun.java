package dev.meshlens.collector.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second of the measuring thread's CPU time, so other processes competing for the shared
 * cores do not distort the per-core figure. Same lines, parsers and baselines as
 * {@link ParseClassifyBenchmark}. Usage: {@code java -cp benchmarks.jar dev.meshlens.collector.bench.CpuTimeRun [seconds]}.
 */
public final class CpuTimeRun {
    interface Body {
        void run(ParseClassifyBenchmark b, Blackhole bh) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ParseClassifyBenchmark b = new ParseClassifyBenchmark();
        b.setup();
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Map<String, Body> bodies = new LinkedHashMap<>();
        bodies.put("istioText_meshlensParseClassify", ParseClassifyBenchmark::istioText_meshlensParseClassify);
        bodies.put(
                "istioText_meshlensParseClassifyBytes", ParseClassifyBenchmark::istioText_meshlensParseClassifyBytes);
        bodies.put("istioText_chainOfOneParseClassify", ParseClassifyBenchmark::istioText_chainOfOneParseClassify);
        bodies.put("istioText_listOfTwoParseClassify", ParseClassifyBenchmark::istioText_listOfTwoParseClassify);
        bodies.put("istioText_autoParseClassify", ParseClassifyBenchmark::istioText_autoParseClassify);
        bodies.put("istioText_grokParseOnly", ParseClassifyBenchmark::istioText_grokParseOnly);
        bodies.put("istioText_regexParseOnly", ParseClassifyBenchmark::istioText_regexParseOnly);
        bodies.put("consulJson_meshlensParseClassify", ParseClassifyBenchmark::consulJson_meshlensParseClassify);
        bodies.put("consulJson_jacksonTreeParseOnly", ParseClassifyBenchmark::consulJson_jacksonTreeParseOnly);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm every body up first, then measure them in rotation: measured one after the other, the first
        // body paid for compiling the code all of them share and looked 20-50% slower than the same code run
        // later.
        for (Body body : bodies.values()) {
            long until = mx.getCurrentThreadCpuTime() + (long) (seconds * 0.5e9);
            while (mx.getCurrentThreadCpuTime() < until) {
                body.run(b, bh);
            }
        }
        int rounds = 3;
        Map<String, long[]> totals = new LinkedHashMap<>(); // lines, CPU nanoseconds
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Body> e : bodies.entrySet()) {
                long start = mx.getCurrentThreadCpuTime();
                long lines = 0;
                while (mx.getCurrentThreadCpuTime() - start < seconds * 1e9 / rounds) {
                    e.getValue().run(b, bh);
                    lines += ParseClassifyBenchmark.N;
                }
                long[] t = totals.computeIfAbsent(e.getKey(), k -> new long[2]);
                t[0] += lines;
                t[1] += mx.getCurrentThreadCpuTime() - start;
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : totals.entrySet()) {
            double rate = e.getValue()[0] / (e.getValue()[1] / 1e9);
            rates.put(e.getKey(), rate);
            System.out.printf("%-36s %,14.0f lines per CPU-second%n", e.getKey(), rate);
        }
        double istio = rates.get("istioText_meshlensParseClassify");
        double consul = rates.get("consulJson_meshlensParseClassify");
        System.out.printf(
                "istio text through a source's chain: one format %.3f, list of two %.3f, auto %.3f of the"
                        + " bare format%n",
                rates.get("istioText_chainOfOneParseClassify") / istio,
                rates.get("istioText_listOfTwoParseClassify") / istio,
                rates.get("istioText_autoParseClassify") / istio);
        System.out.printf(
                "istio text parsed from bytes: %.3f of the same from Strings%n",
                rates.get("istioText_meshlensParseClassifyBytes") / istio);
        System.out.printf(
                "istio text: %.1fx grok, %.1fx regex; consul json: %.1fx jackson tree%n",
                istio / rates.get("istioText_grokParseOnly"),
                istio / rates.get("istioText_regexParseOnly"),
                consul / rates.get("consulJson_jacksonTreeParseOnly"));
    }
}
