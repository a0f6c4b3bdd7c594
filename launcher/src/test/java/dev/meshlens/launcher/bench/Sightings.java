package dev.meshlens.launcher.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * When each written failure was first seen at each stage of the pipeline. A finding stands for every failure of its
 * pair, so a stage shows failure k of a pair (its k-th) once it shows the pair's finding with a count of k or more:
 * that is what the on-call user reads (the count and last seen moving), and a later failure cannot be counted before
 * an earlier one of the same pair (same files, same partitions, in order).
 */
final class Sightings {
    /** Where along the path a failure was seen. */
    enum Stage {
        /** both halves acknowledged by Kafka on the mesh topics (the collectors' send time) */
        PUBLISHED,
        /** the finding with the count on {@code meshlens.findings}, read committed (the correlator's transaction) */
        COMMITTED,
        /** the finding's document in Elasticsearch (a realtime GET: indexed, not necessarily searchable) */
        INDEXED,
        /** the finding with the count in the query API's findings list (what the on-call page shows) */
        LISTED
    }

    /** One failure as written: its pair, its ordinal within the pair (1-based) and when its lines were in the files. */
    record Failure(int index, String pair, int ordinal, long writtenAtMs) {}

    private final List<Failure> failures = new ArrayList<>();
    private final Map<String, List<Failure>> byPair = new HashMap<>();
    private final Map<Stage, Map<Integer, Long>> seen = new EnumMap<>(Stage.class);

    Sightings() {
        for (Stage s : Stage.values()) {
            seen.put(s, new HashMap<>());
        }
    }

    synchronized void written(Failure f) {
        if (f.index() != failures.size()) {
            throw new IllegalArgumentException(
                    "failures are recorded in order: expected index " + failures.size() + ", got " + f.index());
        }
        failures.add(f);
        byPair.computeIfAbsent(f.pair(), k -> new ArrayList<>()).add(f);
    }

    /** The stage showed {@code pair}'s finding with {@code count} at {@code atMs}: every failure up to it is seen. */
    synchronized void count(Stage stage, String pair, long count, long atMs) {
        Map<Integer, Long> s = seen.get(stage);
        for (Failure f : byPair.getOrDefault(pair, List.of())) {
            if (f.ordinal() <= count) {
                s.putIfAbsent(f.index(), atMs);
            }
        }
    }

    /** The stage showed failure {@code index} itself at {@code atMs}. */
    synchronized void at(Stage stage, int index, long atMs) {
        seen.get(stage).putIfAbsent(index, atMs);
    }

    synchronized int written() {
        return failures.size();
    }

    synchronized int seen(Stage stage) {
        return seen.get(stage).size();
    }

    /** How many failures of {@code pair} were written. */
    synchronized int written(String pair) {
        return byPair.getOrDefault(pair, List.of()).size();
    }

    /** Whether the stage still misses a failure of {@code pair}. */
    synchronized boolean pending(Stage stage, String pair) {
        Map<Integer, Long> s = seen.get(stage);
        return byPair.getOrDefault(pair, List.of()).stream().anyMatch(f -> !s.containsKey(f.index()));
    }

    synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }

    /**
     * Milliseconds from {@code from} (null: the write) to {@code to}, for every failure both were seen at and that
     * {@code which} selects.
     */
    synchronized long[] latencies(Stage from, Stage to, Predicate<Failure> which) {
        List<Long> out = new ArrayList<>();
        for (Failure f : failures) {
            Long end = seen.get(to).get(f.index());
            Long start = from == null
                    ? Long.valueOf(f.writtenAtMs())
                    : seen.get(from).get(f.index());
            if (end != null && start != null && which.test(f)) {
                out.add(end - start);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
