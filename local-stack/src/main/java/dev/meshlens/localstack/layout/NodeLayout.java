package dev.meshlens.localstack.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where the child-process nodes were laid out by the local-stack build.
 *
 * <p>Lookup order for one {@link Kind}, first match wins:
 * <ol>
 *   <li>system property {@code meshlens.es.home} / {@code meshlens.es8.home} / {@code meshlens.kafka.home};</li>
 *   <li>environment variable {@code MESHLENS_ES_HOME} / {@code MESHLENS_ES8_HOME} / {@code MESHLENS_KAFKA_HOME};</li>
 *   <li>system property {@code meshlens.nodes.dir} (or {@code MESHLENS_NODES_DIR}): a folder holding
 *       {@code es-9/}, {@code es-8/} and {@code kafka/};</li>
 *   <li>next to this class: when it is loaded from {@code local-stack/target/classes} or a jar in
 *       {@code local-stack/target/}, that {@code target/} folder;</li>
 *   <li>{@code local-stack/target/} in the working directory or one of its parents (Surefire runs
 *       each module's tests in the module folder, so this finds the checkout being tested);</li>
 *   <li>the {@code target/} folder recorded at build time in {@code dev/meshlens/localstack/nodes.properties}
 *       (this is what finds the layouts when the jar comes from the local Maven repository).</li>
 * </ol>
 * An explicitly set location (1–3) that does not hold a valid layout is an error, never skipped.
 */
public final class NodeLayout {
    /** The three node layouts. */
    public enum Kind {
        ES_9("es-9", "meshlens.es.home", "MESHLENS_ES_HOME", "es9.version", "Elasticsearch"),
        ES_8("es-8", "meshlens.es8.home", "MESHLENS_ES8_HOME", "es8.version", "Elasticsearch"),
        KAFKA("kafka", "meshlens.kafka.home", "MESHLENS_KAFKA_HOME", "kafka.version", "Kafka");

        private final String dirName;
        private final String property;
        private final String envVar;
        private final String versionKey;
        private final String product;

        Kind(String dirName, String property, String envVar, String versionKey, String product) {
            this.dirName = dirName;
            this.property = property;
            this.envVar = envVar;
            this.versionKey = versionKey;
            this.product = product;
        }

        public String dirName() {
            return dirName;
        }

        public String property() {
            return property;
        }

        public String envVar() {
            return envVar;
        }

        /** The version the build laid out, e.g. 9.5.3. */
        public String version() {
            return BUILD.getProperty(versionKey, "unknown");
        }

        public String displayName() {
            return product + " " + version();
        }
    }

    public static final String NODES_DIR_PROPERTY = "meshlens.nodes.dir";
    public static final String NODES_DIR_ENV = "MESHLENS_NODES_DIR";

    private static final Properties BUILD = loadBuildProperties();

    private NodeLayout() {}

    /** The home folder of {@code kind}, validated; throws with every place looked at otherwise. */
    public static Path home(Kind kind) {
        List<String> looked = new ArrayList<>();
        String explicit = System.getProperty(kind.property);
        if (explicit != null && !explicit.isBlank()) {
            return requireValid(kind, Path.of(explicit), "system property " + kind.property);
        }
        explicit = System.getenv(kind.envVar);
        if (explicit != null && !explicit.isBlank()) {
            return requireValid(kind, Path.of(explicit), "environment variable " + kind.envVar);
        }
        String nodesDir = System.getProperty(NODES_DIR_PROPERTY);
        String source = "system property " + NODES_DIR_PROPERTY;
        if (nodesDir == null || nodesDir.isBlank()) {
            nodesDir = System.getenv(NODES_DIR_ENV);
            source = "environment variable " + NODES_DIR_ENV;
        }
        if (nodesDir != null && !nodesDir.isBlank()) {
            return requireValid(kind, Path.of(nodesDir).resolve(kind.dirName), source);
        }
        Path besideClasses = targetDirOfThisModule();
        if (besideClasses != null) {
            Path candidate = besideClasses.resolve(kind.dirName);
            if (problem(kind, candidate) == null) {
                return candidate;
            }
            looked.add(candidate + " (next to the local-stack classes: " + problem(kind, candidate) + ")");
        }
        for (Path dir = Path.of(System.getProperty("user.dir", ".")).toAbsolutePath();
                dir != null;
                dir = dir.getParent()) {
            Path candidate = dir.resolve("local-stack").resolve("target").resolve(kind.dirName);
            if (Files.isDirectory(candidate)) {
                if (problem(kind, candidate) == null) {
                    return candidate;
                }
                looked.add(candidate + " (under the working directory: " + problem(kind, candidate) + ")");
                break;
            }
        }
        String recorded = BUILD.getProperty("nodes.dir");
        if (recorded != null && !recorded.isBlank() && !recorded.startsWith("${")) {
            Path candidate = Path.of(recorded).resolve(kind.dirName);
            if (problem(kind, candidate) == null) {
                return candidate;
            }
            looked.add(candidate + " (recorded by the build: " + problem(kind, candidate) + ")");
        }
        throw new IllegalStateException("No " + kind.displayName() + " node layout found. Looked at: "
                + String.join("; ", looked) + ". Build it with "
                + "'mvn -pl local-stack -am install -DskipTests' (from the repository root), or point "
                + "-D" + kind.property + " / " + kind.envVar + " at a laid-out home.");
    }

    /** The {@code target/} folder of the local-stack module when this class is loaded from it, else null. */
    static Path targetDirOfThisModule() {
        try {
            CodeSource cs = NodeLayout.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return null;
            }
            Path loc = Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
            Path parent = loc.getParent();
            if (parent == null) {
                return null;
            }
            if (Files.isDirectory(loc)
                    && loc.getFileName().toString().equals("classes")
                    && parent.getFileName() != null
                    && parent.getFileName().toString().equals("target")) {
                return parent;
            }
            if (Files.isRegularFile(loc)
                    && parent.getFileName() != null
                    && parent.getFileName().toString().equals("target")) {
                return parent;
            }
            return null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path requireValid(Kind kind, Path home, String source) {
        String problem = problem(kind, home);
        if (problem != null) {
            throw new IllegalStateException(
                    "Invalid " + kind.displayName() + " home " + home + " (from " + source + "): " + problem);
        }
        return home.toAbsolutePath().normalize();
    }

    /** Null when {@code home} looks like a complete layout of {@code kind}, else what is missing. */
    static String problem(Kind kind, Path home) {
        Path lib = home.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return "no lib/ folder";
        }
        try (Stream<Path> jars = Files.list(lib)) {
            if (jars.noneMatch(p -> p.getFileName().toString().endsWith(".jar"))) {
                return "no jars in lib/";
            }
        } catch (IOException e) {
            return "lib/ unreadable: " + e.getMessage();
        }
        if (kind != Kind.KAFKA
                && !Files.isRegularFile(home.resolve("modules/transport-netty4/plugin-descriptor.properties"))) {
            return "no modules/transport-netty4/plugin-descriptor.properties";
        }
        return null;
    }

    private static Properties loadBuildProperties() {
        Properties p = new Properties();
        try (InputStream in = NodeLayout.class.getResourceAsStream("/dev/meshlens/localstack/nodes.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
