package dev.meshlens.launcher.demo;

import static dev.meshlens.collector.config.CollectorKeys.FILES;
import static dev.meshlens.collector.config.CollectorKeys.FILE_GLOBS;
import static dev.meshlens.collector.config.CollectorKeys.FILE_IDENTITY_TEMPLATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.collector.config.GlobIdentity;
import dev.meshlens.collector.event.LocalIdentity;
import dev.meshlens.config.Settings;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.simulator.EnvoyAdmin;
import dev.meshlens.simulator.LiveSimulator;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's generated configs are short, valid, and still name every Envoy behind its files. */
class DemoConfigsTest {
    @Test
    void collectorConfigsUsePresetsAndGlobPartsAndNameEveryEnvoy(@TempDir Path dir) throws Exception {
        try (LiveSimulator sim = new LiveSimulator(dir.resolve("meshes"), 7, 0.1, Duration.ZERO, true).start()) {
            DemoConfigs configs = new DemoConfigs(dir, sim, "127.0.0.1:9", "http://127.0.0.1:9");
            for (String mesh : List.of(Demo.ISTIO_MESH, Demo.CONSUL_MESH)) {
                Path file = configs.writeCollectorConfig(mesh, 0);
                String text = Files.readString(file);
                assertTrue(text.length() < 4000, "short: " + text.length() + " characters\n" + text);
                assertTrue(!text.contains("identity_from_path") && !text.contains("\\\\Q"), text);
                CollectorConfig cfg = CollectorConfig.load(file);
                assertTrue(cfg.warnings().isEmpty(), cfg.warnings().toString());
                int named = 0;
                for (EnvoyAdmin a : sim.admins()) {
                    if (!a.envoy().mesh().id().equals(mesh)) {
                        continue;
                    }
                    for (String log : List.of("access.log", "listener.log")) {
                        Path path = dir.resolve("meshes")
                                .resolve(mesh)
                                .resolve(a.envoy().service())
                                .resolve(log)
                                .toAbsolutePath();
                        String identity = null;
                        for (Settings f : cfg.get(FILES)) {
                            List<String> globs = f.get(FILE_GLOBS);
                            boolean matches = globs.stream()
                                    .map(GlobIdentity::plain)
                                    .anyMatch(g -> FileSystems.getDefault()
                                            .getPathMatcher("glob:" + Path.of(g).toAbsolutePath())
                                            .matches(path));
                            if (matches) {
                                assertEquals(null, identity, path + " is read by two entries");
                                identity = new LocalIdentity(
                                                Pattern.compile(GlobIdentity.regex(globs)),
                                                f.get(FILE_IDENTITY_TEMPLATE))
                                        .resolve(path.toString());
                            }
                        }
                        assertEquals(a.envoy().identity(), identity, path.toString());
                        named++;
                    }
                }
                assertTrue(named >= 6, mesh + ": " + named);
            }
            Path q = configs.writeQueryApiConfig(
                    0, List.of(new DemoConfigs.Token("oncall", "a".repeat(64), List.of(), true)));
            QueryApiConfig qc = QueryApiConfig.load(q);
            assertTrue(qc.warnings().isEmpty(), qc.warnings().toString());
            assertEquals(Duration.ofSeconds(10), qc.correlation().statsInterval());
        }
    }
}
