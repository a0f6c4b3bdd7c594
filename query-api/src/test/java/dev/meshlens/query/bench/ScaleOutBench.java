package dev.meshlens.query.bench;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.Rollup;
import dev.meshlens.events.SourceKind;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.it.TestEvents;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.testkit.ElasticsearchClients;
import dev.meshlens.testkit.RealServices;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scale-out load: {@code meshes} meshes of {@code services} services each (even meshes Istio, odd ones Consul; each
 * Istio mesh federates with the next Consul mesh), every service calling one service of its own mesh and one of the
 * federated mesh at {@code rps} requests a second per call pair. A fixed share of the cross-mesh pairs is broken (an
 * untrusted root: every handshake fails, seen by both sides as two events); the rest succeed and arrive as the
 * collector publishes them, one roll-up per Envoy, peer and 10 s interval on each side. The same traffic goes through 1
 * and then 2 query-API instances (ingest and correlator inside, one group, one Streams application) with fresh topics
 * of {@code partitions} partitions each time, and the run reports ingest throughput, correlation lag and state-store
 * size per instance. Not a test; run with {@code bench/scaleout.sh}.
 *
 * <p>Both instances run in this one JVM on this one machine, with Kafka and Elasticsearch beside them: the second
 * instance adds tasks and threads, not CPU. The figures say what the product does with more members; what it does with
 * more machines is extrapolated in docs/production.md.
 */
public final class ScaleOutBench {
    static final Duration ROLLUP_INTERVAL = Duration.ofSeconds(10);

    /** @param grace {@code correlation.grace}, or null for the default */
    record Shape(int meshes, int services, int seconds, int rps, double brokenShare, int partitions, String grace) {
        long requests() {
            return (long) meshes * services * 2 * rps * seconds;
        }
    }

    record Result(
            int instances,
            long events,
            double produceSeconds,
            double ingestSeconds,
            double correlateSeconds,
            long peakCorrelationLag,
            long findings,
            Quality quality,
            double bytesPerEvent,
            List<String> perInstance,
            String loadBefore,
            String loadAfter) {}

    public static void main(String[] args) throws Exception {
        Shape shape = new Shape(
                arg(args, 0, 20),
                arg(args, 1, 500),
                arg(args, 2, 60),
                arg(args, 3, 1),
                args.length > 4 ? Double.parseDouble(args[4]) : 0.12,
                arg(args, 5, 6),
                args.length > 7 ? args[7] : null);
        List<Integer> counts = new ArrayList<>();
        for (String s : (args.length > 6 ? args[6] : "1,2").split(",")) {
            counts.add(Integer.parseInt(s.trim()));
        }
        System.out.printf(
                "scale-out bench: %d meshes x %d services, %d s of traffic at %d rps per call pair, %.0f%% of cross-mesh"
                        + " pairs broken, %d partitions, correlation.grace %s; es=%s kafka=%s%n",
                shape.meshes(),
                shape.services(),
                shape.seconds(),
                shape.rps(),
                shape.brokenShare() * 100,
                shape.partitions(),
                shape.grace() == null ? "default" : shape.grace(),
                RealServices.elasticsearch().url(),
                RealServices.kafka().bootstrapServers());
        Instant start = Instant.now().minusSeconds(shape.seconds()).truncatedTo(ChronoUnit.SECONDS);
        Traffic traffic = Traffic.of(shape, start);
        System.out.printf(
                "traffic: %d requests -> %d events (%d failure halves, %d success roll-ups), %.1f%% of requests failed;"
                        + " %d broken pairs (expected findings)%n",
                shape.requests(),
                traffic.events().size(),
                traffic.failureEvents(),
                traffic.events().size() - traffic.failureEvents(),
                100.0 * traffic.failedRequests() / shape.requests(),
                traffic.brokenPairs());
        List<Result> results = new ArrayList<>();
        for (int n : counts) {
            Result r = run(shape, traffic, n);
            System.out.printf("done with %d instance(s): %s%n", n, r);
            results.add(r);
        }
        System.out.println();
        System.out.println(
                "| instances | events | ingest s | ingest events/s | correlation drained s | peak correlation lag |"
                        + " findings paired / one-sided | failures counted / sent | indexed bytes/event |"
                        + " load before → after |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        for (Result r : results) {
            System.out.printf(
                    "| %d | %d | %.1f | %.0f | %.1f | %d | %d / %d | %d / %d | %.0f | %s → %s |%n",
                    r.instances(),
                    r.events(),
                    r.ingestSeconds(),
                    r.events() / r.ingestSeconds(),
                    r.correlateSeconds(),
                    r.peakCorrelationLag(),
                    r.quality().paired(),
                    r.quality().oneSided(),
                    r.quality().counted(),
                    traffic.failedRequests(),
                    r.bytesPerEvent(),
                    r.loadBefore(),
                    r.loadAfter());
        }
        for (Result r : results) {
            System.out.printf("per instance with %d: %s%n", r.instances(), String.join("; ", r.perInstance()));
        }
        System.exit(0);
    }

    static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    static Result run(Shape shape, Traffic traffic, int instances) throws Exception {
        String prefix = "sb" + UUID.randomUUID().toString().substring(0, 6);
        String bootstrap = RealServices.kafka().bootstrapServers();
        String app = prefix + "-correlator";
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(ap)) {
            List<NewTopic> topics = new ArrayList<>();
            for (int m = 0; m < shape.meshes(); m++) {
                topics.add(new NewTopic(topic(prefix, mesh(m)), shape.partitions(), (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);

            List<QueryApiCommand.Running> running = new ArrayList<>();
            List<Path> stateDirs = new ArrayList<>();
            try {
                for (int i = 0; i < instances; i++) {
                    Path dir = Files.createTempDirectory("scaleout-bench");
                    stateDirs.add(dir);
                    running.add(QueryApiCommand.start(
                            QueryApiConfig.parse(yaml(prefix, app, "pod-" + i, dir, shape.partitions(), shape.grace())),
                            MeshlensMetrics.inMemory(),
                            OpenTelemetry.noop(),
                            Clock.systemUTC()));
                }
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!running.stream()
                                .allMatch(r -> r.correlation().isRunning()
                                        && "UP".equals(r.ingest().state()))
                        || members(admin, prefix + "-group") != instances
                        || members(admin, app) != instances) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("instances did not join within 3 minutes");
                    }
                    Thread.sleep(200);
                }
                String loadBefore = loadAverage();
                long t0 = System.nanoTime();
                produce(bootstrap, prefix, traffic.events());
                double produced = (System.nanoTime() - t0) / 1e9;
                long peakLag = 0;
                double ingestDone = -1;
                double correlateDone = -1;
                deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
                long stableSince = -1;
                long lastFindingOps = -1;
                while (System.nanoTime() < deadline && (ingestDone < 0 || correlateDone < 0)) {
                    Thread.sleep(500);
                    double now = (System.nanoTime() - t0) / 1e9;
                    long indexed = running.stream()
                            .mapToLong(r -> r.ingest().eventsLoop().indexedOperations())
                            .sum();
                    if (ingestDone < 0 && indexed >= traffic.events().size()) {
                        ingestDone = now;
                    }
                    long lag = lag(admin, app, prefix);
                    peakLag = Math.max(peakLag, lag);
                    long findingOps = running.stream()
                            .mapToLong(r -> r.ingest().findingsLoop().indexedOperations())
                            .sum();
                    // drained: the correlator's input read to its end (a transaction marker may remain per partition)
                    // and no finding update for 2 s
                    if (correlateDone < 0 && lag <= 2L * shape.partitions() && now > produced) {
                        if (findingOps != lastFindingOps) {
                            stableSince = System.nanoTime();
                        } else if (System.nanoTime() - stableSince > 2_000_000_000L) {
                            correlateDone = (stableSince - t0) / 1e9;
                        }
                    } else {
                        stableSince = System.nanoTime();
                    }
                    lastFindingOps = findingOps;
                }
                String loadAfter = loadAverage();
                List<String> per = new ArrayList<>();
                long findings = 0;
                for (int i = 0; i < running.size(); i++) {
                    QueryApiCommand.Running r = running.get(i);
                    Map<String, Long> stores = r.correlation().stateStoreCounts();
                    per.add("pod-%d: indexed %d events, %d finding updates, state stores %s, %.1f MB on disk"
                            .formatted(
                                    i,
                                    r.ingest().eventsLoop().indexedOperations(),
                                    r.ingest().findingsLoop().indexedOperations(),
                                    stores,
                                    bytes(stateDirs.get(i)) / 1e6));
                    findings += stores.getOrDefault("meshlens-correlation-findings", 0L);
                }
                double perEvent = bytesPerEvent(prefix);
                Quality quality = Quality.of(prefix);
                return new Result(
                        instances,
                        traffic.events().size(),
                        produced,
                        ingestDone,
                        correlateDone,
                        peakLag,
                        findings,
                        quality,
                        perEvent,
                        per,
                        loadBefore,
                        loadAfter);
            } finally {
                for (QueryApiCommand.Running r : running) {
                    r.close();
                }
            }
        }
    }

    /** Findings in Elasticsearch: paired, one-sided, and the failures they count together. */
    record Quality(long paired, long oneSided, long counted) {
        static Quality of(String prefix) {
            var es = ElasticsearchClients.create(RealServices.elasticsearch().url());
            try {
                es.indices().refresh(r -> r.index(prefix + "-findings"));
                long paired = 0;
                long oneSided = 0;
                long counted = 0;
                @SuppressWarnings("rawtypes")
                var hits = es.search(s -> s.index(prefix + "-findings").size(10_000), Map.class)
                        .hits()
                        .hits();
                for (var h : hits) {
                    if (Boolean.TRUE.equals(h.source().get("one_sided"))) {
                        oneSided++;
                    } else {
                        paired++;
                    }
                    counted += ((Number) h.source().get("count")).longValue();
                }
                return new Quality(paired, oneSided, counted);
            } catch (Exception e) {
                return new Quality(-1, -1, -1);
            } finally {
                try {
                    es._transport().close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }
    }

    /** Primary store size of the run's events indices per document (after a flush), for disk sizing. */
    static double bytesPerEvent(String prefix) {
        var es = ElasticsearchClients.create(RealServices.elasticsearch().url());
        try {
            es.indices().flush(f -> f.index(prefix + "-events-*"));
            es.indices().forcemerge(f -> f.index(prefix + "-events-*").maxNumSegments(1L));
            var all =
                    es.indices().stats(s -> s.index(prefix + "-events-*")).all().primaries();
            return (double) all.store().sizeInBytes() / Math.max(1, all.docs().count());
        } catch (Exception e) {
            return -1;
        } finally {
            try {
                es._transport().close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    static String yaml(String prefix, String app, String instance, Path stateDir, int partitions, String grace) {
        String yaml = """
        kafka:
          bootstrap_servers: %s
          group_id: %s-group
          events_topic_pattern: 'meshlens\\.events\\.%s-.*'
          findings_topic: %s.findings
          dead_letter_topic: %s.deadletter
          metadata_max_age: 2s
          static_membership: true
          instance_id: %s
        elasticsearch:
          urls: [%s]
          index_prefix: %s
          replicas: 0
        ingest:
          retention_days: 0
        http:
          enabled: false
        correlation:
          enabled: true
          application_id: %s
          state_dir: %s
          stats_interval: 1s
          partitions: %d
        """.formatted(
                        RealServices.kafka().bootstrapServers(),
                        prefix,
                        prefix,
                        prefix,
                        prefix,
                        instance,
                        RealServices.elasticsearch().url(),
                        prefix,
                        app,
                        stateDir.toString(),
                        partitions);
        return grace == null ? yaml : yaml + "  grace: " + grace + "\n";
    }

    static void produce(String bootstrap, String prefix, List<MeshEvent> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        EventCodec codec = EventCodec.get();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (MeshEvent e : events) {
                producer.send(new ProducerRecord<>(topic(prefix, e.meshId()), e.eventId(), codec.encodeBytes(e)));
            }
            producer.flush();
        }
    }

    /** Records of the mesh and repartition topics the Streams application has not committed yet. */
    static long lag(Admin admin, String app, String prefix) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(app)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (String t : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (t.startsWith("meshlens.events." + prefix + "-") || t.equals(app + "-by-destination-repartition")) {
                    var d = admin.describeTopics(List.of(t))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get(t);
                    d.partitions().forEach(pi -> q.put(new TopicPartition(t, pi.partition()), OffsetSpec.latest()));
                }
            }
            var ends = admin.listOffsets(q).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
            }
            return lag;
        } catch (Exception e) {
            return Long.MAX_VALUE / 4;
        }
    }

    static int members(Admin admin, String group) {
        try {
            var d = admin.describeConsumerGroups(List.of(group))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .get(group);
            return d.groupState().toString().equalsIgnoreCase("stable")
                    ? d.members().size()
                    : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static long bytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }

    static String topic(String prefix, String mesh) {
        return "meshlens.events." + prefix + "-" + mesh;
    }

    static String mesh(int m) {
        return (m % 2 == 0 ? "istio-" : "consul-") + m;
    }

    static String service(int m, int s) {
        return "m" + m + "-svc-" + s;
    }

    static String spiffe(int m, int s) {
        return m % 2 == 0
                ? "spiffe://td" + m + ".local/ns/default/sa/" + service(m, s)
                : "spiffe://" + m + "abc.consul/ns/default/dc/dc1/svc/" + service(m, s);
    }

    /** How the Envoys of mesh {@code m} name the cluster of service {@code s} of mesh {@code target}. */
    static String cluster(int m, int target, int s) {
        return m % 2 == 0
                ? "outbound|8443||" + service(target, s) + ".default.svc.cluster.local"
                : service(target, s) + ".default.dc1.internal." + target + "abc.consul";
    }

    /** The SNI the server of service {@code s} of mesh {@code m} sees. */
    static String sni(int m, int s) {
        return m % 2 == 0
                ? "outbound_.8443_._." + service(m, s) + ".default.svc.cluster.local"
                : service(m, s) + ".default.dc1.internal." + m + "abc.consul";
    }

    /** The events the collectors publish for the shape, in time order. */
    record Traffic(List<MeshEvent> events, long failureEvents, long failedRequests, long brokenPairs) {
        static Traffic of(Shape shape, Instant start) {
            List<MeshEvent> out = new ArrayList<>();
            long failures = 0;
            long failed = 0;
            long broken = 0;
            long seq = 0;
            int intervals = Math.max(1, shape.seconds() / (int) ROLLUP_INTERVAL.toSeconds());
            long perInterval = (long) shape.rps() * ROLLUP_INTERVAL.toSeconds();
            int brokenEvery = Math.max(1, (int) Math.round(1 / shape.brokenShare()));
            for (int i = 0; i < intervals; i++) {
                Instant from = start.plus(ROLLUP_INTERVAL.multipliedBy(i));
                Instant to = from.plus(ROLLUP_INTERVAL).minusMillis(1);
                List<MeshEvent> interval = new ArrayList<>();
                for (int m = 0; m < shape.meshes(); m++) {
                    int peer = m % 2 == 0 ? Math.min(m + 1, shape.meshes() - 1) : m - 1;
                    for (int s = 0; s < shape.services(); s++) {
                        // one call inside the mesh, one across (the federated mesh's service of the same index)
                        int local = (s + 1) % shape.services();
                        seq = rollups(interval, m, s, m, local, perInterval, from, to, seq);
                        if (m % 2 == 0 && peer != m) {
                            boolean isBroken = (s + m) % brokenEvery == 0;
                            if (isBroken) {
                                if (i == 0) {
                                    broken++;
                                }
                                for (long k = 0; k < perInterval; k++) {
                                    Instant t = from.plusMillis(k * ROLLUP_INTERVAL.toMillis() / perInterval);
                                    interval.add(failedClient(m, s, peer, seq++, t));
                                    interval.add(failedServer(peer, s, m, seq++, t.plusMillis(1)));
                                    failures += 2;
                                    failed++;
                                }
                            } else {
                                seq = rollups(interval, m, s, peer, s, perInterval, from, to, seq);
                            }
                        } else if (peer != m) {
                            seq = rollups(interval, m, s, peer, s, perInterval, from, to, seq);
                        }
                    }
                }
                interval.sort(Comparator.comparing(MeshEvent::observedTime));
                out.addAll(interval);
            }
            return new Traffic(List.copyOf(out), failures, failed, broken);
        }

        /** The client's and the server's roll-up of {@code n} successful requests from (cm, cs) to (sm, ss). */
        static long rollups(
                List<MeshEvent> out, int cm, int cs, int sm, int ss, long n, Instant from, Instant to, long seq) {
            Rollup r = new Rollup(n, from, to);
            out.add(MeshEvent.builder()
                    .eventId(EventIds.of(mesh(cm), "/var/log/" + service(cm, cs) + ".log", seq))
                    .observedTime(to)
                    .meshId(mesh(cm))
                    .meshKind(cm % 2 == 0 ? MeshKind.ISTIO : MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.CLIENT)
                    .upstreamCluster(cluster(cm, sm, ss))
                    .localUriSan(spiffe(cm, cs))
                    .peerUriSan(spiffe(sm, ss))
                    .responseCode(200)
                    .responseFlags("-")
                    .tlsVersion("TLSv1.3")
                    .rollup(r)
                    .build());
            out.add(MeshEvent.builder()
                    .eventId(EventIds.of(mesh(sm), "/var/log/" + service(sm, ss) + ".log", seq + 1))
                    .observedTime(to)
                    .meshId(mesh(sm))
                    .meshKind(sm % 2 == 0 ? MeshKind.ISTIO : MeshKind.CONSUL)
                    .sourceKind(SourceKind.ACCESS_LOG)
                    .observerRole(ObserverRole.SERVER)
                    .requestedServerName(sni(sm, ss))
                    .localUriSan(spiffe(sm, ss))
                    .peerUriSan(spiffe(cm, cs))
                    .responseCode(200)
                    .responseFlags("-")
                    .tlsVersion("TLSv1.3")
                    .rollup(r)
                    .build());
            return seq + 2;
        }

        static MeshEvent failedClient(int m, int s, int peer, long seq, Instant t) {
            return TestEvents.untrustedRootClientHalf()
                    .eventId(EventIds.of(mesh(m), "/var/log/" + service(m, s) + ".log", seq))
                    .observedTime(t)
                    .meshId(mesh(m))
                    .meshKind(MeshKind.ISTIO)
                    .upstreamCluster(cluster(m, peer, s))
                    .localUriSan(spiffe(m, s))
                    .build();
        }

        static MeshEvent failedServer(int m, int s, int clientMesh, long seq, Instant t) {
            return TestEvents.untrustedRootServerHalf()
                    .eventId(EventIds.of(mesh(m), "/var/log/" + service(m, s) + ".log", seq))
                    .observedTime(t)
                    .meshId(mesh(m))
                    .meshKind(MeshKind.CONSUL)
                    .requestedServerName(sni(m, s))
                    .localUriSan(spiffe(m, s))
                    .peerUriSan(spiffe(clientMesh, s))
                    .build();
        }
    }
}
