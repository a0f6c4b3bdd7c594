package dev.meshlens.query.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.ingest.IngestLoop;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.testkit.RealServices;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees during faults, against the real broker and Elasticsearch node: a query API (with its
 * in-process correlator) started before any mesh topic exists stops quickly on a stop request, and mesh topics
 * created later are ingested and correlated without a streams thread failing on an assignment error; the lag
 * gauge counts records the group has not committed even while no member owns the partitions.
 */
class FaultsIT {
    /** Well inside the Kubernetes grace period (30 s); the query API used to need ~31 s. */
    static final Duration STOP_BOUND = Duration.ofSeconds(10);

    static QueryApiConfig config(String prefix, Path stateDir) {
        return QueryApiConfig.parse("""
        kafka:
          bootstrap-servers: %s
          group-id: %s-group
          events-topic-pattern: 'meshlens\\.events\\.%s-.*'
          findings-topic: %s.findings
          dead-letter-topic: %s.deadletter
          metadata-max-age: 1s
          static_membership: true
          instance_id: %s-pod-0
        elasticsearch:
          urls: [%s]
          index-prefix: %s
          replicas: 0
        ingest:
          poll-timeout: 100ms
          retention-days: 0
          gauge-refresh-interval: 1s
          lag_interval: 500ms
        http:
          enabled: false
        correlation:
          enabled: true
          settings:
            application-id: %s-correlator
            state-dir: %s
            window: 1s
            grace: 1s
            stats-interval: 1s
        """.formatted(
                        RealServices.kafka().bootstrapServers(),
                        prefix,
                        prefix,
                        prefix,
                        prefix,
                        prefix,
                        RealServices.elasticsearch().url(),
                        prefix,
                        prefix,
                        stateDir.toString().replace("\\", "/")));
    }

    static String prefix() {
        return "fa" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void stopsWithinTheBoundWhenNoMeshTopicExists() throws Exception {
        String prefix = prefix();
        QueryApiCommand.Running app = QueryApiCommand.start(
                config(prefix, Files.createTempDirectory("faults")),
                MeshlensMetrics.inMemory(),
                OpenTelemetry.noop(),
                Clock.systemUTC());
        try {
            await(
                    Duration.ofSeconds(60),
                    () -> app.ingest().eventsLoop() != null
                            && app.ingest().eventsLoop().state() == IngestLoop.State.RUNNING,
                    () -> "ingest: " + app.ingest().state());
            // let the correlator's threads get into their (empty) assignment, where a stop used to hang
            Thread.sleep(5_000);
        } finally {
            long t0 = System.nanoTime();
            app.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(STOP_BOUND) < 0, "the query API took " + took + " to stop, bound " + STOP_BOUND);
        }
    }

    @Test
    void meshTopicsCreatedLaterAreIngestedAndCorrelatedWithoutRepartitionErrorAndTheLagCountsUnownedPartitions()
            throws Exception {
        String prefix = prefix();
        String bootstrap = RealServices.kafka().bootstrapServers();
        QueryApiConfig config = config(prefix, Files.createTempDirectory("faults"));
        MeshlensMetrics metrics = MeshlensMetrics.inMemory();
        QueryApiCommand.Running app = QueryApiCommand.start(config, metrics, OpenTelemetry.noop(), Clock.systemUTC());
        String topic = "meshlens.events." + prefix + "-istio-east";
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
                Admin admin = Admin.create(ap)) {
            await(
                    Duration.ofSeconds(60),
                    () -> app.correlation().state() == KafkaStreams.State.RUNNING,
                    () -> "correlator: " + app.correlation().state());
            Thread.sleep(2_000);
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            for (int i = 0; i < 4; i++) {
                MeshEvent e = TestEvents.clientFailure("/var/log/frontend.log", i + 1, now.minusSeconds(10 - i));
                producer.send(new ProducerRecord<>(
                                topic, e.eventId(), EventCodec.get().encode(e)))
                        .get(30, TimeUnit.SECONDS);
            }
            await(
                    Duration.ofSeconds(60),
                    () -> metrics.assignedPartitions() == 2,
                    () -> "assigned partitions " + metrics.assignedPartitions());
            await(
                    Duration.ofSeconds(60),
                    () -> app.ingest().eventsLoop().indexedOperations() >= 4,
                    () -> "indexed " + app.ingest().eventsLoop().indexedOperations());
            await(
                    Duration.ofSeconds(60),
                    () -> app.correlation().stats().halvesStored() > 0,
                    () -> "the correlator stored no half; state "
                            + app.correlation().state());
            await(Duration.ofSeconds(30), () -> metrics.ingestLag() == 0, () -> "lag " + metrics.ingestLag());
            // Before the repartition topic had a fixed size, every rebalance after the first mesh topic failed with
            // "Existing internal topic ...-by-destination-repartition has invalid partitions" and nothing was
            // correlated; before the loop topic fed the correlation step, the first mesh topic killed a stream thread
            // ("Topic ... is unknown to the topology", correlator FirstMeshTopicIT). No thread dies now.
            assertEquals(List.of(), app.correlation().threadFailureMessages(), "stream threads that died");
            assertEquals(KafkaStreams.State.RUNNING, app.correlation().state());
            // static members: a restart under the same instance id takes the partitions back without a rebalance
            var members = admin.describeConsumerGroups(List.of(prefix + "-group"))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(prefix + "-group")
                    .members();
            assertEquals(
                    List.of(Optional.of(prefix + "-pod-0-events")),
                    members.stream().map(m -> m.groupInstanceId()).toList());

            // nobody owns the partitions now (the instance is stopped): the lag still counts what arrives
            app.close();
            LagProbe probe = new LagProbe(metrics);
            for (int i = 0; i < 3; i++) {
                MeshEvent e = TestEvents.clientFailure("/var/log/frontend.log", 100 + i, now);
                producer.send(new ProducerRecord<>(
                                topic, e.eventId(), EventCodec.get().encode(e)))
                        .get(30, TimeUnit.SECONDS);
            }
            assertEquals(3, probe.measure(bootstrap, prefix + "-group", "meshlens\\.events\\." + prefix + "-.*"));
        } finally {
            app.close();
        }
    }

    /** Measures the lag once, the way the running query API does, with no member in the group. */
    record LagProbe(MeshlensMetrics metrics) {
        long measure(String bootstrap, String group, String pattern) throws Exception {
            Properties ap = new Properties();
            ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            var monitor = new dev.meshlens.query.ingest.LagMonitor(
                    Admin.create(ap), group, Pattern.compile(pattern), metrics);
            try {
                var m = monitor.measure();
                assertNotNull(m);
                assertEquals(2, m.partitions());
                return m.lag();
            } finally {
                monitor.close();
            }
        }
    }

    static void await(Duration d, BooleanSupplier cond, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + d + ": " + what.get());
    }
}
