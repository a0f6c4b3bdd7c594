package dev.meshlens.query.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshlens.query.auth.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PageCacheTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final AtomicInteger loads = new AtomicInteger();

    private CompletableFuture<String> load() {
        return CompletableFuture.completedFuture("answer " + loads.incrementAndGet());
    }

    @Test
    void secondRequestInsideTheTtlIsNotLoadedAgainOneAfterItIs() throws Exception {
        PageCache<String, String> cache = new PageCache<>(Duration.ofSeconds(1), 16, clock);
        assertEquals("answer 1", cache.get("k", this::load).get());
        clock.now = clock.now.plusMillis(999);
        assertEquals("answer 1", cache.get("k", this::load).get());
        assertEquals(1, loads.get());
        clock.now = clock.now.plusMillis(1);
        assertEquals("answer 2", cache.get("k", this::load).get());
        assertEquals(2, loads.get());
    }

    @Test
    void twoScopesNeverShareAnEntryEvenWithTheSameFilters() throws Exception {
        PageCache<ReadModel.FindingsKey, String> cache = new PageCache<>(Duration.ofSeconds(1), 16, clock);
        var filter = new ReadModel.FindingFilter(Set.of(), Set.of(), "open", null, 0, 50);
        var teamA = new ReadModel.FindingsKey(Scope.meshes("team-a", Set.of("istio-0")), filter);
        var teamB = new ReadModel.FindingsKey(Scope.meshes("team-b", Set.of("consul-1")), filter);
        var admin = new ReadModel.FindingsKey(Scope.admin("ops"), filter);
        List<String> answers = List.of(
                cache.get(teamA, this::load).get(),
                cache.get(teamB, this::load).get(),
                cache.get(admin, this::load).get());
        assertEquals(List.of("answer 1", "answer 2", "answer 3"), answers);
        assertEquals("answer 1", cache.get(teamA, this::load).get());
        assertEquals(3, loads.get());
    }

    @Test
    void concurrentCallersOfOneKeyShareOneLoad() {
        PageCache<String, String> cache = new PageCache<>(Duration.ofSeconds(1), 16, clock);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> first = cache.get("k", () -> {
            loads.incrementAndGet();
            return pending;
        });
        CompletableFuture<String> second = cache.get("k", this::load);
        assertSame(first, second);
        pending.complete("done");
        assertEquals("done", second.join());
        assertEquals(1, loads.get());
    }

    @Test
    void aFailedLoadIsNotCached() throws Exception {
        PageCache<String, String> cache = new PageCache<>(Duration.ofSeconds(1), 16, clock);
        CompletableFuture<String> failed =
                cache.get("k", () -> CompletableFuture.failedFuture(new IllegalStateException("es down")));
        assertThrows(ExecutionException.class, failed::get);
        assertEquals("answer 1", cache.get("k", this::load).get());
    }

    @Test
    void theCacheIsBoundedLeastRecentlyUsedFirst() throws Exception {
        PageCache<String, String> cache = new PageCache<>(Duration.ofSeconds(1), 2, clock);
        cache.get("a", this::load).get();
        cache.get("b", this::load).get();
        cache.get("a", this::load).get(); // a is now the most recently used
        cache.get("c", this::load).get(); // evicts b
        assertEquals(2, cache.size());
        assertEquals("answer 1", cache.get("a", this::load).get());
        assertEquals("answer 4", cache.get("b", this::load).get());
    }

    @Test
    void zeroTtlDisablesCaching() throws Exception {
        PageCache<String, String> cache = new PageCache<>(Duration.ZERO, 2, clock);
        cache.get("k", this::load).get();
        cache.get("k", this::load).get();
        assertEquals(2, loads.get());
    }
}
