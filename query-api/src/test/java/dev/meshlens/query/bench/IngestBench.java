package dev.meshlens.query.bench;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.ingest.IngestService;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.testkit.RealServices;
import io.opentelemetry.api.OpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;

/**
 * Ingest throughput: Kafka -> IngestService -> Elasticsearch, against a raw {@code _bulk} of the
 * very same documents (pre-built request bodies, same batch size, one request in flight like the
 * ingest loop) into the same node in the same run. Not a test; run with {@code bench/ingest.sh [N]}.
 */
public final class IngestBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int batch = 2000;
        String run = "b" + UUID.randomUUID().toString().substring(0, 6);
        String es = RealServices.elasticsearch().url();
        String bootstrap = RealServices.kafka().bootstrapServers();
        System.out.printf(
                "bench: n=%d es=%s (%s) kafka=%s%n",
                n, es, RealServices.elasticsearch().version(), bootstrap);
        Instant end = Instant.now();
        List<MeshEvent> events = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            events.add(BenchData.event(i, 8, 200, end, 6 * 3600, 0.05));
        }
        String yaml = """
        kafka:
          bootstrap-servers: %s
          group-id: %s
          events-topic-pattern: 'meshlens\\.events\\.%s-.*'
          findings-topic: %s.findings
          dead-letter-topic: %s.dlq
        elasticsearch:
          urls: [%s]
          index-prefix: %s-ingest
          replicas: 0
        ingest:
          max-batch: %d
          retention-days: 0
        """;
        QueryApiConfig ingestCfg = QueryApiConfig.parse(yaml.formatted(bootstrap, run, run, run, run, es, run, batch));
        QueryApiConfig rawCfg =
                QueryApiConfig.parse(yaml.formatted(bootstrap, run, run, run, run, es, run + "-raw", batch)
                        .replace(run + "-raw-ingest", run + "-raw"));

        // 1. produce (not timed)
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> prod = new KafkaProducer<>(p)) {
            for (MeshEvent e : events) {
                prod.send(new ProducerRecord<>(
                        "meshlens.events." + run + "-" + e.meshId(),
                        e.eventId(),
                        EventCodec.get().encodeBytes(e)));
            }
            prod.flush();
        }
        System.out.printf("produced %d events in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);

        // 2. raw _bulk of the same documents (bodies built before the clock starts)
        try (ElasticStore raw = ElasticStore.fromConfig(rawCfg)) {
            raw.ensureSchema();
            List<byte[]> bodies = new ArrayList<>();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int inBatch = 0;
            Instant now = Instant.now();
            for (MeshEvent e : events) {
                String action = "{\"index\":{\"_index\":\"" + raw.names().eventsIndex(e.observedTime())
                        + "\",\"_id\":\"" + e.eventId() + "\"}}\n";
                buf.write(action.getBytes(StandardCharsets.UTF_8));
                buf.write(Documents.event(e, null, now));
                buf.write('\n');
                if (++inBatch == batch) {
                    bodies.add(buf.toByteArray());
                    buf.reset();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                bodies.add(buf.toByteArray());
            }
            long r0 = System.nanoTime();
            for (byte[] body : bodies) {
                Request req = new Request("POST", "/_bulk");
                req.setEntity(new ByteArrayEntity(body, ContentType.create("application/x-ndjson")));
                Response resp = raw.rest().performRequest(req);
                if (resp.getStatusLine().getStatusCode() != 200) {
                    throw new IllegalStateException("bulk failed: " + resp.getStatusLine());
                }
            }
            double rawSec = (System.nanoTime() - r0) / 1e9;
            double rawRate = n / rawSec;
            System.out.printf("raw _bulk:   %d docs in %.2f s = %.0f docs/s%n", n, rawSec, rawRate);

            // 3. the ingest service, from start until every document is acknowledged
            try (ElasticStore store = ElasticStore.fromConfig(ingestCfg)) {
                MeshlensMetrics metrics = MeshlensMetrics.inMemory();
                long i0 = System.nanoTime();
                try (IngestService ingest =
                        new IngestService(ingestCfg, store, metrics, OpenTelemetry.noop(), Clock.systemUTC()).start()) {
                    while (ingest.eventsLoop() == null || ingest.eventsLoop().indexedOperations() < n) {
                        Thread.sleep(20);
                    }
                    double ingSec = (System.nanoTime() - i0) / 1e9;
                    double ingRate = n / ingSec;
                    store.refreshAll();
                    long count = store.client()
                            .count(c -> c.index(store.names().eventsPattern()))
                            .count();
                    System.out.printf(
                            "ingest:      %d docs in %.2f s = %.0f docs/s (count in ES: %d, pauses: %d)%n",
                            n, ingSec, ingRate, count, ingest.eventsLoop().pauses());
                    System.out.printf(
                            "RESULT n=%d raw_docs_per_s=%.0f ingest_docs_per_s=%.0f ratio=%.2f%n",
                            n, rawRate, ingRate, ingRate / rawRate);
                }
            }
        }
        System.exit(0);
    }
}
