package dev.meshlens.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The image carries only what its components run: the runtime classpath of this module (what Jib and the Dockerfile
 * copy, listed by the build into target/runtime-classpath.txt) holds the four services and none of the demo's parts
 * (the mesh simulator, the local stack and its Kafka broker / Elasticsearch node jars) or test libraries.
 */
class ImageClasspathTest {
    /**
     * Path fragments that must not reach the image. A module is a jar ({@code meshlens-<module>-<version>.jar}) or, in a
     * reactor build, its {@code <module>/target/classes}: both contain the module's directory name.
     */
    static final List<String> FORBIDDEN = List.of(
            "mesh-simulator", // the demo's simulated meshes
            "local-stack", // starts the demo's Kafka and Elasticsearch; its target/ holds their node layouts
            "meshlens-launcher", // the demo front door (depends on both above), as a jar
            "/launcher/target/", // ... or as the reactor's classes
            "testkit",
            "/org/apache/kafka/kafka_2.13/", // a Kafka broker
            "/org/apache/kafka/kafka-server/",
            "/org/elasticsearch/elasticsearch/", // an Elasticsearch node (the client is elasticsearch-java)
            "/org/junit/",
            "/org/seleniumhq/");

    static boolean onClasspath(List<String> classpath, String module) {
        return classpath.stream()
                .map(e -> e.replace(File.separatorChar, '/'))
                .anyMatch(e -> e.contains("/meshlens-" + module + "-") || e.contains("/" + module + "/target/"));
    }

    static List<String> offending(List<String> classpath) {
        List<String> out = new ArrayList<>();
        for (String entry : classpath) {
            String normal = entry.replace(File.separatorChar, '/');
            for (String f : FORBIDDEN) {
                if (normal.contains(f)) {
                    out.add(entry + " (" + f + ")");
                }
            }
        }
        return out;
    }

    private static List<String> imageClasspath() throws Exception {
        Path listed = Path.of("target", "runtime-classpath.txt");
        assertTrue(Files.exists(listed), "the build lists the runtime classpath in " + listed);
        return Arrays.stream(Files.readString(listed).strip().split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .toList();
    }

    @Test
    void theImageCarriesNoSimulatorLocalStackOrTestJars() throws Exception {
        List<String> cp = imageClasspath();
        assertEquals(List.of(), offending(cp), "jars the image must not carry");
    }

    @Test
    void theImageCarriesEveryServiceTheChartRuns() throws Exception {
        List<String> cp = imageClasspath();
        for (String module : List.of("collector", "redactor", "query-api", "correlator")) {
            assertTrue(onClasspath(cp, module), module + " on the image's classpath");
        }
        for (String command : List.of("collector", "redactor", "query-api", "correlator")) {
            assertTrue(
                    ServiceMain.commandLine(System.out, System.err)
                            .getSubcommands()
                            .containsKey(command),
                    "the entry point runs " + command);
        }
    }

    @Test
    void theRuleCatchesTheDemosJars() {
        // the launcher's classpath (./meshlens) has them: the rule must see them, whichever way the build names them
        List<String> launcherLike = List.of(
                "/w/mesh-simulator/target/classes",
                "/w/launcher/target/classes",
                "/h/.m2/repository/dev/meshlens/meshlens-local-stack/0.1.0-SNAPSHOT/meshlens-local-stack-0.1.0-SNAPSHOT.jar",
                "/h/.m2/repository/org/apache/kafka/kafka_2.13/4.1.2/kafka_2.13-4.1.2.jar",
                "/h/.m2/repository/org/apache/kafka/kafka-clients/4.1.2/kafka-clients-4.1.2.jar");
        assertEquals(4, offending(launcherLike).size(), offending(launcherLike).toString());
        assertTrue(onClasspath(List.of("/w/collector/target/classes"), "collector"));
        assertTrue(
                onClasspath(List.of("/r/dev/meshlens/meshlens-collector/0.1/meshlens-collector-0.1.jar"), "collector"));
    }
}
