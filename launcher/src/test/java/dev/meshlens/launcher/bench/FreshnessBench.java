package dev.meshlens.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.correlator.CorrelatorKeys;
import dev.meshlens.events.Finding;
import dev.meshlens.launcher.demo.Demo;
import dev.meshlens.launcher.demo.DemoOptions;
import dev.meshlens.query.config.QueryApiKeys;
import dev.meshlens.query.store.IndexNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * Freshness: from a failed handshake written by an Envoy to its finding visible through the query API, in the demo's
 * setup (the same {@link Demo}: a Kafka broker and an Elasticsearch node as child processes, the simulated meshes with
 * their traffic and injected faults, a collector per mesh tailing the Envoys' files, the query API with ingest and the
 * correlator inside, all child JVMs with the demo's own configuration files).
 *
 * <p>Into that running demo it writes {@code failures} two-sided failures ({@link TwinFailures}: both halves, client
 * line and server line, in the Envoys' files) at exponentially distributed gaps of mean {@code spacing}, in turn over
 * three consul-dc1 → istio-east pairs, and watches each one travel: both events on the mesh topics (collectors), the
 * pair's finding with the new count on {@code meshlens.findings} (correlator, read committed), its document in
 * Elasticsearch (findings ingest) and the findings list of the API (what the on-call page shows). The observable is
 * the one the on-call user has: the first failure of a pair makes a new finding, every later one moves its count and
 * last seen. Not a test; run with {@code query-api/bench/freshness.sh}.
 */
public final class FreshnessBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** About a second of the demo's own traffic (7 edges at 2 requests/s, a line or two each). */
    private static final long CAUGHT_UP_RECORDS = 30;

    record Options(int failures, Duration spacing, Duration poll, double ratePerEdge, Path dir, Duration settle) {
        static Options parse(String[] a) {
            return new Options(
                    a.length > 0 ? Integer.parseInt(a[0]) : 200,
                    Duration.ofMillis(a.length > 1 ? Long.parseLong(a[1]) : 500),
                    Duration.ofMillis(a.length > 2 ? Long.parseLong(a[2]) : 100),
                    a.length > 3 ? Double.parseDouble(a[3]) : DemoOptions.DEFAULT_RATE_PER_EDGE,
                    Path.of(a.length > 4 ? a[4] : "/tmp/meshlens-freshness/demo"),
                    Duration.ofSeconds(90));
        }
    }

    private FreshnessBench() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        String loadBefore = loadAverage();
        System.out.printf(
                Locale.ROOT,
                "freshness: %d failures, mean spacing %d ms, API poll %d ms, demo traffic %.1f requests/s per edge;"
                        + " load average %s, %d cores%n",
                o.failures(),
                o.spacing().toMillis(),
                o.poll().toMillis(),
                o.ratePerEdge(),
                loadBefore,
                Runtime.getRuntime().availableProcessors());
        DemoOptions demoOptions = new DemoOptions(
                o.dir(),
                0,
                DemoOptions.DEFAULT_SEED,
                o.ratePerEdge(),
                null,
                DemoOptions.DEFAULT_FINDINGS_TIMEOUT,
                null);
        try (Demo demo = Demo.start(demoOptions, System.out)) {
            run(demo, demoOptions, o, loadBefore);
        }
    }

    private static void run(Demo demo, DemoOptions demoOptions, Options o, String loadBefore) throws Exception {
        Path meshes = demo.simulator().endpointsFile().getParent();
        TwinFailures twin = new TwinFailures(
                meshes,
                demoOptions.seed(),
                demo.simulator().federation().consul().clockSkew(),
                demo.simulator().federation().edges());
        twin.touchFiles();
        Map<String, String> pairByClient = new HashMap<>();
        for (TwinFailures.Pair p : TwinFailures.PAIRS) {
            pairByClient.put(twin.identity(p.client()) + "|" + p.server(), p.key());
            pairByClient.put(p.client() + "|" + p.server(), p.key());
        }
        Set<String> servers =
                TwinFailures.PAIRS.stream().map(TwinFailures.Pair::server).collect(Collectors.toSet());

        long t0 = System.nanoTime();
        awaitFirstFindings(demo, Duration.ofMinutes(4));
        System.out.printf(
                Locale.ROOT, "  the demo's first findings are listed (%.1f s): the pipeline runs%n", since(t0));

        Sightings sightings = new Sightings();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String findingsDoc = demo.elasticsearchUrl() + "/"
                + new IndexNames(QueryApiKeys.ES_INDEX_PREFIX.defaultValue()).findings() + "/_doc/";
        Pattern meshTopics = Pattern.compile(CorrelatorKeys.EVENTS_TOPIC_PATTERN.defaultValue());
        String correlatorGroup =
                CorrelationConfig.defaults(demo.kafkaBootstrap(), meshes).applicationId();
        Map<TopicPartition, Long> startOffsets = PublishedScan.ends(demo.kafkaBootstrap(), meshTopics);
        List<TwinFailures.Written> written = new ArrayList<>();
        double[] load = {Double.MAX_VALUE, 0};
        try (FindingsTail tail = new FindingsTail(
                                demo.kafkaBootstrap(),
                                CorrelatorKeys.FINDINGS_TOPIC.defaultValue(),
                                f -> pairByClient.get(f.clientIdentity() + "|" + f.serverService()),
                                sightings)
                        .start();
                Poller api = new Poller("bench-api", o.poll(), () -> {
                    JsonNode items = JSON.readTree(demo.get("/api/v1/findings?state=open&size=100", Demo.ONCALL_TOKEN))
                            .path("items");
                    long now = System.currentTimeMillis();
                    for (JsonNode f : items) {
                        String pair = pairByClient.get(f.path("client_identity").asText() + "|"
                                + f.path("server_service").asText());
                        if (pair != null) {
                            sightings.count(
                                    Sightings.Stage.LISTED,
                                    pair,
                                    f.path("count").asLong(),
                                    now);
                        }
                    }
                });
                Poller index = new Poller("bench-es", o.poll().dividedBy(2), () -> {
                    for (Map.Entry<String, String> e : tail.ids().entrySet()) {
                        if (!sightings.pending(Sightings.Stage.INDEXED, e.getKey())) {
                            continue;
                        }
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(findingsDoc + e.getValue()))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        long now = System.currentTimeMillis();
                        JsonNode doc = JSON.readTree(r.body());
                        if (doc.path("found").asBoolean()) {
                            sightings.count(
                                    Sightings.Stage.INDEXED,
                                    e.getKey(),
                                    doc.path("_source").path("count").asLong(),
                                    now);
                        }
                    }
                });
                Poller loads = new Poller("bench-load", Duration.ofSeconds(2), () -> {
                    double l = Double.parseDouble(loadAverage().split(" ")[0]);
                    synchronized (load) {
                        load[0] = Math.min(load[0], l);
                        load[1] = Math.max(load[1], l);
                    }
                })) {
            // the demo's start leaves the correlator a backlog (its first minute of traffic): freshness is measured
            // once it has caught up, not while it works through that
            long caughtUp = System.nanoTime();
            awaitCaughtUp(demo.kafkaBootstrap(), correlatorGroup, meshTopics, Duration.ofMinutes(3));
            System.out.printf(
                    Locale.ROOT,
                    "  correlator behind before the first write (waited %.1f s for it to catch up): %s%n",
                    since(caughtUp),
                    CorrelatorLag.describe(demo.kafkaBootstrap(), correlatorGroup, meshTopics));
            System.out.printf(
                    Locale.ROOT, "  writing %d failures over %d pairs ...%n", o.failures(), TwinFailures.PAIRS.size());
            Random gaps = new Random(demoOptions.seed());
            long next = System.nanoTime();
            for (int i = 0; i < o.failures(); i++) {
                next += (long) (-Math.log(1 - gaps.nextDouble()) * o.spacing().toNanos());
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                TwinFailures.Written w = twin.write(i);
                written.add(w);
                sightings.written(new Sightings.Failure(i, w.pair().key(), w.ordinal(), w.writtenAtMs()));
            }
            long deadline = System.nanoTime() + o.settle().toNanos();
            while (sightings.seen(Sightings.Stage.LISTED) < o.failures() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  seen: committed %d, indexed %d, listed %d of %d; API polls %d (%d failed%s), ES polls %d (%d failed)%n",
                    sightings.seen(Sightings.Stage.COMMITTED),
                    sightings.seen(Sightings.Stage.INDEXED),
                    sightings.seen(Sightings.Stage.LISTED),
                    o.failures(),
                    api.runs(),
                    api.errors(),
                    api.errors() > 0 ? ": " + api.lastError() : "",
                    index.runs(),
                    index.errors());
            System.out.printf(
                    Locale.ROOT,
                    "  correlator behind at the end: %s%n",
                    CorrelatorLag.describe(demo.kafkaBootstrap(), correlatorGroup, meshTopics));
            report(sightings, tail.latest());
        }
        int found = PublishedScan.scan(demo.kafkaBootstrap(), startOffsets, written, servers, sightings);
        System.out.printf(
                Locale.ROOT,
                "  bench events found on the mesh topics: %d of %d%n",
                found,
                written.stream().mapToInt(w -> w.lines().size()).sum());
        table(sightings);
        System.out.printf(
                Locale.ROOT,
                "load average: before %s, during %.1f–%.1f, after %s%n",
                loadBefore,
                load[0],
                load[1],
                loadAverage());
    }

    private static void report(Sightings s, Map<String, Finding> latest) {
        System.out.println("  the bench pairs' findings at the end:");
        for (TwinFailures.Pair p : TwinFailures.PAIRS) {
            Finding f = latest.get(p.key());
            int n = s.written(p.key());
            if (f == null) {
                System.out.printf(Locale.ROOT, "    %-20s written %3d, no finding%n", p.key(), n);
                continue;
            }
            System.out.printf(
                    Locale.ROOT,
                    "    %-20s written %3d, finding %s count %d (paired %s), %s, one-sided %s%s%n",
                    p.key(),
                    n,
                    f.category(),
                    f.count(),
                    f.details().getOrDefault("paired_count", "?"),
                    f.state(),
                    f.oneSided(),
                    f.count() == n ? "" : "  <- count differs from failures written");
        }
    }

    private static void table(Sightings s) {
        Predicate<Sightings.Failure> all = f -> true;
        Predicate<Sightings.Failure> first = f -> f.ordinal() == 1;
        Predicate<Sightings.Failure> later = f -> f.ordinal() > 1;
        System.out.println();
        System.out.println("| from → to | n | p50 | p90 | p99 | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        System.out.println(Latency.of(s.latencies(null, Sightings.Stage.PUBLISHED, all))
                .row("line written → both events on Kafka (collectors)"));
        System.out.println(Latency.of(s.latencies(Sightings.Stage.PUBLISHED, Sightings.Stage.COMMITTED, all))
                .row("events on Kafka → finding committed (correlator)"));
        System.out.println(Latency.of(s.latencies(Sightings.Stage.COMMITTED, Sightings.Stage.INDEXED, all))
                .row("finding committed → indexed (findings ingest)"));
        System.out.println(Latency.of(s.latencies(Sightings.Stage.INDEXED, Sightings.Stage.LISTED, all))
                .row("indexed → in the findings list (refresh, page cache, poll)"));
        System.out.println(
                Latency.of(s.latencies(null, Sightings.Stage.COMMITTED, all)).row("line written → finding committed"));
        System.out.println(
                Latency.of(s.latencies(null, Sightings.Stage.INDEXED, all)).row("line written → finding indexed"));
        System.out.println(Latency.of(s.latencies(null, Sightings.Stage.LISTED, all))
                .row("**line written → in the API's findings list**"));
        System.out.println(Latency.of(s.latencies(null, Sightings.Stage.LISTED, first))
                .row("… a new finding (a pair's first failure)"));
        System.out.println(
                Latency.of(s.latencies(null, Sightings.Stage.LISTED, later)).row("… a count moving (later failures)"));
        System.out.println();
    }

    /** Waits until the correlator is less than about a second of the demo's traffic behind (or the timeout). */
    private static void awaitCaughtUp(String bootstrap, String group, Pattern meshTopics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                CorrelatorLag l = CorrelatorLag.measure(bootstrap, group, meshTopics);
                if (l.meshTopics() + l.repartition() <= CAUGHT_UP_RECORDS) {
                    return;
                }
            } catch (Exception e) {
                // the group has committed nothing yet
            }
            Thread.sleep(1000);
        }
    }

    private static void awaitFirstFindings(Demo demo, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!JSON.readTree(demo.get("/api/v1/findings?state=open&size=1", Demo.ONCALL_TOKEN))
                        .path("items")
                        .isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                // the findings index is not there yet
            }
            Thread.sleep(1000);
        }
        throw new IOException("the demo listed no finding within " + timeout.toSeconds() + " s");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double since(long t) {
        return (System.nanoTime() - t) / 1e9;
    }
}
