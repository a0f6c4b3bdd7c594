package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;

/**
 * The correlator's meters, registered on whatever registry its host gives it: the query API's Prometheus
 * registry when it runs in-process, its own when it runs alone. The correlator is the only component that
 * knows both meshes of a pair, so it alone counts handshakes per mesh pair. The names are part of the
 * metric contract ({@code dashboards/metric-names.txt}); dashboards and alert rules use them.
 */
public final class CorrelatorMetrics {
    public static final String HANDSHAKE_FAILURES = "meshlens.handshake.failures";
    public static final String HANDSHAKE_SUCCESSES = "meshlens.handshake.successes";

    /** Tag value used when a side's mesh is not known (one-sided observation). */
    public static final String UNKNOWN_MESH = "unknown";

    private static final CorrelatorMetrics NONE = new CorrelatorMetrics();

    /** Null when nothing is recorded ({@link #none()}). */
    private final MeterRegistry registry;

    public CorrelatorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private CorrelatorMetrics() {
        this.registry = null;
    }

    /** Records nothing (tests and benchmarks that do not look at meters). */
    public static CorrelatorMetrics none() {
        return NONE;
    }

    /** Counts failed handshakes of a mesh pair. */
    public void handshakeFailure(String clientMesh, String serverMesh, FailureCategory category, long n) {
        if (registry == null) {
            return;
        }
        Counter.builder(HANDSHAKE_FAILURES)
                .description("Failed cross-mesh mTLS handshakes by client mesh, server mesh and category")
                .tags(Tags.of(
                        "client_mesh",
                        mesh(clientMesh),
                        "server_mesh",
                        mesh(serverMesh),
                        "category",
                        category == null ? FailureCategory.UNKNOWN.name() : category.name()))
                .register(registry)
                .increment(n);
    }

    /** Counts successful handshakes of a mesh pair. */
    public void handshakeSuccess(String clientMesh, String serverMesh, long n) {
        if (registry == null) {
            return;
        }
        Counter.builder(HANDSHAKE_SUCCESSES)
                .description("Successful cross-mesh mTLS handshakes by client mesh and server mesh")
                .tags(Tags.of("client_mesh", mesh(clientMesh), "server_mesh", mesh(serverMesh)))
                .register(registry)
                .increment(n);
    }

    /** A blank or missing mesh id is tagged {@link #UNKNOWN_MESH}. */
    public static String mesh(String m) {
        return m == null || m.isBlank() ? UNKNOWN_MESH : m;
    }
}
