package dev.meshlens.localstack.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLayoutTest {

    @Test
    void buildLaidOutAllThreeHomesNextToTheClasses() {
        for (NodeLayout.Kind kind : NodeLayout.Kind.values()) {
            Path home = NodeLayout.home(kind);
            assertNull(NodeLayout.problem(kind, home), kind + " at " + home);
            assertTrue(home.endsWith(Path.of("target", kind.dirName())), home.toString());
        }
        assertEquals(
                NodeLayout.targetDirOfThisModule(),
                NodeLayout.home(NodeLayout.Kind.ES_9).getParent());
    }

    @Test
    void versionsComeFromTheRootPom() {
        assertTrue(NodeLayout.Kind.ES_9.version().matches("9\\.\\d+\\.\\d+"), NodeLayout.Kind.ES_9.version());
        assertTrue(NodeLayout.Kind.ES_8.version().matches("8\\.19\\.\\d+"), NodeLayout.Kind.ES_8.version());
        assertTrue(NodeLayout.Kind.KAFKA.version().matches("\\d+\\.\\d+\\.\\d+"), NodeLayout.Kind.KAFKA.version());
    }

    @Test
    void elasticsearchHomeHasTheNettyModuleAndNoNettyOnTheServerClasspath() throws Exception {
        Path home = NodeLayout.home(NodeLayout.Kind.ES_9);
        try (var lib = Files.list(home.resolve("lib"))) {
            assertTrue(lib.map(p -> p.getFileName().toString())
                    .noneMatch(n -> n.startsWith("netty-")
                            || n.startsWith("transport-netty4")
                            || n.startsWith("elasticsearch-ssl-config")));
        }
        Path module = home.resolve("modules/transport-netty4");
        try (var m = Files.list(module)) {
            assertTrue(m.map(p -> p.getFileName().toString()).anyMatch(n -> n.startsWith("netty-codec-http-")));
        }
        String descriptor = Files.readString(module.resolve("plugin-descriptor.properties"));
        assertTrue(descriptor.contains("elasticsearch.version=" + NodeLayout.Kind.ES_9.version()), descriptor);
    }

    @Test
    void anExplicitHomeThatIsNotALayoutIsAnErrorNamingTheProperty(@TempDir Path empty) {
        String old = System.getProperty("meshlens.es8.home");
        System.setProperty("meshlens.es8.home", empty.toString());
        try {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> NodeLayout.home(NodeLayout.Kind.ES_8));
            assertTrue(e.getMessage().contains("meshlens.es8.home"), e.getMessage());
            assertTrue(e.getMessage().contains("no lib/ folder"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("meshlens.es8.home");
            } else {
                System.setProperty("meshlens.es8.home", old);
            }
        }
    }

    @Test
    void problemNamesWhatIsMissing(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        assertEquals("no jars in lib/", NodeLayout.problem(NodeLayout.Kind.KAFKA, dir));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        assertNull(NodeLayout.problem(NodeLayout.Kind.KAFKA, dir));
        assertNotNull(NodeLayout.problem(NodeLayout.Kind.ES_9, dir));
    }
}
