package dev.meshlens.simulator;

import dev.meshlens.events.MeshKind;
import dev.meshlens.events.TrustBundle;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated mesh: its CA, its trust bundle, its clock and what its operators turned on
 * (listener access logs, {@code ssl.*} stats, a collector that reports at all).
 */
public final class SimMesh {
    private final String id;
    private final MeshKind kind;
    private final String trustDomain;
    private final String cluster;
    private final Pki.Ca ca;
    private final List<X509Certificate> trustedRoots = new ArrayList<>();
    private Pki.Ca next;
    private final Map<String, Envoy> envoys = new LinkedHashMap<>();
    private Duration clockSkew = Duration.ZERO;
    private boolean listenerLogs = true;
    private boolean statsReported = true;
    private boolean reporting = true;
    private boolean permissiveAllowed;

    SimMesh(String id, MeshKind kind, String trustDomain, String cluster, Pki.Ca ca) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.trustDomain = trustDomain;
        this.cluster = cluster;
        this.ca = ca;
        trustedRoots.add(ca.root());
    }

    /** An Istio mesh (trust domain usually {@code cluster.local}). */
    public static SimMesh istio(long seed, String id, String trustDomain, Instant now) {
        Pki.Ca ca = Pki.newCa(
                seed,
                "O=cluster.local,CN=istio-ca-" + id,
                now.minus(Duration.ofDays(30)),
                now.plus(Duration.ofDays(3650)));
        return new SimMesh(id, MeshKind.ISTIO, trustDomain, "k8s-" + id, ca);
    }

    /** A Consul mesh with trust domain {@code <uuid>.consul} derived from the seed. */
    public static SimMesh consul(long seed, String id, Instant now) {
        String td = java.util
                        .UUID
                        .nameUUIDFromBytes(("consul-" + seed + "-" + id).getBytes(StandardCharsets.UTF_8))
                        .toString()
                + ".consul";
        Pki.Ca ca = Pki.newCa(
                seed + 1,
                "CN=pri-" + Long.toHexString(seed & 0xfffffL) + ".consul.ca." + td.substring(0, 8) + ".consul",
                now.minus(Duration.ofDays(30)),
                now.plus(Duration.ofDays(3650)));
        return new SimMesh(id, MeshKind.CONSUL, td, "consul-" + id, ca);
    }

    /** The SPIFFE ID this mesh's template gives a workload. */
    public String spiffeIdFor(String namespace, String service) {
        return SimDialect.identity(kind, trustDomain, namespace, service);
    }

    /** Adds a sidecar (or gateway) Envoy with a fresh certificate valid around {@code now}. */
    public Envoy addEnvoy(String service, String namespace, String ip, boolean gateway, Instant now) {
        Envoy e = new Envoy(this, service, namespace, ip, gateway);
        e.reissue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(24)));
        envoys.put(service, e);
        return e;
    }

    public Envoy envoy(String service) {
        Envoy e = envoys.get(service);
        if (e == null) {
            throw new IllegalArgumentException("mesh " + id + " has no envoy for service " + service);
        }
        return e;
    }

    public List<Envoy> envoys() {
        return List.copyOf(envoys.values());
    }

    /** Adds another mesh's root to this mesh's trust bundle (the trust bundle exchange of thesis §6.2). */
    public SimMesh trust(SimMesh other) {
        if (!trustedRoots.contains(other.ca.root())) {
            trustedRoots.add(other.ca.root());
        }
        return this;
    }

    /** Adds a root given as a certificate (a fix carrying another mesh's public root). */
    public SimMesh trustRoot(X509Certificate root) {
        if (!trustedRoots.contains(root)) {
            trustedRoots.add(root);
        }
        return this;
    }

    /**
     * The first step of a root rotation: a new CA whose root this mesh's own bundle holds from now on,
     * signing nothing yet. Its peers do not hold it until someone imports it.
     */
    public Pki.Ca stageNextRoot(long seed, Instant now) {
        if (next == null) {
            next = Pki.newCa(
                    seed,
                    "CN=" + id + " root 2,O=meshlens-sim",
                    now.minus(Duration.ofMinutes(1)),
                    now.plus(Duration.ofDays(3650)));
            trustedRoots.add(next.root());
        }
        return next;
    }

    /** The second step: one workload's certificate is re-issued by the staged root. */
    public Envoy moveToNextRoot(String service, Instant now) {
        if (next == null) {
            throw new IllegalStateException("mesh " + id + " has no staged root: stageNextRoot first");
        }
        return envoy(service).reissueBy(next, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(24)));
    }

    public SimMesh distrust(SimMesh other) {
        trustedRoots.remove(other.ca.root());
        return this;
    }

    public TrustBundle trustBundle() {
        return Pki.bundle(id, trustDomain, bundleSource(), trustedRoots);
    }

    /** Where the bundle comes from: the kind's roots API path, or its root ConfigMap's name. */
    private String bundleSource() {
        var src = kind.profile().trustBundle();
        return src.isHttp() ? src.httpPath() : kind.wireName() + "-ca-root-cert";
    }

    public String id() {
        return id;
    }

    public MeshKind kind() {
        return kind;
    }

    SimDialect dialect() {
        return SimDialect.of(kind);
    }

    public String trustDomain() {
        return trustDomain;
    }

    public String cluster() {
        return cluster;
    }

    public Pki.Ca ca() {
        return ca;
    }

    public List<X509Certificate> trustedRoots() {
        return List.copyOf(trustedRoots);
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public SimMesh clockSkew(Duration d) {
        this.clockSkew = Objects.requireNonNull(d);
        return this;
    }
    /** Listener access logs for failed inbound handshakes (off by default in real meshes). */
    public boolean listenerLogs() {
        return listenerLogs;
    }

    public SimMesh listenerLogs(boolean b) {
        this.listenerLogs = b;
        return this;
    }
    /** Whether this mesh's collector scrapes and reports Envoy {@code ssl.*} stats. */
    public boolean statsReported() {
        return statsReported;
    }

    public SimMesh statsReported(boolean b) {
        this.statsReported = b;
        return this;
    }
    /** Whether this mesh reports anything at all (false: no collector, a fully blind side). */
    public boolean reporting() {
        return reporting;
    }

    public SimMesh reporting(boolean b) {
        this.reporting = b;
        return this;
    }

    /** Consul's mesh entry AllowEnablingPermissiveMutualTLS: services may then be set permissive. */
    public boolean permissiveAllowed() {
        return permissiveAllowed;
    }

    public SimMesh permissiveAllowed(boolean b) {
        this.permissiveAllowed = b;
        return this;
    }

    /** The mesh's clock at true time {@code t}. */
    public Instant clock(Instant t) {
        return t.plus(clockSkew);
    }

    @Override
    public String toString() {
        return id + "(" + kind.wireName() + ", " + trustDomain + ")";
    }
}
