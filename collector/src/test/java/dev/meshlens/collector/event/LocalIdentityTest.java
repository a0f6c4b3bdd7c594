package dev.meshlens.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.config.ConfigException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LocalIdentityTest {
    private static final String PODS =
            "/var/log/pods/(?<namespace>[^_/]+)_(?<workload>[a-z0-9-]+?)(-[a-z0-9]{8,10})?-[a-z0-9]{5}_";

    @Test
    void kubernetesPodLogPathNamesTheEnvoy() {
        LocalIdentity id =
                new LocalIdentity(Pattern.compile(PODS), "spiffe://cluster.local/ns/{namespace}/sa/{workload}");
        assertEquals(
                "spiffe://cluster.local/ns/payments/sa/ledger",
                id.resolve(
                        "/var/log/pods/payments_ledger-7d9c8b6f5d-x2k9q_0b1c2d3e-aaaa-bbbb-cccc-1234567890ab/istio-proxy/0.log"));
        assertNull(id.resolve("/var/log/somewhere-else.log"));
    }

    @Test
    void placeholdersMustBeGroupsOfThePattern() {
        assertTrue(LocalIdentity.problems(PODS, "spiffe://cluster.local/ns/{namespace}/sa/{workload}")
                .isEmpty());
        assertTrue(LocalIdentity.problems(PODS, "spiffe://td/ns/{ns}/sa/{workload}")
                .get(0)
                .contains("{ns}"));
        assertTrue(
                LocalIdentity.problems("(unclosed", "spiffe://td").get(0).contains("not a valid regular expression"));
    }

    @Test
    void configRejectsHalfAPairAndBadTemplatesNamingTheEntry() {
        String base = """
        mesh: {id: m}
        kafka: {bootstrap_servers: "127.0.0.1:9092"}
        sources:
          files:
            - globs: ["/x/*.log"]
        """;
        ConfigException half = assertThrows(
                ConfigException.class,
                () -> CollectorConfig.parse(base + "      identity_from_path: \"(?<w>.*)\"\n", "t.yaml"));
        assertTrue(
                half.getMessage()
                        .contains(
                                "line 6: Missing configuration sources.files[0].identity_template. Fix: set"
                                        + " identity_from_path (or the {name} parts of the globs) and identity_template together"),
                half.getMessage());
        ConfigException bad = assertThrows(
                ConfigException.class,
                () -> CollectorConfig.parse(
                        base + "      identity_from_path: \"(?<w>.*)\"\n      identity_template: \"spiffe://td/{x}\"\n",
                        "t.yaml"));
        assertTrue(bad.getMessage().contains("{x} is not a named group"), bad.getMessage());
    }
}
