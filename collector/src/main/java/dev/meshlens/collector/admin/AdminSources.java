package dev.meshlens.collector.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventIds;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.MeshKind;
import dev.meshlens.events.ObserverRole;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SourceKind;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.mesh.AdminEndpoints;
import dev.meshlens.events.mesh.ConsulProfile;
import dev.meshlens.events.mesh.EnvoyProfile;
import dev.meshlens.events.mesh.TrustBundleSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy admin and trust-bundle sources: {@code /stats?format=json} {@code ssl.*} counters of listeners
 * and clusters turned into delta events (the server side of failed handshakes is often only visible
 * there), {@code /certs} (completed from {@code /config_dump}, see {@link TlsConfigDump}) into certificate
 * inventory events, and trust bundles from PEM files or a mesh's roots API (Consul's
 * {@code /v1/connect/ca/roots}). The paths are the mesh profile's ({@link AdminEndpoints}). One instance per endpoint; not thread-safe (keeps the previous poll).
 */
public final class AdminSources {
    /** {@code known} when the presented chain came with issuers and key ids (from /config_dump), else {@code unknown}. */
    public static final String ATTR_ISSUERS = "certs.issuers";
    /** How many of the event's first certificates are the Envoy's trusted CAs (the rest it presents). */
    public static final String ATTR_TRUSTED_CAS = "certs.trusted_cas";

    private static final Logger LOG = LoggerFactory.getLogger(AdminSources.class);
    private static final ObjectMapper M = new ObjectMapper();
    private final HttpClient http;
    private final HttpsTrust trust;
    private final String meshId;
    private final MeshKind meshKind;
    private final String cluster;
    private final PolledEnvoy envoy;
    private final Map<String, Long> previous = new HashMap<>();
    private Instant previousAt;

    /**
     * The Envoy behind an admin endpoint, as its source configuration names it: an admin poll carries no
     * identity of its own, and without one a server listener's {@code ssl.*} delta cannot pair with the
     * client half that called it.
     *
     * @param localUriSan its SPIFFE ID, or null
     * @param workload its workload (service) name, or null
     */
    public record PolledEnvoy(String localUriSan, String workload) {
        public static final PolledEnvoy UNNAMED = new PolledEnvoy(null, null);

        void applyTo(MeshEvent.Builder b, Map<String, String> attributes) {
            if (localUriSan != null) {
                b.localUriSan(localUriSan);
            }
            if (workload != null) {
                attributes.put("workload", workload);
            }
        }
    }

    public AdminSources(String meshId, MeshKind meshKind, String cluster) {
        this(meshId, meshKind, cluster, PolledEnvoy.UNNAMED);
    }

    public AdminSources(String meshId, MeshKind meshKind, String cluster, PolledEnvoy envoy) {
        this(meshId, meshKind, cluster, envoy, new HttpsTrust(null, "sources.trust_bundles[].ca_file"));
    }

    /** {@code trust}: which CA this source's HTTPS requests trust (e.g. Consul's private CA on port 8501). */
    public AdminSources(String meshId, MeshKind meshKind, String cluster, PolledEnvoy envoy, HttpsTrust trust) {
        this.trust = trust;
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        SSLContext ssl = trust.sslContext();
        if (ssl != null) {
            hb.sslContext(ssl);
        }
        this.http = hb.build();
        this.meshId = meshId;
        this.meshKind = meshKind;
        this.cluster = cluster;
        this.envoy = envoy == null ? PolledEnvoy.UNNAMED : envoy;
    }

    private String get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .GET();
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode());
        }
        return r.body();
    }

    /** Polls {@code /stats?format=json}; the first poll only sets the baseline. */
    public List<MeshEvent> pollStats(String adminUrl) throws IOException, InterruptedException {
        String body = get(trim(adminUrl) + admin().statsPath(), Map.of());
        return statsEvents(adminUrl, M.readTree(body), Instant.now());
    }

    List<MeshEvent> statsEvents(String adminUrl, JsonNode root, Instant now) {
        Map<String, Map<String, Long>> deltas = new LinkedHashMap<>();
        Map<String, Long> current = new HashMap<>();
        for (JsonNode s : root.path("stats")) {
            JsonNode name = s.get("name");
            JsonNode value = s.get("value");
            if (name == null || value == null || !value.canConvertToLong()) {
                continue;
            }
            String n = name.asText();
            int ssl = n.lastIndexOf(".ssl.");
            if (ssl < 0 || !(n.startsWith("listener.") || n.startsWith("cluster."))) {
                continue;
            }
            long v = value.asLong();
            current.put(n, v);
            Long prev = previous.get(n);
            if (previousAt == null) {
                continue;
            }
            long d = prev == null ? v : v >= prev ? v - prev : v;
            if (d == 0) {
                continue;
            }
            String scopeAndName = n.substring(0, ssl);
            deltas.computeIfAbsent(scopeAndName, k -> new LinkedHashMap<>()).put(n.substring(ssl + 1), d);
        }
        double interval =
                previousAt == null ? 0 : Duration.between(previousAt, now).toMillis() / 1000.0;
        previous.clear();
        previous.putAll(current);
        boolean first = previousAt == null;
        previousAt = now;
        List<MeshEvent> out = new ArrayList<>();
        if (first) {
            return out;
        }
        for (Map.Entry<String, Map<String, Long>> e : deltas.entrySet()) {
            String key = e.getKey();
            boolean listener = key.startsWith("listener.");
            String scope = listener ? "listener" : "cluster";
            String name = key.substring(scope.length() + 1);
            StatsDelta sd = new StatsDelta(scope, name, e.getValue(), interval);
            MeshEvent.Builder b = MeshEvent.builder()
                    .eventId(EventIds.of(meshId, "admin:" + trim(adminUrl) + ":stats:" + key, now.toEpochMilli()))
                    .observedTime(now)
                    .meshId(meshId)
                    .meshKind(meshKind)
                    .cluster(cluster)
                    .sourceKind(SourceKind.ENVOY_STATS)
                    .observerRole(listener ? ObserverRole.SERVER : ObserverRole.CLIENT)
                    .stats(sd);
            if (!listener) {
                b.upstreamCluster(name);
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            envoy.applyTo(b, attrs);
            b.attributes(attrs);
            TlsFailure f = failureOf(sd);
            if (f != null) {
                b.tls(f);
            }
            out.add(b.build());
        }
        return out;
    }

    /** The most specific failure the counters imply, or null (handshakes only). */
    static TlsFailure failureOf(StatsDelta sd) {
        String raw = sd.scope() + "." + sd.name() + " " + sd.deltas();
        if (sd.delta("ssl.fail_verify_san") > 0) {
            return new TlsFailure(
                    FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null, "ssl.fail_verify_san", null, raw);
        }
        if (sd.delta("ssl.fail_verify_no_cert") > 0) {
            return new TlsFailure(
                    FailureCategory.CLIENT_CERT_MISSING, RejectedBy.SELF, null, "ssl.fail_verify_no_cert", null, raw);
        }
        if (sd.delta("ssl.fail_verify_error") > 0 || sd.delta("ssl.fail_verify_cert_hash") > 0) {
            return new TlsFailure(
                    FailureCategory.CERT_REJECTED, RejectedBy.SELF, null, "ssl.fail_verify_error", null, raw);
        }
        if (sd.delta("ssl.connection_error") > 0) {
            return new TlsFailure(FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, null, "ssl.connection_error", null, raw);
        }
        return null;
    }

    /**
     * The {@code /config_dump} resources tried, in order, for the TLS configuration: where the mesh's profile
     * says its proxies keep certificates (SDS secrets, or listeners where Consul inlines them). {@code resource=}
     * needs Envoy 1.18 or later; a resource no dump has answers 404 (envoy source/server/admin/config_dump_handler.cc).
     */
    List<String> tlsResources() {
        return meshKind == null
                ? EnvoyProfile.PROFILE.admin().tlsConfigDumpResources()
                : meshKind.profile().admin().tlsConfigDumpResources();
    }

    private AdminEndpoints admin() {
        return meshKind == null
                ? EnvoyProfile.PROFILE.admin()
                : meshKind.profile().admin();
    }

    /**
     * Polls {@code /certs}: one event with the certificates this Envoy holds and trusts, completed with the
     * issuer, fingerprint and key identifiers {@code /config_dump} shows of them (Envoy's {@code /certs}
     * has none); without a usable dump, {@code /certs} alone as before.
     */
    public MeshEvent pollCerts(String adminUrl) throws IOException, InterruptedException {
        JsonNode certs = M.readTree(get(trim(adminUrl) + admin().certsPath(), Map.of()));
        return certsEvent(adminUrl, certs, tlsConfig(adminUrl), Instant.now());
    }

    /** What the config dump shows of the TLS configuration, or nothing when it is unreachable or empty. */
    TlsConfigDump.Found tlsConfig(String adminUrl) throws InterruptedException {
        TlsConfigDump.Found best = TlsConfigDump.Found.NOTHING;
        for (String resource : tlsResources()) {
            String url = trim(adminUrl) + "/config_dump?resource=" + resource;
            TlsConfigDump.Found f;
            try {
                f = TlsConfigDump.read(M.readTree(get(url, Map.of())));
            } catch (IOException | RuntimeException e) {
                // the class only: a parser's message quotes the body, and the body is a proxy's secret configuration
                LOG.debug(
                        "{}: {}",
                        url,
                        e instanceof IOException
                                        && e.getMessage() != null
                                        && e.getMessage().startsWith("GET ")
                                ? e.getMessage()
                                : e.getClass().getSimpleName());
                continue;
            }
            if (f.unreadable() > 0 || f.onDisk() > 0) {
                LOG.debug("{}: {} certificate(s) unreadable, {} on the proxy's disk", url, f.unreadable(), f.onDisk());
            }
            if (!f.chain().isEmpty()) {
                return f;
            }
            if (best.isEmpty()) {
                best = f;
            }
        }
        return best;
    }

    MeshEvent certsEvent(String adminUrl, JsonNode root, Instant now) {
        return certsEvent(adminUrl, root, TlsConfigDump.Found.NOTHING, now);
    }

    MeshEvent certsEvent(String adminUrl, JsonNode root, TlsConfigDump.Found dump, Instant now) {
        List<CertificateInfo> fromCerts = new ArrayList<>();
        for (JsonNode c : root.path("certificates")) {
            for (JsonNode ca : c.path("ca_cert")) {
                fromCerts.add(certOf(ca, true));
            }
            for (JsonNode leaf : c.path("cert_chain")) {
                fromCerts.add(certOf(leaf, false));
            }
        }
        CertsInventory inv = CertsInventory.of(fromCerts, dump);
        List<CertificateInfo> certs = inv.certificates();
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < certs.size(); i++) {
            CertificateInfo ci = certs.get(i);
            if (ci.notAfter() != null) {
                attrs.put("cert." + i + ".days_until_expiry", String.valueOf(ci.daysUntilExpiry(now)));
            }
        }
        attrs.put(ATTR_ISSUERS, inv.issuersKnown() ? "known" : "unknown");
        attrs.put(ATTR_TRUSTED_CAS, String.valueOf(inv.trustedCas()));
        if (!inv.issuersKnown()) {
            LOG.debug("{}: no certificate chain in /config_dump; /certs only, issuers unknown", trim(adminUrl));
        } else if (inv.withoutIssuer() > 0) {
            LOG.debug(
                    "{}: {} /certs certificate(s) not in /config_dump, issuers unknown",
                    trim(adminUrl),
                    inv.withoutIssuer());
        }
        MeshEvent.Builder b = MeshEvent.builder()
                .eventId(EventIds.of(meshId, "admin:" + trim(adminUrl) + ":certs", now.toEpochMilli()))
                .observedTime(now)
                .meshId(meshId)
                .meshKind(meshKind)
                .cluster(cluster)
                .sourceKind(SourceKind.ENVOY_CERTS)
                .certificates(certs);
        envoy.applyTo(b, attrs);
        return b.attributes(attrs).build();
    }

    private static CertificateInfo certOf(JsonNode n, boolean ca) {
        List<String> uris = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        for (JsonNode san : n.path("subject_alt_names")) {
            if (san.has("uri")) {
                uris.add(san.get("uri").asText());
            } else if (san.has("dns")) {
                dns.add(san.get("dns").asText());
            }
        }
        Instant from = time(n.path("valid_from").asText(null));
        Instant to = time(n.path("expiration_time").asText(null));
        String subject = n.hasNonNull("subject")
                ? n.get("subject").asText()
                : n.path("path").asText(null);
        return new CertificateInfo(
                subject,
                n.hasNonNull("issuer") ? n.get("issuer").asText() : null,
                n.path("serial_number").asText(null),
                null,
                uris,
                dns,
                from,
                to,
                null,
                null,
                ca);
    }

    private static Instant time(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A trust bundle from a PEM file or a folder of PEM files. */
    public TrustBundle bundleFromPem(Path fileOrDir, String trustDomain) throws IOException {
        List<TrustBundle.Root> roots = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(fileOrDir)) {
            try (Stream<Path> s = Files.list(fileOrDir)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        } else {
            files.add(fileOrDir);
        }
        for (Path f : files) {
            String text = Files.readString(f);
            if (!text.contains("BEGIN CERTIFICATE")) {
                continue;
            }
            for (X509Certificate c : Pem.parse(text)) {
                roots.add(Pem.root(c));
            }
        }
        return new TrustBundle(meshId, trustDomain, fileOrDir.toString(), roots);
    }

    /** A trust bundle from Consul's {@code /v1/connect/ca/roots} (the Consul profile's trust-bundle API). */
    public TrustBundle bundleFromConsul(String consulUrl, String token) throws IOException, InterruptedException {
        return bundleFromApi(ConsulProfile.PROFILE.trustBundle(), consulUrl, token);
    }

    /**
     * A trust bundle from a mesh's roots API, as its profile describes it (path, token header, roots and PEM
     * fields).
     *
     * @throws IllegalArgumentException when the source is not an API (the mesh keeps its roots in a PEM file)
     */
    public TrustBundle bundleFromApi(TrustBundleSource api, String baseUrl, String token)
            throws IOException, InterruptedException {
        if (!api.isHttp()) {
            throw new IllegalArgumentException(
                    "this mesh has no roots API: " + api.description() + "; read it with sources.trust_bundles[].path");
        }
        Map<String, String> h =
                token == null || api.tokenHeader() == null ? Map.of() : Map.of(api.tokenHeader(), token);
        String url = trim(baseUrl) + api.httpPath();
        String body;
        try {
            body = get(url, h);
        } catch (IOException e) {
            IOException named = trust.explain(e, url);
            throw named != null ? named : e;
        }
        return bundleFromApiJson(api, url, M.readTree(body));
    }

    TrustBundle bundleFromConsulJson(String source, JsonNode root) {
        return bundleFromApiJson(ConsulProfile.PROFILE.trustBundle(), source, root);
    }

    TrustBundle bundleFromApiJson(TrustBundleSource api, String source, JsonNode root) {
        List<TrustBundle.Root> roots = new ArrayList<>();
        for (JsonNode r : root.path(api.rootsField())) {
            String pem = r.path(api.rootPemField()).asText("");
            if (pem.contains("BEGIN CERTIFICATE")) {
                for (X509Certificate c : Pem.parse(pem)) {
                    roots.add(Pem.root(c));
                }
            }
        }
        String td = api.trustDomainField() == null
                ? null
                : root.path(api.trustDomainField()).asText(null);
        return new TrustBundle(meshId, td, source, roots);
    }

    /** The event carrying a trust bundle. */
    public MeshEvent bundleEvent(TrustBundle b, Instant now) {
        StringBuilder fp = new StringBuilder();
        b.roots().forEach(r -> fp.append(r.sha256Fingerprint()).append(','));
        return MeshEvent.builder()
                .eventId(EventIds.of(
                        meshId, "trust-bundle:" + b.source(), fp.toString().hashCode()))
                .observedTime(now)
                .meshId(meshId)
                .meshKind(meshKind)
                .cluster(cluster)
                .sourceKind(SourceKind.TRUST_BUNDLE)
                .trustBundle(b)
                .build();
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
