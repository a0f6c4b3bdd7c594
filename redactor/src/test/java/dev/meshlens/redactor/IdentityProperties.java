package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.EventCodec;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.TlsFailure;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Identities are structure, not secrets (issue 9.1): whatever letters, digits and dashes their
 * names hold, the default policy publishes SPIFFE IDs, SNI names, cluster names and authorities
 * unchanged, in their own fields and inside free text, while a secret planted in the same event
 * is still redacted.
 */
class IdentityProperties {
    static final RedactionEngine DEFAULT = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);

    /** Which fields of an event an identity of this kind lives in. */
    enum Kind {
        SPIFFE,
        SNI,
        CLUSTER,
        CONSUL_NAME,
        AUTHORITY
    }

    record Identity(Kind kind, String value) {}

    static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    /** A Kubernetes / Consul name: lower-case letters, digits and dashes, starting and ending alphanumeric. */
    static Arbitrary<String> name() {
        Arbitrary<Character> edge = Arbitraries.chars().with(LOWER_ALNUM.toCharArray());
        Arbitrary<String> middle =
                Arbitraries.strings().withChars(LOWER_ALNUM + "-").ofMaxLength(38);
        return Combinators.combine(edge, middle, edge, Arbitraries.of(true, false))
                .as((a, m, b, single) -> single && m.isEmpty() ? String.valueOf(a) : a + m + b);
    }

    static Arbitrary<String> uuid() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((a, b) -> new UUID(a, b).toString());
    }

    static Arbitrary<String> dnsName(int minLabels, int maxLabels) {
        return name().list().ofMinSize(minLabels).ofMaxSize(maxLabels).map(l -> String.join(".", l));
    }

    static Arbitrary<String> port() {
        return Arbitraries.integers().between(1, 65535).map(String::valueOf);
    }

    /** An optional path segment such as {@code /ap/<partition>}: empty or the segment. */
    static Arbitrary<String> optional(String prefix, Arbitrary<String> value) {
        return Combinators.combine(Arbitraries.of(true, false), value).as((on, v) -> on ? prefix + v : "");
    }

    static Arbitrary<String> istioHost() {
        return Combinators.combine(name(), name(), Arbitraries.of(".svc.cluster.local", ".svc"))
                .as((svc, ns, suffix) -> svc + "." + ns + suffix);
    }

    static Arbitrary<Identity> istioSpiffe() {
        Arbitrary<String> td = Arbitraries.oneOf(Arbitraries.just("cluster.local"), dnsName(1, 3));
        return Combinators.combine(td, name(), name())
                .as((t, ns, sa) -> new Identity(Kind.SPIFFE, "spiffe://" + t + "/ns/" + ns + "/sa/" + sa));
    }

    static Arbitrary<Identity> consulService() {
        return Combinators.combine(uuid(), optional("/ap/", name()), name(), name(), name())
                .as((td, ap, ns, dc, svc) -> new Identity(
                        Kind.SPIFFE, "spiffe://" + td + ".consul" + ap + "/ns/" + ns + "/dc/" + dc + "/svc/" + svc));
    }

    static Arbitrary<Identity> consulAgentOrGateway() {
        return Combinators.combine(
                        uuid(),
                        optional("/ap/", name()),
                        name(),
                        uuid(),
                        Arbitraries.integers().between(0, 2))
                .as((td, ap, dc, node, form) -> new Identity(
                        Kind.SPIFFE,
                        "spiffe://" + td + ".consul"
                                + switch (form) {
                                    case 0 -> "/agent/client/dc/" + dc + "/id/" + node;
                                    case 1 -> "/agent/server/dc/" + dc;
                                    default -> ap + "/gateway/mesh/dc/" + dc;
                                }));
    }

    static Arbitrary<Identity> genericSpiffe() {
        Arbitrary<String> segment = Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
                .ofMinLength(1)
                .ofMaxLength(30);
        return Combinators.combine(dnsName(1, 3), segment.list().ofMaxSize(6))
                .as((td, segs) -> new Identity(
                        Kind.SPIFFE, "spiffe://" + td + (segs.isEmpty() ? "" : "/" + String.join("/", segs))));
    }

    static Arbitrary<Identity> istioSni() {
        return Combinators.combine(port(), optional("", name()), istioHost())
                .as((p, subset, host) -> new Identity(Kind.SNI, "outbound_." + p + "_." + subset + "_." + host));
    }

    static Arbitrary<Identity> istioCluster() {
        return Combinators.combine(Arbitraries.of("outbound", "inbound"), port(), optional("", name()), istioHost())
                .as((dir, p, subset, host) -> new Identity(
                        Kind.CLUSTER,
                        dir + "|" + p + "|" + subset + "|" + (dir.equals("inbound") && subset.isEmpty() ? "" : host)));
    }

    /** Consul upstream cluster names, which are also the SNI its sidecars send. */
    static Arbitrary<Identity> consulName() {
        return Combinators.combine(
                        name(),
                        name(),
                        name(),
                        name(),
                        uuid(),
                        Arbitraries.integers().between(0, 2))
                .as((svc, ns, dcOrAp, peer, td, form) -> new Identity(
                        Kind.CONSUL_NAME,
                        switch (form) {
                            case 0 -> svc + "." + ns + "." + dcOrAp + ".internal." + td + ".consul";
                            case 1 -> svc + "." + ns + "." + dcOrAp + "." + peer + ".internal-v1." + td + ".consul";
                            default -> svc + "." + ns + "." + dcOrAp + "." + peer + ".external." + td + ".consul";
                        }));
    }

    static Arbitrary<Identity> authority() {
        Arbitrary<String> host = Arbitraries.oneOf(
                istioHost(), name().map(n -> n + ".service.consul"), name().map(n -> n + ".virtual.consul"));
        return Combinators.combine(host, optional(":", port())).as((h, p) -> new Identity(Kind.AUTHORITY, h + p));
    }

    @Provide
    Arbitrary<Identity> identities() {
        return Arbitraries.oneOf(
                istioSpiffe(),
                consulService(),
                consulAgentOrGateway(),
                genericSpiffe(),
                istioSni(),
                istioCluster(),
                consulName(),
                authority());
    }

    /** Free text that quotes an identity, as Envoy and its operators write it. */
    static final List<Function<String, String>> TEXTS = List.of(
            id -> "[2025-04-15 21:45:11.169][15][debug][connection] [source/common/tls/cert_validator/"
                    + "default_validator.cc:339] verify cert failed: SAN matcher: " + id
                    + " is not in the verify SAN list",
            id -> "upstream_reset_before_response_started{remote_connection_failure,TLS_error:|268435581:SSL_routines:"
                    + "OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_SAN_list_failed_for_" + id + ":TLS_error_end}",
            id -> "verify SAN list failed: expected " + id + ", got another identity",
            id -> id + " rejected: unable to get local issuer certificate",
            id -> "{\"peer\":\"" + id + "\",\"error\":\"TLSV1_ALERT_UNKNOWN_CA\"}");

    /** What separates the planted secret from the text with the identity. */
    static final List<String> SEPARATORS = List.of("\n", "; ", " | ", "\t");

    @Provide
    Arbitrary<long[]> plantings() {
        return new PlantedSecretsProperties().plantings();
    }

    @Property(tries = 1000)
    void defaultPolicyNeverAltersIdentities(
            @ForAll("identities") Identity id,
            @ForAll("plantings") long[] planting,
            @ForAll("textIndexes") int text,
            @ForAll("separatorIndexes") int sep,
            @ForAll boolean secretFirst) {
        PlantedSecretsProperties.Planted secret = PlantedSecretsProperties.make((int) planting[0], planting[1]);
        String quoted = TEXTS.get(text).apply(id.value());
        // a secret in front is set apart by a new line: a Cookie: header rightly takes the rest of its line
        String free = secretFirst ? secret.text() + "\n" + quoted : quoted + SEPARATORS.get(sep) + secret.text();

        MeshEvent.Builder b = Corpus.realistic("m", 1).toBuilder()
                .responseCodeDetails(free)
                .connectionTerminationDetails(quoted)
                .upstreamTransportFailureReason(free)
                .tls(new TlsFailure(FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null, null, free, quoted));
        switch (id.kind()) {
            case SPIFFE ->
                b.peerUriSan(id.value()).localUriSan(id.value()).certificates(List.of(cert(id.value(), null)));
            case SNI -> b.requestedServerName(id.value());
            case CLUSTER -> b.upstreamCluster(id.value());
            case CONSUL_NAME -> b.upstreamCluster(id.value()).requestedServerName(id.value());
            case AUTHORITY -> b.authority(id.value()).certificates(List.of(cert(null, id.value())));
        }
        MeshEvent in = b.build();
        MeshEvent out = DEFAULT.redact(in);

        assertEquals(in.peerUriSan(), out.peerUriSan());
        assertEquals(in.localUriSan(), out.localUriSan());
        assertEquals(in.requestedServerName(), out.requestedServerName());
        assertEquals(in.upstreamCluster(), out.upstreamCluster());
        assertEquals(in.authority(), out.authority());
        assertEquals(in.certificates(), out.certificates());
        assertEquals(quoted, out.connectionTerminationDetails());
        assertEquals(quoted, out.tls().rawText());
        for (String f : List.of(
                out.responseCodeDetails(),
                out.upstreamTransportFailureReason(),
                out.tls().detail())) {
            assertTrue(f.contains(id.value()), () -> "identity " + id.value() + " altered in: " + f);
        }
        String json = EventCodec.get().encode(out);
        for (String form : Corpus.forms(secret.core())) {
            assertFalse(
                    json.contains(form),
                    () -> secret.kind() + " survived next to " + id.value() + " as '" + form + "' in: " + json);
        }
    }

    static CertificateInfo cert(String uriSan, String dnsSan) {
        return new CertificateInfo(
                "CN=workload",
                "O=mesh",
                "0a1b2c",
                "3b2f8e5c0d9a4b1c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                uriSan == null ? List.of() : List.of(uriSan),
                dnsSan == null ? List.of() : List.of(dnsSan),
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"),
                "aa11",
                "bb22",
                false);
    }

    @Provide
    Arbitrary<Integer> textIndexes() {
        return Arbitraries.integers().between(0, TEXTS.size() - 1);
    }

    @Provide
    Arbitrary<Integer> separatorIndexes() {
        return Arbitraries.integers().between(0, SEPARATORS.size() - 1);
    }
}
