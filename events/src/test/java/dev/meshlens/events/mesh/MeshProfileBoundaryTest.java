package dev.meshlens.events.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md: "Nothing outside the profile asks 'is this Istio?'". Scans the production sources of every
 * module: outside {@code dev.meshlens.events.mesh} no class spells a kind's wire name as a string literal,
 * compares a kind against a named one, or switches on one. Test helpers (testkit, src/test) may name kinds.
 */
class MeshProfileBoundaryTest {
    /** The profile package itself: the one place that knows the kinds. */
    private static final String PROFILES = "events/src/main/java/dev/meshlens/events/mesh/";

    /**
     * Literals that are not a question about the kind: the default access-log preset of the collector's file and
     * OTLP sources is Istio's (a configuration default, shown as such in docs/collector.md); the label selector
     * {@code istio: ingressgateway} that Istio's own remediation dialect writes into a Gateway resource.
     */
    private static final Set<String> ALLOWED = Set.of(
            "collector/src/main/java/dev/meshlens/collector/config/CollectorKeys.java:\"istio\"",
            "events/src/main/java/dev/meshlens/events/fix/IstioFixes.java:\"istio\"");

    private static final Pattern KIND_CONSTANT_COMPARED = Pattern.compile(
            "[!=]=\\s*(dev\\.meshlens\\.events\\.)?MeshKind\\.[A-Z]+\\b|\\bMeshKind\\.[A-Z]+\\s*[!=]="
                    + "|equals\\(\\s*(dev\\.meshlens\\.events\\.)?MeshKind\\.[A-Z]+\\s*\\)|\\bMeshKind\\.[A-Z]+\\.equals\\(");
    private static final Pattern PROFILE_COMPARED =
            Pattern.compile("[!=]=\\s*\\w+Profile\\.(PROFILE|NAME)\\b|\\b\\w+Profile\\.(PROFILE|NAME)\\s*[!=]="
                    + "|equals\\(\\s*\\w+Profile\\.(PROFILE|NAME)\\s*\\)|\\b\\w+Profile\\.(PROFILE|NAME)\\.equals\\(");
    private static final Pattern CASE_ON_KIND = Pattern.compile("\\bcase\\s+(ISTIO|CONSUL|KUMA|OTHER)\\b");

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("events/pom.xml"))) {
            p = p.getParent();
        }
        return p;
    }

    static List<Path> productionSources(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(Files::isDirectory).toList()) {
                Path main = m.resolve("src/main/java");
                if (!Files.isDirectory(main) || m.getFileName().toString().equals("testkit")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Problems of one source text; {@code relative} names it in messages and the allow-list. */
    static List<String> problems(String relative, String text, List<String> kindNames) {
        List<String> out = new ArrayList<>();
        String code = withoutComments(text);
        for (String k : kindNames) {
            String literal = "\"" + k + "\"";
            if (code.contains(literal) && !ALLOWED.contains(relative + ":" + literal)) {
                out.add(relative + ": spells the kind " + literal + "; ask the event's profile (MeshKind.profile())");
            }
        }
        for (Pattern p : List.of(KIND_CONSTANT_COMPARED, PROFILE_COMPARED, CASE_ON_KIND)) {
            Matcher m = p.matcher(code);
            while (m.find()) {
                out.add(relative + ": asks which kind it is ('" + m.group()
                        + "'); ask the profile what it needs instead");
            }
        }
        return out;
    }

    private static String withoutComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    @Test
    void noProductionClassOutsideTheProfilesAsksWhichKindItIs() throws IOException {
        Path root = root();
        List<String> kinds = MeshProfiles.names().stream()
                .filter(n -> !n.equals(EnvoyProfile.NAME))
                .toList();
        List<String> problems = new ArrayList<>();
        List<Path> sources = productionSources(root);
        assertTrue(sources.size() > 100, "found the modules' sources: " + sources.size());
        for (Path f : sources) {
            String relative = root.relativize(f).toString().replace('\\', '/');
            if (relative.startsWith(PROFILES)) {
                continue;
            }
            problems.addAll(problems(relative, Files.readString(f), kinds));
        }
        assertEquals(List.of(), problems);
    }

    /** The scan would catch each way of asking (so a green run means something). */
    @Test
    void theScanRecognisesEachWayOfAsking() {
        List<String> kinds = List.of("istio", "consul", "kuma");
        assertFalse(
                problems("x/A.java", "if (\"istio\".equals(kind)) {}", kinds).isEmpty());
        assertFalse(problems("x/A.java", "if (e.meshKind() == MeshKind.CONSUL) {}", kinds)
                .isEmpty());
        assertFalse(
                problems("x/A.java", "if (MeshKind.ISTIO.equals(k)) {}", kinds).isEmpty());
        assertFalse(
                problems("x/A.java", "switch (k) { case KUMA -> 1; }", kinds).isEmpty());
        assertFalse(
                problems("x/A.java", "if (p == IstioProfile.PROFILE) {}", kinds).isEmpty());
        assertFalse(problems("x/A.java", "if (ConsulProfile.NAME.equals(n)) {}", kinds)
                .isEmpty());
        assertEquals(List.of(), problems("x/A.java", "// \"istio\" in a comment\nkind.profile().identity();", kinds));
    }
}
