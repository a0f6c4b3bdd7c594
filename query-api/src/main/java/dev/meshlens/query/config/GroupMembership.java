package dev.meshlens.query.config;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stable name under which this instance joins its consumer groups as a static member
 * ({@code group.instance.id}). A static member that restarts within the session timeout gets its
 * partitions back at once: no rebalance, and no ~45 s in which nobody owns them because the group
 * waits for the dead member's session to expire. The name must survive a restart and be unique per
 * replica: a StatefulSet pod name, else the host name.
 */
public final class GroupMembership {
    private GroupMembership() {}

    /**
     * @param enabled {@code kafka.static_membership}
     * @param configured {@code kafka.instance_id}, or null/blank to derive it
     * @param env the process environment ({@code POD_NAME}, then {@code HOSTNAME})
     * @param hostname the host name when the environment names none
     * @return the instance id, empty when static membership is off or no name can be found
     */
    public static Optional<String> instanceId(
            boolean enabled, String configured, Map<String, String> env, Supplier<String> hostname) {
        if (!enabled) {
            return Optional.empty();
        }
        for (String candidate : new String[] {configured, env.get("POD_NAME"), env.get("HOSTNAME")}) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.strip());
            }
        }
        String h = hostname.get();
        return h == null || h.isBlank() ? Optional.empty() : Optional.of(h.strip());
    }

    /** {@link #instanceId} from the real environment and host name. */
    public static Optional<String> instanceId(boolean enabled, String configured) {
        return instanceId(enabled, configured, System.getenv(), GroupMembership::localHostName);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return null;
        }
    }
}
