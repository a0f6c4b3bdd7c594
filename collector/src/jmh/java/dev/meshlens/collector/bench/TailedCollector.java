package dev.meshlens.collector.bench;

import dev.meshlens.collector.cli.Collector;
import dev.meshlens.collector.config.CollectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collector the load runs measure: the deployed defaults, one Istio log file, a real broker, everything
 * else in a temporary folder. One place, so the memory and the CPU runs measure the same configuration.
 *
 * @param dir the temporary folder (checkpoints, spool, dead letters)
 * @param log the file the collector tails (created empty)
 * @param config the collector's configuration
 */
record TailedCollector(Path dir, Path log, CollectorConfig config) {
    static TailedCollector create(String meshId, String bootstrap) throws IOException {
        Path dir = Files.createTempDirectory("meshlens-" + meshId + "-");
        Path log = Files.createFile(dir.resolve("proxy.log"));
        String yaml = """
        mesh: {id: %s, kind: istio}
        sources:
          files: [{globs: ["%s"], format: istio}]
          checkpoint_dir: %s/cp
        kafka: {bootstrap_servers: "%s", create_topic: true}
        spool: {dir: %s/spool}
        dead_letter: {file: %s/dl.jsonl}
        http: {host: 127.0.0.1, port: 0}
        """.formatted(meshId, log, dir, bootstrap, dir, dir);
        return new TailedCollector(dir, log, CollectorConfig.parse(yaml, meshId));
    }

    Collector start() throws IOException {
        return new Collector(config).start();
    }
}
