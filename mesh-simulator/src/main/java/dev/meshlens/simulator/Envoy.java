package dev.meshlens.simulator;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One simulated Envoy (a sidecar or a gateway): its certificate, its TLS settings as client and
 * as server, and its admin counters.
 */
public final class Envoy {
    private final SimMesh mesh;
    private final String service;
    private final String namespace;
    private final String ip;
    private final boolean gateway;
    private X509Certificate leaf;
    private String identity;
    // the CA that signs this Envoy's certificates: its mesh's, until a root rotation moves it to the next one
    private Pki.Ca issuer;

    // client-side settings
    private boolean sendsClientCert = true;
    private boolean tlsOrigination = true;
    private boolean validatorDetail = true;
    private final Map<String, String> expectedServerSan = new HashMap<>();
    // server-side settings
    private boolean tlsTermination = true;
    private boolean requireClientCert = true;
    private String allowedClientSanPrefix;
    private final Set<String> allowedClientSans = new HashSet<>();
    private boolean permissive;
    private Set<String> routableServices;
    // both
    private String minTls = "TLSv1.2";
    private String maxTls = "TLSv1.3";

    private final Map<String, Long> counters = new ConcurrentHashMap<>();
    private boolean reporting = true;

    Envoy(SimMesh mesh, String service, String namespace, String ip, boolean gateway) {
        this.mesh = mesh;
        this.service = service;
        this.namespace = namespace;
        this.ip = ip;
        this.gateway = gateway;
    }

    /** Issues a new workload certificate valid in [notBefore, notAfter]. */
    public Envoy reissue(Instant notBefore, Instant notAfter) {
        this.identity = mesh.spiffeIdFor(namespace, service);
        this.leaf = issuer().issueLeaf(identity, notBefore, notAfter);
        return this;
    }

    /** Issues a new workload certificate from {@code ca} (a root rotation reaching this workload). */
    public Envoy reissueBy(Pki.Ca ca, Instant notBefore, Instant notAfter) {
        this.issuer = ca;
        return reissue(notBefore, notAfter);
    }

    /** The CA that signs this Envoy's certificate. */
    public Pki.Ca issuer() {
        return issuer == null ? mesh.ca() : issuer;
    }

    /** The chain this Envoy presents: Istio sends leaf + root, Consul sends the leaf only. */
    public List<X509Certificate> presentedChain() {
        return mesh.dialect().sendsRootInChain() ? List.of(leaf, issuer().root()) : List.of(leaf);
    }

    /** The SPIFFE ID this client expects from {@code server} (its configured SAN matcher). */
    public String expectedSanFor(Envoy server) {
        return expectedServerSan.getOrDefault(server.service(), server.identity());
    }

    /** Makes this client expect the server identity under its own mesh's naming template (a SAN mismatch). */
    public Envoy expectServerSan(String serverService, String spiffeId) {
        if (spiffeId == null) {
            expectedServerSan.remove(serverService); // back to the server's own identity
            return this;
        }
        expectedServerSan.put(serverService, spiffeId);
        return this;
    }

    public Envoy clearExpectedSans() {
        expectedServerSan.clear();
        return this;
    }

    /** The identity {@code server} would have under THIS mesh's naming template. */
    public String ownTemplateIdentityOf(Envoy server) {
        SimMesh own = mesh;
        String td = server.mesh().trustDomain();
        return SimDialect.identity(own.kind(), td, "default", server.service());
    }

    void count(String name, long delta) {
        counters.merge(name, delta, Long::sum);
    }

    /** Counter name for this Envoy's inbound listener. */
    public String listenerStatPrefix() {
        return gateway ? "listener.0.0.0.0_8443." : "listener.0.0.0.0_15006.";
    }

    public String listenerName() {
        return gateway ? "0.0.0.0_8443" : "0.0.0.0_15006";
    }

    /** A snapshot of the admin counters, sorted by name. */
    public Map<String, Long> counters() {
        return new TreeMap<>(counters);
    }

    public SimMesh mesh() {
        return mesh;
    }

    public String service() {
        return service;
    }

    public String namespace() {
        return namespace;
    }

    public String ip() {
        return ip;
    }

    public boolean gateway() {
        return gateway;
    }
    /** Whether this Envoy's access logs and stats are collected (false: a blind side with no collector). */
    public boolean reporting() {
        return reporting && mesh.reporting();
    }

    public Envoy reporting(boolean b) {
        reporting = b;
        return this;
    }

    public X509Certificate leaf() {
        return leaf;
    }

    public String identity() {
        return identity;
    }

    public boolean sendsClientCert() {
        return sendsClientCert;
    }

    public Envoy sendsClientCert(boolean b) {
        sendsClientCert = b;
        return this;
    }

    public boolean tlsOrigination() {
        return tlsOrigination;
    }

    public Envoy tlsOrigination(boolean b) {
        tlsOrigination = b;
        return this;
    }
    /** Whether this Envoy appends the validator detail to TLS errors (Envoy 1.28+); false: plain CERTIFICATE_VERIFY_FAILED. */
    public boolean validatorDetail() {
        return validatorDetail;
    }

    public Envoy validatorDetail(boolean b) {
        validatorDetail = b;
        return this;
    }

    public boolean tlsTermination() {
        return tlsTermination;
    }

    public Envoy tlsTermination(boolean b) {
        tlsTermination = b;
        return this;
    }

    public boolean requireClientCert() {
        return requireClientCert;
    }

    public Envoy requireClientCert(boolean b) {
        requireClientCert = b;
        return this;
    }

    public String allowedClientSanPrefix() {
        return allowedClientSanPrefix;
    }

    public Envoy allowedClientSanPrefix(String p) {
        allowedClientSanPrefix = p;
        return this;
    }
    /** Client identities admitted besides the prefix (an ALLOW policy naming them). */
    public boolean admitsClientSan(String san) {
        return allowedClientSanPrefix == null
                || san.startsWith(allowedClientSanPrefix)
                || allowedClientSans.contains(san);
    }

    public Envoy allowClientSan(String san) {
        allowedClientSans.add(san);
        return this;
    }
    /** PERMISSIVE: accepts plaintext and TLS without a client certificate besides mutual TLS. */
    public boolean permissive() {
        return permissive;
    }

    public Envoy permissive(boolean b) {
        permissive = b;
        return this;
    }
    /** For a gateway: the services it has a filter chain (SNI route) for; null = all. */
    public Set<String> routableServices() {
        return routableServices;
    }

    public Envoy routableServices(Set<String> s) {
        routableServices = s;
        return this;
    }

    public String minTls() {
        return minTls;
    }

    public String maxTls() {
        return maxTls;
    }

    public Envoy tlsVersions(String min, String max) {
        minTls = min;
        maxTls = max;
        return this;
    }

    @Override
    public String toString() {
        return mesh.id() + "/" + service;
    }
}
