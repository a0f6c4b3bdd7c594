package dev.meshlens.simulator;

import dev.meshlens.events.fix.Fix;
import dev.meshlens.events.fix.Resource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Applies a generated {@link Fix} to the simulated meshes by reading its resources' text, as the
 * mesh would: istiod's meshConfig (extra roots, minimum TLS version), DestinationRule (mTLS
 * origination, expected SANs), PeerAuthentication (STRICT / PERMISSIVE), AuthorizationPolicy
 * (admitted principals), Consul config entries (service-defaults, mesh, terminating- and
 * ingress-gateway), public roots (PEM) and workload restarts. A resource the simulation has no
 * counterpart for is refused, so a test never passes on a fix it did not apply.
 */
public final class FixApplier {
    private FixApplier() {}

    private static final Pattern RESTART =
            Pattern.compile("kubectl -n ([a-z0-9-]+) rollout restart deployment/([a-z0-9-]+)\\s*");

    /**
     * Applies every resource of {@code fix} to the mesh it names, at true time {@code now}.
     *
     * @return what was changed, one line per resource
     * @throws IllegalArgumentException for a resource the simulation cannot apply
     */
    public static List<String> apply(Fix fix, Federation federation, Instant now) {
        SimMesh mesh = federation.meshes().stream()
                .filter(m -> m.id().equals(fix.mesh()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the federation has no mesh " + fix.mesh()));
        List<String> done = new ArrayList<>();
        for (Resource r : fix.resources()) {
            done.add(r.kind() + " " + r.name() + ": " + applyOne(r, mesh, now));
        }
        return done;
    }

    @SuppressWarnings("unchecked")
    private static String applyOne(Resource r, SimMesh mesh, Instant now) {
        switch (r.format()) {
            case Resource.PEM -> {
                List<X509Certificate> roots = certificates(r.text());
                roots.forEach(mesh::trustRoot);
                return roots.size() + " root(s) added to the trust bundle";
            }
            case Resource.SHELL -> {
                Matcher m = RESTART.matcher(r.text());
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a command the simulation runs: " + r.text());
                }
                mesh.envoy(m.group(2)).reissue(now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
                return "restarted; new certificate";
            }
            case Resource.YAML, Resource.JSON -> {
                Map<String, Object> doc = (Map<String, Object>) new Yaml().load(r.text());
                return r.format().equals(Resource.JSON) ? consul(r.kind(), doc, mesh) : istio(r.kind(), doc, mesh);
            }
            default -> throw new IllegalArgumentException("unknown format " + r.format());
        }
    }

    @SuppressWarnings("unchecked")
    private static String istio(String kind, Map<String, Object> doc, SimMesh mesh) {
        Map<String, Object> spec = (Map<String, Object>) doc.getOrDefault("spec", Map.of());
        switch (kind) {
            case "MeshConfig" -> {
                Map<String, Object> mc = (Map<String, Object>) doc.get("meshConfig");
                int added = 0;
                for (Object o : (List<Object>) mc.getOrDefault("caCertificates", List.of())) {
                    for (X509Certificate c : certificates((String) ((Map<String, Object>) o).get("pem"))) {
                        mesh.trustRoot(c);
                        added++;
                    }
                }
                Map<String, Object> mtls = (Map<String, Object>) mc.get("meshMTLS");
                if (mtls != null && mtls.get("minProtocolVersion") instanceof String v) {
                    // Istio sidecars offer up to TLS 1.3; the setting is the floor
                    mesh.envoys()
                            .forEach(
                                    e -> e.tlsVersions(v.replace("TLSV", "TLSv").replace('_', '.'), "TLSv1.3"));
                }
                return added + " root(s) added" + (mtls != null ? ", mesh mTLS versions set" : "");
            }
            case "DestinationRule" -> {
                String service = serviceOfHost((String) spec.get("host"));
                Map<String, Object> tls =
                        (Map<String, Object>) ((Map<String, Object>) spec.getOrDefault("trafficPolicy", Map.of()))
                                .getOrDefault("tls", Map.of());
                for (Envoy e : mesh.envoys()) {
                    if ("ISTIO_MUTUAL".equals(tls.get("mode"))) {
                        e.tlsOrigination(true).sendsClientCert(true);
                    }
                    if (tls.get("subjectAltNames") instanceof List<?> sans && !sans.isEmpty()) {
                        e.expectServerSan(service, (String) sans.get(0));
                    }
                }
                return "clients of " + service + ": " + tls;
            }
            case "PeerAuthentication" -> {
                Envoy e = selected(spec, mesh);
                String mode = (String) ((Map<String, Object>) spec.getOrDefault("mtls", Map.of())).get("mode");
                boolean permissivePort = spec.get("portLevelMtls") instanceof Map<?, ?> ports
                        && ports.values().stream()
                                .anyMatch(p -> "PERMISSIVE".equals(((Map<String, Object>) p).get("mode")));
                if ("PERMISSIVE".equals(mode) || permissivePort) {
                    e.permissive(true);
                } else if ("STRICT".equals(mode)) {
                    e.permissive(false).tlsTermination(true).requireClientCert(true);
                }
                return e + " " + (e.permissive() ? "PERMISSIVE" : "STRICT");
            }
            case "AuthorizationPolicy" -> {
                Envoy e = selected(spec, mesh);
                for (Object rule : (List<Object>) spec.getOrDefault("rules", List.of())) {
                    for (Object from : (List<Object>) ((Map<String, Object>) rule).getOrDefault("from", List.of())) {
                        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) from).get("source");
                        for (Object p : (List<Object>) source.getOrDefault("principals", List.of())) {
                            e.allowClientSan("spiffe://" + p);
                        }
                    }
                }
                return e + " admits the listed principals";
            }
            default ->
                throw new IllegalArgumentException(
                        "the simulation has no counterpart for Istio " + kind + " (it simulates no Istio gateway)");
        }
    }

    @SuppressWarnings("unchecked")
    private static String consul(String kind, Map<String, Object> doc, SimMesh mesh) {
        switch (kind) {
            case "service-defaults" -> {
                Envoy e = mesh.envoy((String) doc.get("Name"));
                if ("transparent".equals(doc.get("Mode"))) {
                    e.tlsOrigination(true).sendsClientCert(true);
                }
                if ("strict".equals(doc.get("MutualTLSMode"))) {
                    e.permissive(false).tlsTermination(true).requireClientCert(true);
                } else if ("permissive".equals(doc.get("MutualTLSMode"))) {
                    if (!mesh.permissiveAllowed()) {
                        throw new IllegalArgumentException(
                                "Consul refuses MutualTLSMode permissive before the mesh entry sets"
                                        + " AllowEnablingPermissiveMutualTLS");
                    }
                    e.permissive(true);
                }
                return e + " " + doc;
            }
            case "mesh" -> {
                if (Boolean.TRUE.equals(doc.get("AllowEnablingPermissiveMutualTLS"))) {
                    mesh.permissiveAllowed(true);
                }
                Map<String, Object> tls = (Map<String, Object>) doc.get("TLS");
                if (tls != null) {
                    Map<String, Object> in = (Map<String, Object>) tls.get("Incoming");
                    String min = version((String) in.get("TLSMinVersion"));
                    String max = version((String) in.get("TLSMaxVersion"));
                    mesh.envoys().forEach(e -> e.tlsVersions(min, max));
                }
                return "mesh entry applied";
            }
            case "terminating-gateway" -> {
                // through the gateway the chain is verified against its CAFile, not a Consul identity
                Set<String> services = new HashSet<>();
                for (Object s : (List<Object>) doc.getOrDefault("Services", List.of())) {
                    services.add((String) ((Map<String, Object>) s).get("Name"));
                }
                for (Envoy e : mesh.envoys()) {
                    services.forEach(svc -> e.expectServerSan(svc, null));
                }
                return "upstreams " + services + " through the terminating gateway";
            }
            case "ingress-gateway" -> {
                Envoy gw = mesh.envoys().stream()
                        .filter(Envoy::gateway)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("mesh " + mesh.id() + " has no gateway"));
                Set<String> routable = gw.routableServices() == null ? null : new HashSet<>(gw.routableServices());
                for (Object l : (List<Object>) doc.getOrDefault("Listeners", List.of())) {
                    for (Object s : (List<Object>) ((Map<String, Object>) l).getOrDefault("Services", List.of())) {
                        if (routable != null) {
                            routable.add((String) ((Map<String, Object>) s).get("Name"));
                        }
                    }
                }
                gw.routableServices(routable);
                return "gateway routes " + (routable == null ? "every service" : routable);
            }
            default -> throw new IllegalArgumentException("the simulation has no counterpart for Consul " + kind);
        }
    }

    /** {@code TLSv1_2} → {@code TLSv1.2}. */
    private static String version(String consul) {
        return consul.replace('_', '.');
    }

    @SuppressWarnings("unchecked")
    private static Envoy selected(Map<String, Object> spec, SimMesh mesh) {
        Map<String, Object> labels =
                (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        return mesh.envoy((String) labels.get("app"));
    }

    /** {@code ledger.service.consul} / {@code backend.default.svc.cluster.local} → the service. */
    static String serviceOfHost(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(0, dot);
    }

    static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }
}
