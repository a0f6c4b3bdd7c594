package dev.meshlens.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key tables in docs/ and the JSON Schemas in docs/schemas/ are in step with the services' tables. */
class GeneratedConfigReferenceTest {
    static final Path ROOT = Path.of("..");

    @Test
    void regeneratingTheReferenceChangesNothing() throws Exception {
        List<String> changed = ConfigReference.regenerate(ROOT, false);
        assertEquals(
                List.of(),
                changed,
                "the generated configuration reference is out of date; run"
                        + " ./meshlens config-schema --write-docs and commit the result");
    }

    @Test
    void everyServiceHasItsReference() throws Exception {
        assertEquals(List.of("collector", "redactor", "query-api", "correlator"), ConfigReference.names());
        var expected = ConfigReference.expected(ROOT);
        for (ConfigReference.Service s : ConfigReference.SERVICES) {
            assertTrue(
                    expected.get(s.page())
                            .contains("| `" + s.def().keys().get(0).name() + "` |"),
                    s.page());
            assertTrue(
                    expected.get(s.schemaPath())
                            .contains("\"title\" : \"meshlens " + s.def().service()),
                    s.schemaPath());
        }
    }
}
