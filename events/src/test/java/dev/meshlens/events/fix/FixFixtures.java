package dev.meshlens.events.fix;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TrustBundle;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Two meshes (Istio istio-east, Consul consul-dc1) with real public roots, and findings between them. */
final class FixFixtures {
    private FixFixtures() {}

    static final String ISTIO_TD = "cluster.local";
    static final String CONSUL_TD = "7f42f496-fbc7-8692-05ed-334aa5340c1e.consul";
    static final String FRONTEND = "spiffe://cluster.local/ns/web/sa/frontend";
    static final String LEDGER = "spiffe://" + CONSUL_TD + "/ns/default/dc/dc1/svc/ledger";
    static final String INFO = "spiffe://" + CONSUL_TD + "/ns/default/dc/dc1/svc/info";
    static final String BACKEND = "spiffe://cluster.local/ns/default/sa/backend";

    static String pem(String name) {
        try (InputStream in = FixFixtures.class.getResourceAsStream("/fix/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TrustBundle.Root root(String subject, String fp, String pemFile) {
        return new TrustBundle.Root(
                subject,
                fp,
                "aa",
                "aa",
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2036-01-01T00:00:00Z"),
                pemFile == null ? null : pem(pemFile));
    }

    static final TrustBundle.Root ISTIO_ROOT = root("CN=istio-ca-test,O=cluster.local", "d1104cda", "istio-root.pem");
    static final TrustBundle.Root CONSUL_ROOT = root("CN=pri-test.consul.ca.1234.consul", "c0ffee", "consul-root.pem");

    static Map<String, MeshFacts> meshes() {
        Map<String, MeshFacts> m = new HashMap<>();
        m.put("istio-east", new MeshFacts("istio-east", "istio", ISTIO_TD, "team-web", List.of(ISTIO_ROOT)));
        m.put("consul-dc1", new MeshFacts("consul-dc1", "consul", CONSUL_TD, "team-ledger", List.of(CONSUL_ROOT)));
        return m;
    }

    /** Istio frontend → Consul ledger, or (istioClient false) Consul info → Istio backend. */
    static Finding finding(FailureCategory c, RejectedBy by, boolean istioClient, Map<String, String> details) {
        Map<String, String> d = new HashMap<>(details);
        return istioClient
                ? new Finding(
                        1,
                        "f-" + c + "-" + by + "-i",
                        c,
                        "istio-east",
                        FRONTEND,
                        "consul-dc1",
                        "ledger",
                        LEDGER,
                        by,
                        "direction",
                        Instant.EPOCH,
                        Instant.EPOCH,
                        3,
                        FindingState.OPEN,
                        false,
                        null,
                        List.of(),
                        "text",
                        d,
                        List.of())
                : new Finding(
                        1,
                        "f-" + c + "-" + by + "-c",
                        c,
                        "consul-dc1",
                        INFO,
                        "istio-east",
                        "backend",
                        BACKEND,
                        by,
                        "direction",
                        Instant.EPOCH,
                        Instant.EPOCH,
                        3,
                        FindingState.OPEN,
                        false,
                        null,
                        List.of(),
                        "text",
                        d,
                        List.of());
    }
}
