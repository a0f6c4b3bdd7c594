package dev.meshlens.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    private static final String ROOT = "dev.meshlens.testkit.cycles";
    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages(ROOT);

    @Test
    void findsTheCycleBetweenTwoPackages() {
        List<String> cycles = PackageCycles.cycles(FIXTURE, ROOT);
        assertEquals(1, cycles.size(), String.join("\n", cycles));
        assertTrue(cycles.get(0).contains(ROOT + ".a") && cycles.get(0).contains(ROOT + ".b"), cycles.get(0));
    }

    @Test
    void packagesOutsideTheCycleAndReferencesInCommentsAreNoCycle() {
        JavaClasses aAndC = FIXTURE.that(com.tngtech.archunit.base.DescribedPredicate.describe(
                "not in b", c -> !c.getPackageName().endsWith(".b")));
        assertEquals(List.of(), PackageCycles.cycles(aAndC, ROOT));
    }
}
