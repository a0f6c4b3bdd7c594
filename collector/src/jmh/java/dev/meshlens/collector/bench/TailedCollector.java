package dev.meshlens.collector.bench;

import dev.meshlens.collector.config.CollectorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The collector the load benchmarks run: its deployed defaults, one Istio access-log file in a fresh temporary
 * folder, a real broker, every other file (checkpoints, spool, dead letters) beside the log.
 *
 * @param log the file the benchmark appends to
 * @param config the collector's configuration
 */
record TailedCollector(Path log, CollectorConfig config) {
    static TailedCollector create(String meshId, String bootstrap) throws IOException {
        Path dir = Files.createTempDirectory("meshlens-" + meshId + "-");
        Path log = dir.resolve("proxy.log");
        Files.createFile(log);
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
        return new TailedCollector(log, CollectorConfig.parse(yaml, meshId));
    }
}
