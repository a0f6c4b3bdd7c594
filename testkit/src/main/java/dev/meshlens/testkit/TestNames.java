package dev.meshlens.testkit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique names so tests sharing one Kafka and one Elasticsearch never see each other's data
 * (also across test JVMs and re-runs against an external cluster).
 */
public final class TestNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private TestNames() {}

    /** A short random lowercase token, e.g. {@code 3f9a0c1b7}: 8 hex digits plus a per-JVM counter. */
    public static String token() {
        byte[] b = new byte[4];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b) + Integer.toString(COUNTER.incrementAndGet(), 36);
    }

    /** A unique mesh id with a readable base, e.g. {@code istio-3f9a0c1b7}. */
    public static String meshId(String base) {
        return base + "-" + token();
    }

    /** The per-mesh event topic, {@code meshlens.events.<meshId>} (the project's naming rule). */
    public static String eventsTopic(String meshId) {
        return "meshlens.events." + meshId;
    }

    /** A unique topic name with the given prefix, e.g. {@code meshlens.findings.t3f9a0c1b7}. */
    public static String topic(String prefix) {
        return prefix + (prefix.endsWith(".") || prefix.endsWith("-") ? "" : ".") + "t" + token();
    }

    /**
     * A unique index prefix, e.g. {@code t3f9a0c1b7-}: put it in front of every index, template and
     * pattern a test creates ({@code t3f9a0c1b7-meshlens-events-2026.11.29}).
     */
    public static String indexPrefix() {
        return "t" + token() + "-";
    }

    /** A unique consumer group id. */
    public static String groupId(String base) {
        return base + "-" + token();
    }

    /** The daily events index for {@code time}: {@code <prefix>meshlens-events-YYYY.MM.DD} (UTC). */
    public static String dailyEventsIndex(String prefix, Instant time) {
        return prefix + "meshlens-events-" + DAY.format(time);
    }
}
