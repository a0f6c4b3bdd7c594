package dev.meshlens.query.bench;

import dev.meshlens.events.Finding;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.query.auth.TokenAuthenticator;
import dev.meshlens.query.config.QueryApiConfig.ApiToken;
import dev.meshlens.query.http.ApiVerticle;
import dev.meshlens.query.metrics.MeshlensMetrics;
import dev.meshlens.query.read.ReadModel;
import dev.meshlens.query.rollup.RollupBatch;
import dev.meshlens.query.rollup.RollupWriter;
import dev.meshlens.query.store.Documents;
import dev.meshlens.query.store.ElasticStore;
import dev.meshlens.query.store.IndexNames;
import dev.meshlens.query.store.QueryClient;
import dev.meshlens.testkit.RealServices;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Serving benchmark setup: loads N events (default 1,000,000) and F findings (default 1,000) into
 * the real Elasticsearch node, starts the HTTP API with token {@code bench-token} and prints
 * {@code READY <port>}; {@code bench/serve.sh} then drives it with wrk (50 connections).
 * Args: [events] [findings] [port].
 */
public final class ServeBench {
    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int nf = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String url = RealServices.elasticsearch().url();
        String prefix = "servebench";
        ElasticStore store = new ElasticStore(List.of(url), null, null, null, new IndexNames(prefix), 1, 0, "30s");
        // loading and force-merging a million documents on a busy node outlasts the store's 30 s socket timeout
        RestClient setup = RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(2_000).setSocketTimeout(600_000))
                .build();
        store.ensureSchema();
        store.refreshAll();
        long have = store.client()
                .count(c -> c.index(store.names().eventsPattern()).allowNoIndices(true))
                .count();
        Instant now = Instant.now();
        if (have < n) {
            System.out.printf(
                    "loading %d events into %s (%s)%n",
                    n - have, url, RealServices.elasticsearch().version());
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "bench-loader");
                t.setDaemon(true);
                return t;
            });
            Future<?>[] inflight = new Future<?>[2];
            int slot = 0;
            RollupWriter rollups = new RollupWriter(setup, store.names());
            for (long start = have; start < n; start += 5000) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                // diagnose's roll-ups of the chunk, as ingest writes them (a pseudo-partition per chunk: chunks
                // are written two at a time, and a partition's offsets must reach a document in order)
                RollupBatch chunk = new RollupBatch();
                for (long i = start; i < Math.min(n, start + 5000); i++) {
                    MeshEvent e = BenchData.event(i, 8, 200, now, 20 * 3600, 0.05);
                    chunk.add(e, "servebench", (int) (start / 5000), i);
                    buf.write(("{\"index\":{\"_index\":\"" + store.names().eventsIndex(e.observedTime())
                                    + "\",\"_id\":\"" + e.eventId() + "\"}}\n")
                            .getBytes(StandardCharsets.UTF_8));
                    buf.write(Documents.event(e, null, now));
                    buf.write('\n');
                }
                byte[] body = buf.toByteArray();
                if (inflight[slot] != null) {
                    inflight[slot].get();
                }
                inflight[slot] = pool.submit(() -> {
                    for (int attempt = 0; ; attempt++) {
                        Request req = new Request("POST", "/_bulk");
                        req.setEntity(new ByteArrayEntity(body, ContentType.create("application/x-ndjson")));
                        try {
                            setup.performRequest(req);
                            rollups.write(chunk);
                            return null;
                        } catch (IOException e) {
                            // 429 from the bulk itself or from the roll-ups' _mget/_bulk (RollupWriter says the
                            // status in its message); both are idempotent, so the chunk is simply written again
                            boolean tooMany = e instanceof org.elasticsearch.client.ResponseException r
                                    ? r.getResponse().getStatusLine().getStatusCode() == 429
                                    : String.valueOf(e.getMessage()).contains("status 429");
                            if (!tooMany || attempt > 20) {
                                throw e;
                            }
                            Thread.sleep(500L * (attempt + 1)); // circuit breaker on a small heap: back off, retry
                        }
                    }
                });
                slot = (slot + 1) % 2;
                if (start % 100_000 == 0) {
                    System.out.printf("  %d events...%n", start);
                }
            }
            for (Future<?> f : inflight) {
                if (f != null) {
                    f.get();
                }
            }
            pool.shutdown();
            System.out.printf("loaded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        // every event above has its roll-ups: diagnose may read them for any window
        store.markRollupsSince(Instant.EPOCH, true);
        ByteArrayOutputStream fb = new ByteArrayOutputStream();
        for (Finding f : BenchData.findings(nf, 8, 200, now)) {
            fb.write(("{\"index\":{\"_index\":\"" + store.names().findings() + "\",\"_id\":\"" + f.id() + "\"}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            fb.write(Documents.bytes(Documents.finding(f, now)));
            fb.write('\n');
        }
        Request req = new Request("POST", "/_bulk");
        req.setEntity(new ByteArrayEntity(fb.toByteArray(), ContentType.create("application/x-ndjson")));
        setup.performRequest(req);
        setup.performRequest(new Request("POST", "/" + prefix + "-*/_refresh"));
        setup.performRequest(new Request("POST", "/" + prefix + "-*/_forcemerge?max_num_segments=1"));
        long events = store.client()
                .count(c -> c.index(store.names().eventsPattern()))
                .count();
        long findings =
                store.client().count(c -> c.index(store.names().findings())).count();
        System.out.printf("data: %d events, %d findings%n", events, findings);

        Vertx vertx = Vertx.vertx();
        ReadModel read = new ReadModel(new QueryClient(store.rest()), store.names(), Clock.systemUTC());
        ApiVerticle api = new ApiVerticle(
                read,
                new TokenAuthenticator(
                        List.of(new ApiToken("bench", TokenAuthenticator.sha256Hex("bench-token"), Set.of(), true))),
                MeshlensMetrics.prometheus(),
                () -> "DISABLED",
                new ApiVerticle.Settings(
                        "127.0.0.1",
                        port,
                        new ReadModel.InventorySettings(30, Duration.ofMinutes(15), Duration.ofHours(24))));
        vertx.deployVerticle(api).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("READY " + api.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
