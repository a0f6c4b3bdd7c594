package dev.meshlens.collector.publish;

import dev.meshlens.collector.metrics.CollectorMetrics;
import dev.meshlens.events.CorrelationKeys;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes redacted events to the mesh's topic: idempotent producer, {@code acks=all}, lz4
 * compression, key = {@link CorrelationKeys#joinKey}, W3C {@code traceparent} header. When the broker
 * is unreachable (send blocked or failed), events go to a bounded {@link DiskSpool}; while the spool is
 * not empty every new event is appended behind it, so order is kept, and a drainer replays it when
 * the broker is back. In-flight sends are bounded; a full bound or a full spool blocks the caller
 * (back-pressure to sources instead of memory growth).
 */
public final class KafkaPublisher implements EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

  /**
   * @param bootstrapServers Kafka bootstrap servers
   * @param topic the mesh topic, e.g. {@code meshlens.events.<mesh-id>}
   * @param spoolDir spool folder
   * @param spoolMaxBytes spool bound
   * @param maxInFlight bound on unacknowledged direct sends
   * @param deliveryTimeout how long one send may take before the event is spooled
   * @param createTopic create the topic at start when missing (partitions, replication factor)
   * @param partitions partitions for a created topic
   * @param replicationFactor replication factor for a created topic
   * @param producerOverrides extra producer properties (security settings, …)
   */
  public record Options(String bootstrapServers, String topic, Path spoolDir, long spoolMaxBytes, int maxInFlight,
      Duration deliveryTimeout, boolean createTopic, int partitions, short replicationFactor,
      Map<String, String> producerOverrides) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;
    public static final long DEFAULT_SPOOL_MAX_BYTES = 512L * 1024 * 1024;

    public Options {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(spoolDir, "spoolDir");
      if (maxInFlight <= 0) {
        throw new IllegalArgumentException("maxInFlight must be positive");
      }
      deliveryTimeout = deliveryTimeout == null ? Duration.ofSeconds(15) : deliveryTimeout;
      producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
    }
  }

  private final Options options;
  private final Producer<String, byte[]> producer;
  private final DiskSpool spool;
  private final CollectorMetrics metrics;
  private final Semaphore inFlight;
  private final Object lock = new Object();
  private final List<CompletableFuture<Void>> awaitingSync = new ArrayList<>();
  private volatile boolean spooling;
  private volatile boolean closed;
  private final Thread drainer;

  public KafkaPublisher(Options options, CollectorMetrics metrics) throws IOException {
    this.options = options;
    this.metrics = metrics;
    this.inFlight = new Semaphore(options.maxInFlight());
    this.spool = new DiskSpool(options.spoolDir(), options.spoolMaxBytes(), 64L * 1024 * 1024);
    metrics.spoolDepth(spool::depth);
    this.producer = new KafkaProducer<>(producerProps(options), new StringSerializer(), new ByteArraySerializer());
    if (options.createTopic()) {
      createTopic();
    }
    this.spooling = !spool.isEmpty();
    if (spooling) {
      LOG.info("spool {} holds {} events from an earlier run; replaying them first", options.spoolDir(),
          spool.depth());
    }
    this.drainer = Thread.ofPlatform().name("meshlens-spool-drainer").daemon(true).start(this::drainLoop);
  }

  static Properties producerProps(Options o) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    int delivery = (int) Math.max(2000, o.deliveryTimeout().toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(1000, delivery / 3)));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(delivery));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "meshlens-collector");
    p.putAll(o.producerOverrides());
    return p;
  }

  private void createTopic() {
    Map<String, Object> conf = new HashMap<>();
    for (Map.Entry<Object, Object> e : producerProps(options).entrySet()) {
      String k = e.getKey().toString();
      if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.") || k.equals("bootstrap.servers")) {
        conf.put(k, e.getValue());
      }
    }
    conf.put("request.timeout.ms", "5000");
    conf.put("default.api.timeout.ms", "8000");
    try (Admin admin = Admin.create(conf)) {
      admin.createTopics(List.of(new NewTopic(options.topic(), options.partitions(), options.replicationFactor())))
          .all().get(10, TimeUnit.SECONDS);
      LOG.info("created topic {}", options.topic());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        LOG.warn("could not create topic {}: {}", options.topic(), e.getCause().toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | RuntimeException e) {
      LOG.warn("could not create topic {} (broker unreachable?): {}", options.topic(), e.toString());
    }
  }

  public long spoolDepth() {
    return spool.depth();
  }

  public boolean spooling() {
    return spooling;
  }

  @Override
  public CompletableFuture<Void> publish(MeshEvent event) throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("publisher is closed");
    }
    long t0 = System.nanoTime();
    String key = CorrelationKeys.joinKey(event);
    byte[] value = EventCodec.get().encodeBytes(event);
    Span span = Tracing.startPublishSpan(options.topic());
    String traceparent = Tracing.traceparent(span);
    DiskSpool.Record rec = new DiskSpool.Record(key, value, traceparent);
    CompletableFuture<Void> done = new CompletableFuture<>();
    long seq = sequence.getAndIncrement();
    if (spooling) {
      span.end();
      spool.awaitSpace();
      resolve(seq, rec, done);
      return done;
    }
    inFlight.acquire();
    try {
      producer.send(record(rec), (md, ex) -> {
        inFlight.release();
        if (ex == null) {
          metrics.publishLatency().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
          span.end();
          resolve(seq, null, null);
          done.complete(null);
        } else {
          span.setStatus(StatusCode.ERROR, ex.toString());
          span.end();
          enterSpooling(ex);
          resolve(seq, rec, done);
        }
      });
    } catch (RuntimeException e) {
      inFlight.release();
      span.setStatus(StatusCode.ERROR, e.toString());
      span.end();
      enterSpooling(e);
      resolve(seq, rec, done);
    }
    return done;
  }

  private record Resolved(DiskSpool.Record rec, CompletableFuture<Void> done) {}

  private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.TreeMap<Long, Resolved> reorder = new java.util.TreeMap<>();
  private long nextToResolve;

  /**
   * Every published event resolves its sequence number once: acknowledged ({@code rec == null}) or
   * bound for the spool. Spool appends happen strictly in sequence order, so events that failed while in
   * flight land before later events (the spool keeps the order of the source). Never blocks: it may run
   * on the producer's I/O thread (the overshoot past the spool bound is limited by the in-flight bound).
   */
  private void resolve(long seq, DiskSpool.Record rec, CompletableFuture<Void> done) {
    synchronized (reorder) {
      reorder.put(seq, new Resolved(rec, done));
      Resolved r;
      while ((r = reorder.remove(nextToResolve)) != null) {
        nextToResolve++;
        if (r.rec() == null) {
          continue;
        }
        try {
          spool.append(r.rec(), true);
          synchronized (awaitingSync) {
            awaitingSync.add(r.done());
          }
        } catch (IOException | InterruptedException e) {
          LOG.error("cannot write to spool {}: {}", options.spoolDir(), e.toString());
          r.done().completeExceptionally(e);
        }
      }
    }
  }

  private ProducerRecord<String, byte[]> record(DiskSpool.Record r) {
    ProducerRecord<String, byte[]> pr = new ProducerRecord<>(options.topic(), r.key(), r.value());
    if (r.traceparent() != null) {
      pr.headers().add(Tracing.TRACEPARENT, r.traceparent().getBytes(StandardCharsets.US_ASCII));
    }
    return pr;
  }

  private void enterSpooling(Throwable cause) {
    if (!spooling) {
      LOG.warn("Kafka unreachable ({}); spooling events to {}", cause.toString(), options.spoolDir());
    }
    spooling = true;
  }

  /** Forces the spool and completes the futures of everything appended so far (group commit). */
  private void syncSpool() {
    List<CompletableFuture<Void>> batch;
    synchronized (awaitingSync) {
      if (awaitingSync.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(awaitingSync);
      awaitingSync.clear();
    }
    try {
      spool.sync();
      batch.forEach(f -> f.complete(null));
    } catch (IOException e) {
      batch.forEach(f -> f.completeExceptionally(e));
    }
  }

  private void drainLoop() {
    long backoffMs = 200;
    while (!closed) {
      try {
        syncSpool();
        if (!spooling) {
          Thread.sleep(20);
          continue;
        }
        List<DiskSpool.Entry> batch = spool.peek(500);
        if (batch.isEmpty()) {
          synchronized (lock) {
            if (spool.isEmpty()) {
              spooling = false;
              LOG.info("spool drained; publishing directly again");
            }
          }
          continue;
        }
        int ok = replay(batch);
        if (ok > 0) {
          spool.commit(batch.get(ok - 1), ok);
          backoffMs = 200;
        }
        if (ok < batch.size()) {
          Thread.sleep(backoffMs);
          backoffMs = Math.min(5000, backoffMs * 2);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.warn("spool drain failed: {}", e.toString());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Spool entries acknowledged by Kafka beyond the committed prefix: never sent twice. */
  private final java.util.Set<String> acknowledgedAhead = new java.util.HashSet<>();

  /**
   * Sends a batch in order and waits for every send (each is bounded by the delivery timeout); returns
   * how many leading entries are acknowledged. Entries acknowledged after a failed one are remembered
   * and not sent again on the next attempt, so a partial failure does not duplicate them.
   */
  private int replay(List<DiskSpool.Entry> batch) throws InterruptedException {
    List<Future<RecordMetadata>> futures = new ArrayList<>(batch.size());
    for (DiskSpool.Entry e : batch) {
      if (acknowledgedAhead.contains(e.segment() + ":" + e.nextPosition())) {
        futures.add(null);
        continue;
      }
      try {
        Future<RecordMetadata> f = producer.send(record(e.record()));
        futures.add(f);
        if (f.isDone()) {
          try {
            f.get();
          } catch (ExecutionException failed) {
            break; // failed at once (no metadata): do not send later entries ahead of it
          }
        }
      } catch (RuntimeException ex) {
        // e.g. no metadata yet: stop here so later entries are not sent ahead of this one
        LOG.debug("replay send failed: {}", ex.toString());
        futures.add(CompletableFuture.failedFuture(ex));
        break;
      }
    }
    int ok = 0;
    boolean prefix = true;
    for (int i = 0; i < futures.size(); i++) {
      // (futures may be shorter than batch when a send failed synchronously)
      Future<RecordMetadata> f = futures.get(i);
      boolean acked;
      if (f == null) {
        acked = true;
      } else {
        try {
          f.get(options.deliveryTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
          acked = true;
        } catch (ExecutionException | TimeoutException e) {
          acked = false;
        }
      }
      DiskSpool.Entry e = batch.get(i);
      String id = e.segment() + ":" + e.nextPosition();
      if (acked && prefix) {
        ok++;
        acknowledgedAhead.remove(id);
      } else if (acked) {
        acknowledgedAhead.add(id);
      } else {
        prefix = false;
      }
    }
    return ok;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      producer.flush();
    } catch (RuntimeException e) {
      LOG.warn("flush on close failed: {}", e.toString());
    }
    closed = true;
    drainer.interrupt();
    try {
      drainer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    syncSpool();
    producer.close(Duration.ofSeconds(5));
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("closing spool: {}", e.toString());
    }
  }
}
