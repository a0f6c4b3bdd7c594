package dev.meshlens.correlator;

import dev.meshlens.testkit.PackageCycles;
import org.junit.jupiter.api.Test;

/** The packages of this module depend on each other in one direction only (issue 12: no package cycles). */
class PackageCyclesTest {
    @Test
    void noCycleBetweenThePackagesOfThisModule() {
        PackageCycles.assertNone("dev.meshlens.correlator");
    }
}
