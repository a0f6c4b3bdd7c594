package dev.meshlens.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Fails when the packages of a module depend on each other in a cycle (a → b → … → a). Every package under
 * the root (the root itself included) is one node; an edge is any use in the compiled classes (imports, fully
 * qualified names, signatures, annotations), so a reference in a comment does not count and a fully qualified
 * one does. Each module calls {@link #assertNone} from one small test over its own main classes.
 */
public final class PackageCycles {
    private PackageCycles() {}

    /** Asserts that the main (non-test) classes under {@code rootPackage} have no cycle between packages. */
    public static void assertNone(String rootPackage) {
        JavaClasses classes = mainClasses(rootPackage);
        assertFalse(classes.isEmpty(), "no compiled classes found under " + rootPackage);
        List<String> cycles = cycles(classes, rootPackage);
        if (!cycles.isEmpty()) {
            throw new AssertionError("packages under " + rootPackage + " depend on each other in a cycle; cut one edge "
                    + "(move the shared type to the package both use, or invert the call):\n"
                    + String.join("\n", cycles));
        }
    }

    /**
     * The compiled main classes of the package from class-path folders (the module's own {@code target/classes},
     * not its tests, not jars). Looked up by resource name rather than by ArchUnit's package scan, which walks
     * every jar of the class path (close to a minute for the query API's); classes outside are not resolved.
     */
    private static JavaClasses mainClasses(String rootPackage) {
        List<URL> folders = new ArrayList<>();
        try {
            Enumeration<URL> e = PackageCycles.class.getClassLoader().getResources(rootPackage.replace('.', '/'));
            while (e.hasMoreElements()) {
                URL u = e.nextElement();
                if ("file".equals(u.getProtocol()) && !u.getPath().contains("/test-classes/")) {
                    folders.add(u);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            return new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importUrls(folders);
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    /** The cycles between packages under {@code rootPackage} among {@code classes}, described; empty when none. */
    public static List<String> cycles(JavaClasses classes, String rootPackage) {
        EvaluationResult result = SlicesRuleDefinition.slices()
                .assignedFrom(new EachPackage(rootPackage))
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .evaluate(classes);
        return result.hasViolation() ? result.getFailureReport().getDetails() : List.of();
    }

    /** One slice per package under the root; classes elsewhere are ignored. */
    private record EachPackage(String root) implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String p = javaClass.getPackageName();
            return p.equals(root) || p.startsWith(root + ".") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "packages under " + root;
        }
    }
}
