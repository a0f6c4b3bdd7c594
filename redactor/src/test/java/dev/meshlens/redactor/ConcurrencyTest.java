package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One shared engine, many threads: the same output as one thread (caches and scratch are per-engine/thread-safe). */
class ConcurrencyTest {
    @Test
    void sharedEngineGivesSameResultsOnManyThreads() throws Exception {
        RedactionEngine engine = new RedactionEngine(
                RedactionPolicy.parse("id: c\nversion: '1'\nallow_all: true\n", "c", Map.of()), null);
        List<MeshEvent> events = new ArrayList<>();
        int i = 0;
        for (Corpus.Secret s : Corpus.SECRETS) {
            events.add(Corpus.plantedEverywhere("m", s, i++));
            events.add(Corpus.realistic("m", i++));
        }
        RedactionEngine reference = new RedactionEngine(engine.policy(), null);
        List<String> expected = events.stream()
                .map(e -> EventCodec.get().encode(reference.redact(e)))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int round = 0; round < 40; round++) {
                        for (int k = 0; k < events.size(); k++) {
                            assertEquals(expected.get(k), EventCodec.get().encode(engine.redact(events.get(k))));
                        }
                    }
                    return 1;
                }));
            }
            for (Future<Integer> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
