import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Helpers of scripts/spool-full.sh, run as a single-file program on the launcher's classpath:
 *   generate FILE LINES RATE   append LINES unique Istio access-log lines (5% TLS failures) at RATE a second
 *   count-topic BOOTSTRAP TOPIC  print "<records> <distinct event ids>" of everything on the topic
 */
public class SpoolFull {
  static final DateTimeFormatter ENVOY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "count-topic" -> countTopic(args[1], args[2]);
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /** One line a millisecond of Envoy time apart, so every line is a distinct event. */
  static String line(Instant base, int i) {
    boolean fail = i % 20 == 0;
    String details = fail ? "upstream_reset_before_response_started{remote_connection_failure|TLS_error:|268436504:"
        + "SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end}" : "via_upstream";
    String utfr = fail ? "TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end" : "-";
    return "[" + ENVOY_TIME.format(base.plusMillis(i)) + "] \"GET /api/orders/" + i + " HTTP/1.1\" "
        + (fail ? 503 : 200) + " " + (fail ? "UF,URX" : "-") + " " + details + " - \"" + utfr + "\" 0 91 3 - \"-\" "
        + "\"curl/8.5\" \"req-" + i + "\" \"backend.shop:8080\" \"10.0.0.5:8080\" "
        + "outbound|8080||backend.shop.svc.cluster.local 10.0.0.9:40000 10.96.0.10:8080 10.0.0.9:39999 - default";
  }

  static void generate(Path file, int lines, int rate) throws Exception {
    Files.createDirectories(file.getParent());
    Instant base = Instant.now();
    long start = System.nanoTime();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      for (int i = 0; i < lines; i++) {
        long due = start + (long) i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          w.flush();
          Thread.sleep(wait / 1_000_000);
        }
        w.write(line(base, i));
        w.write('\n');
      }
    }
  }

  static void countTopic(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    Pattern id = Pattern.compile("\"event_id\":\"([0-9a-f]+)\"");
    long records = 0;
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          records++;
          Matcher m = id.matcher(new String(r.value(), StandardCharsets.UTF_8));
          if (m.find()) {
            ids.add(m.group(1));
          }
        }
      }
    }
    System.out.println(records + " " + ids.size());
  }
}
