package dev.meshlens.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ServiceMainTest {
    @Test
    void theVersionIsTheBuilds() {
        assertNotEquals("dev", ServiceMain.version());
        assertEquals(0, ServiceMain.run(new String[] {"version"}));
    }

    @Test
    void theDemoIsNotInTheImage() {
        assertEquals(2, ServiceMain.run(new String[] {"demo"}));
        assertEquals(2, ServiceMain.run(new String[] {"local-stack"}));
    }
}
