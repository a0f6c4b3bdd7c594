package dev.meshlens.query.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out, against the real broker and Elasticsearch node: two query APIs (ingest and correlator inside, one
 * consumer group and one Streams application id, static members with distinct instance ids) share six-partition mesh
 * topics and a six-partition correlation. Mid-stream one instance is closed, a third instance (a child JVM) joins and
 * is then killed without a close (SIGKILL: no commit, an open transaction, a member that never leaves), and the input
 * keeps coming throughout. The findings in Elasticsearch (ids, categories, states, one-sidedness, counts of failures)
 * must equal those of a single instance over the same input, and every event must be indexed exactly once.
 */
class ScaleOutIT {
    static final String ISTIO = "istio-east";
    static final String CONSUL = "consul-dc1";
    static final int PARTITIONS = 6;
    static final int SERVICES = 30;
    static final int CLIENTS = 4;
    /**
     * Long against a failover, so that no half expires unpaired while its partner waits behind the killed member: the
     * session timeout (6 s here), then the broker's abort of the dead member's open transaction (Streams' 10 s
     * transaction timeout, checked every 10 s), then a rebalance and a restore, on a busy 2-core machine. With a 20 s
     * window (a 31 s horizon) a run on a machine at load average 29 counted one failure twice (a half expired one-sided
     * while its partner was blocked); docs/production.md, "Scaling out", says what that means for a deployment.
     */
    static final String WINDOW = "60s";

    static ElasticsearchClient es;
    static Admin admin;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void clients() {
        RealServices.kafka();
        es = ElasticsearchClients.create(RealServices.elasticsearch().url());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.kafka().bootstrapServers());
        admin = Admin.create(ap);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServices.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    @Test
    void twoInstancesWithOneClosedAndOneKilledMidStreamFindWhatOneInstanceFinds() throws Exception {
        Input input = Input.of(Instant.now().truncatedTo(ChronoUnit.SECONDS));

        // the reference: one instance over the whole input
        Run single = Run.create();
        Map<String, Outcome> expected;
        try (QueryApiCommand.Running only = single.startInProcess("pod0")) {
            awaitRunning(only);
            for (List<MeshEvent> batch : input.batches()) {
                single.send(batch);
            }
            expected = single.converge(input);
        }
        assertEquals("", diff(input.expected(), expected), "the single instance's findings vs those the input implies");

        // the same input through two instances, one closed and one killed mid-stream
        Run scaled = Run.create();
        List<List<MeshEvent>> batches = input.batches();
        QueryApiCommand.Running a = scaled.startInProcess("pod0");
        try {
            QueryApiCommand.Running b = scaled.startInProcess("pod1");
            try {
                awaitRunning(a);
                awaitRunning(b);
                scaled.awaitMembers("pod0", "pod1");
                scaled.send(batches.get(0));
                await(Duration.ofSeconds(60), () -> indexedBy(b) > 0, () -> "instance b indexed nothing");
            } finally {
                b.close(); // graceful: commits what it acknowledged, leaves nothing open
            }
            scaled.send(batches.get(1));
            // a new pod name: the closed static member pod1 keeps its partitions until its session times out
            Child c = scaled.startChild("pod2");
            try {
                scaled.awaitMembers("pod0", "pod2");
                scaled.send(batches.get(2));
                Thread.sleep(3_000); // let it take records, some of them not committed yet
                assertTrue(c.started(), "the child query API did not start: " + c.log());
            } finally {
                c.kill();
            }
            scaled.send(batches.get(3));
            Map<String, Outcome> actual = scaled.converge(input);
            assertEquals(expected.size(), actual.size(), "findings of two instances (one closed, one killed) vs one");
            assertEquals("", diff(expected, actual), "findings of two instances (one closed, one killed) vs one");
            scaled.assertEveryCorrelationPartitionCarriedHalves();
        } finally {
            a.close();
        }
    }

    /** The findings that differ, one line each ("" when none): the maps are too long to print whole. */
    static String diff(Map<String, Outcome> expected, Map<String, Outcome> actual) {
        StringBuilder out = new StringBuilder();
        Set<String> ids = new TreeSet<>(expected.keySet());
        ids.addAll(actual.keySet());
        for (String id : ids) {
            Outcome e = expected.get(id);
            Outcome a = actual.get(id);
            if (e == null || !e.equals(a)) {
                out.append('\n')
                        .append(id)
                        .append(": expected ")
                        .append(e)
                        .append(", was ")
                        .append(a);
            }
        }
        return out.toString();
    }

    static long indexedBy(QueryApiCommand.Running r) {
        return r.ingest().eventsLoop() == null ? 0 : r.ingest().eventsLoop().indexedOperations();
    }

    static void awaitRunning(QueryApiCommand.Running r) throws InterruptedException {
        await(
                Duration.ofSeconds(90),
                () -> "UP".equals(r.ingest().state()) && r.correlation().isRunning(),
                () -> "ingest " + r.ingest().state() + ", correlation "
                        + r.correlation().state());
    }

    /** Failure or finding as compared: everything that must not depend on how many instances did the work. */
    record Outcome(String category, String state, boolean oneSided, long count) {}

    /**
     * The input: {@link #CLIENTS} clients in istio-east call each of {@link #SERVICES} services in consul-dc1, whose
     * trust bundle lacks istio-east's root; each failed handshake is seen by both sides (the client receives an
     * unknown-CA alert, the server fails to verify), 1 to 3 times per pair, a few milliseconds apart.
     */
    record Input(List<MeshEvent[]> handshakes, Map<String, Outcome> expected) {
        static Input of(Instant base) {
            List<MeshEvent[]> hs = new ArrayList<>();
            Map<String, Outcome> expected = new TreeMap<>();
            long seq = 0;
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < SERVICES; s++) {
                    for (int c = 0; c < CLIENTS; c++) {
                        int times = 1 + (s + c) % 3;
                        if (round >= times) {
                            continue;
                        }
                        Instant t = base.plusMillis(seq * 5);
                        seq++;
                        hs.add(new MeshEvent[] {client(c, s, seq, t), server(c, s, seq, t.plusMillis(2))});
                        // the correlator's spelling of the finding key (CorrelationProcessor)
                        String id = Finding.idFor(
                                ISTIO + "|" + clientId(c), CONSUL + "|" + service(s), FailureCategory.UNTRUSTED_ROOT);
                        expected.put(id, new Outcome("UNTRUSTED_ROOT", "open", false, times));
                    }
                }
            }
            return new Input(List.copyOf(hs), Map.copyOf(expected));
        }

        /** Four batches of handshakes in order; each side's event goes to its own mesh's topic. */
        List<List<MeshEvent>> batches() {
            List<List<MeshEvent>> out = new ArrayList<>();
            int per = (handshakes.size() + 3) / 4;
            for (int i = 0; i < handshakes.size(); i += per) {
                List<MeshEvent> b = new ArrayList<>();
                for (MeshEvent[] h : handshakes.subList(i, Math.min(handshakes.size(), i + per))) {
                    b.add(h[0]);
                    b.add(h[1]);
                }
                out.add(b);
            }
            return out;
        }

        int events() {
            return handshakes.size() * 2;
        }

        long failures() {
            return handshakes.size();
        }
    }

    static String clientId(int c) {
        return "spiffe://cluster.local/ns/web/sa/client-" + c;
    }

    static String service(int s) {
        return "svc-" + s;
    }

    static MeshEvent client(int c, int s, long seq, Instant t) {
        return TestEvents.untrustedRootClientHalf()
                .eventId(EventIds.of(ISTIO, "/var/log/client-" + c + ".log", seq))
                .observedTime(t)
                .meshId(ISTIO)
                .meshKind(MeshKind.ISTIO)
                .upstreamCluster("outbound|8443||" + service(s) + ".default.svc.cluster.local")
                .localUriSan(clientId(c))
                .build();
    }

    static MeshEvent server(int c, int s, long seq, Instant t) {
        return TestEvents.untrustedRootServerHalf()
                .eventId(EventIds.of(CONSUL, "/var/log/" + service(s) + ".log", seq))
                .observedTime(t)
                .meshId(CONSUL)
                .meshKind(MeshKind.CONSUL)
                .requestedServerName(service(s) + ".default.dc1.internal.1111-2222.consul")
                .localUriSan("spiffe://1111-2222.consul/ns/default/dc/dc1/svc/" + service(s))
                .peerUriSan(clientId(c))
                .build();
    }

    /** One run's topics, group, application id and index prefix (its own, so runs never see each other's data). */
    record Run(String prefix) {
        static Run create() throws Exception {
            Run r = new Run("so" + UUID.randomUUID().toString().substring(0, 6));
            // six correlation tasks: correlation.partitions below
            admin.createTopics(List.of(
                            new NewTopic(r.topic(ISTIO), PARTITIONS, (short) 1),
                            new NewTopic(r.topic(CONSUL), PARTITIONS, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            return r;
        }

        String topic(String mesh) {
            return "meshlens.events." + prefix + "-" + mesh;
        }

        String applicationId() {
            return prefix + "-correlator";
        }

        String repartitionTopic() {
            return applicationId() + "-by-destination-repartition";
        }

        String yaml(String instanceId, Path stateDir) {
            return """
            kafka:
              bootstrap_servers: %s
              group_id: %s-group
              events_topic_pattern: 'meshlens\\.events\\.%s-.*'
              findings_topic: %s.findings
              dead_letter_topic: %s.deadletter
              metadata_max_age: 1s
              static_membership: true
              instance_id: %s
              properties:
                session.timeout.ms: '6000'
                heartbeat.interval.ms: '1000'
            elasticsearch:
              urls: [%s]
              index_prefix: %s
              replicas: 0
            ingest:
              poll_timeout: 100ms
              retention_days: 0
              gauge_refresh_interval: 5s
              lag_interval: 1s
            http:
              enabled: false
            correlation:
              enabled: true
              application_id: %s
              state_dir: %s
              window: %s
              grace: 10s
              stats_interval: 1s
              partitions: %d
            """.formatted(
                            RealServices.kafka().bootstrapServers(),
                            prefix,
                            prefix,
                            prefix,
                            prefix,
                            instanceId,
                            RealServices.elasticsearch().url(),
                            prefix,
                            applicationId(),
                            stateDir.toString().replace("\\", "/"),
                            WINDOW,
                            PARTITIONS);
        }

        QueryApiCommand.Running startInProcess(String instanceId) throws Exception {
            QueryApiConfig c = QueryApiConfig.parse(yaml(instanceId, Files.createTempDirectory("scaleout-state")));
            return QueryApiCommand.start(c, MeshlensMetrics.inMemory(), OpenTelemetry.noop(), Clock.systemUTC());
        }

        /** A query API in a JVM of its own, so that it can be killed without a close. */
        Child startChild(String instanceId) throws Exception {
            Path dir = Files.createTempDirectory("scaleout-child");
            Path config = dir.resolve("query-api.yaml");
            Files.writeString(config, yaml(instanceId, dir.resolve("state")));
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return new Child(
                    new ProcessBuilder(
                                    java,
                                    "-Xmx512m",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    Child.class.getName(),
                                    "--config",
                                    config.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("child.log").toFile())
                            .start(),
                    dir.resolve("child.log"));
        }

        void send(List<MeshEvent> events) throws Exception {
            List<Future<?>> sent = new ArrayList<>();
            for (MeshEvent e : events) {
                sent.add(producer.send(new ProducerRecord<>(
                        topic(e.meshId()), e.eventId(), EventCodec.get().encode(e))));
            }
            for (var f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        /**
         * Waits until both groups (ingest's events loop and the Streams application) are stable with exactly the
         * static members of these instances, each assigned partitions.
         */
        void awaitMembers(String... instances) throws InterruptedException {
            List<String> want = List.of(instances);
            await(
                    Duration.ofSeconds(90),
                    () -> want.equals(members(prefix + "-group")) && want.equals(members(applicationId())),
                    () -> "members: ingest " + members(prefix + "-group") + ", correlator " + members(applicationId())
                            + ", want " + want);
        }

        /** The instances (instance id before its "-loop" suffix) with partitions in a stable group, sorted. */
        List<String> members(String group) {
            try {
                var d = admin.describeConsumerGroups(List.of(group))
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .get(group);
                if (!d.groupState().toString().equalsIgnoreCase("stable")) {
                    return List.of();
                }
                return d.members().stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty())
                        .map(m -> m.groupInstanceId().orElse("?").replaceFirst("-.*", ""))
                        .sorted()
                        .toList();
            } catch (Exception e) {
                return List.of();
            }
        }

        /**
         * Waits until every event is indexed and the findings' failure counts add up to the failures sent, then
         * a little longer (a duplicate would show as a count past the total), and returns the findings.
         */
        Map<String, Outcome> converge(Input input) throws Exception {
            await(
                    Duration.ofSeconds(120),
                    () -> events() == input.events() && total(findings()) >= input.failures(),
                    () -> "events " + events() + "/" + input.events() + ", failures counted " + total(findings()) + "/"
                            + input.failures());
            Thread.sleep(3_000);
            assertEquals(input.events(), events(), "every event indexed once");
            return findings();
        }

        long events() {
            try {
                es.indices().refresh(r -> r.index(prefix + "-events-*").allowNoIndices(true));
                return es.count(c -> c.index(prefix + "-events-*")
                                .allowNoIndices(true)
                                .ignoreUnavailable(true))
                        .count();
            } catch (Exception e) {
                return -1;
            }
        }

        @SuppressWarnings("rawtypes")
        Map<String, Outcome> findings() {
            try {
                es.indices().refresh(r -> r.index(prefix + "-findings").allowNoIndices(true));
                var hits = es.search(
                                s -> s.index(prefix + "-findings")
                                        .ignoreUnavailable(true)
                                        .allowNoIndices(true)
                                        .size(1000),
                                Map.class)
                        .hits()
                        .hits();
                Map<String, Outcome> out = new TreeMap<>();
                for (var h : hits) {
                    Map doc = h.source();
                    out.put(
                            h.id(),
                            new Outcome(
                                    String.valueOf(doc.get("category")),
                                    String.valueOf(doc.get("state")),
                                    Boolean.TRUE.equals(doc.get("one_sided")),
                                    ((Number) doc.get("count")).longValue()));
                }
                return out;
            } catch (Exception e) {
                return Map.of();
            }
        }

        static long total(Map<String, Outcome> findings) {
            return findings.values().stream().mapToLong(Outcome::count).sum();
        }

        /** The input spread over every correlation task, so the failover moved tasks that held halves. */
        void assertEveryCorrelationPartitionCarriedHalves() throws Exception {
            Map<TopicPartition, OffsetSpec> q = new TreeMap<>((x, y) -> Integer.compare(x.partition(), y.partition()));
            for (int p = 0; p < PARTITIONS; p++) {
                q.put(new TopicPartition(repartitionTopic(), p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(q).all().get(30, TimeUnit.SECONDS);
            Set<Integer> empty = new TreeSet<>();
            ends.forEach((tp, o) -> {
                if (o.offset() == 0) {
                    empty.add(tp.partition());
                }
            });
            assertTrue(empty.isEmpty(), "correlation partitions that received nothing: " + empty);
        }
    }

    /** A query API in a child JVM, as its command runs it, until killed. */
    record Child(Process process, Path logFile) {
        public static void main(String[] args) {
            System.exit(QueryApiCommand.run(args));
        }

        boolean started() {
            return log().contains("query-api: HTTP on port");
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return e.toString();
            }
        }

        /** SIGKILL: no close, no commit; its open transaction stays open until the broker times it out. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static void await(Duration d, BooleanSupplier cond, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + d + ": " + what.get());
    }
}
