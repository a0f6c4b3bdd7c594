package dev.meshlens.launcher.bench;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the findings topic from its end as the query API's findings ingest does (read committed: the correlator
 * writes in transactions), and notes when each bench pair's finding reached a count: the moment the correlator's
 * output became readable.
 */
final class FindingsTail implements AutoCloseable {
    private final String bootstrap;
    private final String topic;
    private final Function<Finding, String> pairOf;
    private final Sightings sightings;
    private final Map<String, String> ids = new ConcurrentHashMap<>();
    private final Map<String, Finding> latest = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    /** @param pairOf the bench pair a finding belongs to, or null */
    FindingsTail(String bootstrap, String topic, Function<Finding, String> pairOf, Sightings sightings) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.pairOf = pairOf;
        this.sightings = sightings;
        this.thread = new Thread(this::run, "bench-findings-tail");
        thread.setDaemon(true);
    }

    /** Starts reading and returns once the consumer stands at the topic's end. */
    FindingsTail start() throws InterruptedException {
        thread.start();
        if (!positioned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "the findings consumer did not reach the end of " + topic + " in 60 s", failure);
        }
        if (failure != null) {
            throw new IllegalStateException("the findings consumer failed", failure);
        }
        return this;
    }

    /** The finding id of each bench pair seen so far. */
    Map<String, String> ids() {
        return Map.copyOf(ids);
    }

    /** The newest finding of each bench pair. */
    Map<String, Finding> latest() {
        return Map.copyOf(latest);
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshness-bench-findings");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToEnd(parts);
            parts.forEach(c::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (r.value() == null) {
                        continue;
                    }
                    Finding f;
                    try {
                        f = EventCodec.get().decodeFinding(r.value());
                    } catch (EventDecodeException e) {
                        continue; // not the bench's business: the query API counts it
                    }
                    String pair = pairOf.apply(f);
                    if (pair != null) {
                        ids.put(pair, f.id());
                        latest.put(pair, f);
                        sightings.count(Sightings.Stage.COMMITTED, pair, f.count(), now);
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = e;
            positioned.countDown();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
