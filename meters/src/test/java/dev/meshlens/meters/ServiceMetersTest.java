package dev.meshlens.meters;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM and process series every service exposes, as Prometheus scrapes them; and every family that
 * dashboards/metric-names.txt attributes to ServiceMeters has at least one series.
 */
class ServiceMetersTest {
    @Test
    void jvmAndProcessSeriesAreExposed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ServiceMeters m = ServiceMeters.bindTo(registry)) {
            System.gc();
            String scrape = registry.scrape();
            for (String name : List.of(
                    "jvm_memory_used_bytes{area=\"heap\"",
                    "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes",
                    "jvm_info{",
                    "process_cpu_usage",
                    "process_uptime_seconds",
                    "process_start_time_seconds",
                    "process_files_open_files",
                    "system_cpu_count")) {
                assertTrue(scrape.contains("\n" + name), name + " in\n" + scrape);
            }
            List<String> families = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("..", "dashboards", "metric-names.txt"))) {
                if (line.contains("# from: ServiceMeters")) {
                    families.add(line.strip().split("\\s+")[0]);
                }
            }
            assertTrue(families.size() >= 3, "metric-names.txt lists the ServiceMeters families: " + families);
            for (String f : families) {
                String prefix = f.endsWith("*") ? f.substring(0, f.length() - 1) : f;
                assertTrue(scrape.lines().anyMatch(l -> l.startsWith(prefix)), f + " has a series");
            }
        }
    }
}
