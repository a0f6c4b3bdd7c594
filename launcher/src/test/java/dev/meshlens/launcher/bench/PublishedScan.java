package dev.meshlens.launcher.bench;

import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.EventDecodeException;
import dev.meshlens.events.MeshEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When the collectors published each bench failure: after the run, the mesh topics are read from where they stood
 * before the first write, and each bench line's event is found by its mesh, its time (to the millisecond, as Envoy
 * wrote it) and a TLS failure towards a bench service. A record's timestamp is its producer's send time (the collector
 * sets none of its own), so the later of a failure's two events is when both halves had left their meshes.
 */
final class PublishedScan {
    private PublishedScan() {}

    /** Where the partitions of every topic matching {@code meshTopics} end now: the scan starts there. */
    static Map<TopicPartition, Long> ends(String bootstrap, Pattern meshTopics) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.listTopics(Duration.ofSeconds(30)).forEach((topic, infos) -> {
                if (meshTopics.matcher(topic).matches()) {
                    infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
                }
            });
            return new HashMap<>(c.endOffsets(parts, Duration.ofSeconds(30)));
        }
    }

    /**
     * Marks {@link Sightings.Stage#PUBLISHED} for every failure whose lines were all found.
     *
     * @return how many bench events were found
     */
    static int scan(
            String bootstrap,
            Map<TopicPartition, Long> from,
            List<TwinFailures.Written> written,
            Set<String> servers,
            Sightings sightings) {
        Map<String, TwinFailures.Written> byLine = new HashMap<>();
        for (TwinFailures.Written w : written) {
            for (TwinFailures.Line l : w.lines()) {
                byLine.put(l.meshId() + "@" + l.atMs(), w);
            }
        }
        Map<Integer, List<Long>> sent = new HashMap<>();
        int found = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = new ArrayList<>(from.keySet());
            c.assign(parts);
            from.forEach(c::seek);
            Map<TopicPartition, Long> to = c.endOffsets(parts, Duration.ofSeconds(30));
            while (parts.stream().anyMatch(p -> c.position(p) < to.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    MeshEvent e;
                    try {
                        e = EventCodec.get().decodeEvent(r.value());
                    } catch (EventDecodeException ex) {
                        continue;
                    }
                    if (e.tls() == null || !servers.contains(CorrelationKeys.joinKey(e))) {
                        continue;
                    }
                    TwinFailures.Written w =
                            byLine.get(e.meshId() + "@" + e.observedTime().toEpochMilli());
                    if (w != null) {
                        found++;
                        sent.computeIfAbsent(w.index(), k -> new ArrayList<>()).add(r.timestamp());
                    }
                }
            }
        }
        for (TwinFailures.Written w : written) {
            List<Long> s = sent.getOrDefault(w.index(), List.of());
            if (s.size() >= w.lines().size()) {
                sightings.at(
                        Sightings.Stage.PUBLISHED,
                        w.index(),
                        s.stream().mapToLong(Long::longValue).max().getAsLong());
            }
        }
        return found;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "freshness-bench-events");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
