package dev.meshlens.testkit;

import dev.meshlens.localstack.elasticsearch.LocalElasticsearch;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Elasticsearch 8.19 line on demand, for smoke tests proving that the project's client works
 * against 8.19 as well as 9.x (the main suite runs against 9.x through {@link RealServices}).
 *
 * <p>{@link #start()} starts a fresh 8.19 node the caller closes; {@link #shared()} gives one
 * lazily started node per JVM (stopped at exit). With {@code MESHLENS_ES8_URL} set (system
 * property or environment), {@link #shared()} uses that external 8.19 cluster instead.
 */
public final class Es8Smoke {
    public static final String ES8_URL = "MESHLENS_ES8_URL";

    private static volatile ElasticsearchService shared;

    private Es8Smoke() {}

    /** A fresh local 8.19 node (child JVM, 512 MB heap); close it when done. */
    public static LocalElasticsearch start() throws IOException {
        return LocalElasticsearch.builder().line(LocalElasticsearch.Line.V8).start();
    }

    /** One 8.19 cluster per JVM: external when {@code MESHLENS_ES8_URL} is set, else a local node. */
    public static ElasticsearchService shared() {
        ElasticsearchService s = shared;
        if (s != null) {
            return s;
        }
        synchronized (Es8Smoke.class) {
            if (shared == null) {
                String external = RealServices.setting(ES8_URL);
                if (external != null) {
                    shared = new RealServices.ExternalElasticsearch(external);
                } else {
                    try {
                        LocalElasticsearch node = start();
                        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "meshlens-testkit-stop-es8"));
                        shared = new RealServices.LocalElasticsearchService(node);
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not start the local Elasticsearch 8.19 node", e);
                    }
                }
            }
            return shared;
        }
    }
}
