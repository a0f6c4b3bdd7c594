package dev.meshlens.query.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {
    @Test
    void configuredNameWinsOverPodNameAndHostName() {
        assertEquals(
                Optional.of("qa-1"),
                GroupMembership.instanceId(
                        true, "qa-1", Map.of("POD_NAME", "pod-7", "HOSTNAME", "host-7"), () -> "local"));
    }

    @Test
    void podNameThenHostnameThenHostName() {
        assertEquals(
                Optional.of("pod-7"),
                GroupMembership.instanceId(
                        true, " ", Map.of("POD_NAME", "pod-7", "HOSTNAME", "host-7"), () -> "local"));
        assertEquals(
                Optional.of("host-7"),
                GroupMembership.instanceId(true, null, Map.of("HOSTNAME", "host-7"), () -> "local"));
        assertEquals(Optional.of("local"), GroupMembership.instanceId(true, null, Map.of(), () -> "local"));
    }

    @Test
    void offOrNamelessMeansDynamicMembership() {
        assertEquals(Optional.empty(), GroupMembership.instanceId(false, "qa-1", Map.of("POD_NAME", "p"), () -> "h"));
        assertEquals(Optional.empty(), GroupMembership.instanceId(true, null, Map.of(), () -> null));
    }
}
