package dev.meshlens.events.fix;

import dev.meshlens.events.TrustBundle;
import java.util.List;

/**
 * How one mesh kind says each kind of fix. {@link Fixes} decides which mesh must change what (the
 * same for every kind); a dialect turns that into the mesh's own resources, or into described
 * steps where the mesh has no configuration for it. Every method returns a fix applied by the
 * mesh named in its description ({@code s.client()} or {@code s.server()}).
 */
public interface FixDialect {
    /** The kind's wire name. */
    String kind();

    /** {@code verifier} must trust {@code roots} (public roots of {@code presenter}). */
    Fix trustRoots(Situation s, boolean verifierIsClient, List<TrustBundle.Root> roots);

    /** The client's mesh must expect the identity the server actually presents. */
    Fix expectServerIdentity(Situation s, String presentedId);

    /** The server's mesh must accept the client's identity. */
    Fix acceptClientIdentity(Situation s, String clientId);

    /** The owner of an out-of-validity certificate must renew it ({@code serverSide}: the server's). */
    Fix renewCertificate(Situation s, boolean serverSide);

    /** The client's mesh must originate mutual TLS (with its workload certificate) to the server. */
    Fix originateMutualTls(Situation s);

    /** The server's mesh accepts plaintext / one-way TLS on this workload deliberately (PERMISSIVE). */
    Fix permissive(Situation s);

    /** The server's mesh must terminate mutual TLS for the workload (STRICT). */
    Fix requireMutualTls(Situation s);

    /**
     * The mesh {@code ofClient ? client : server} must allow the TLS versions {@code min}..{@code max}
     * (e.g. {@code TLSv1_2}..{@code TLSv1_3}).
     */
    Fix tlsVersions(Situation s, boolean ofClient, String min, String max);

    /** The server's gateway must route the client's SNI to the service (TLS passthrough). */
    Fix routeSni(Situation s);
}
