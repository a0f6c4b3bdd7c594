package dev.meshlens.simulator;

import dev.meshlens.events.BoringSsl;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides one mTLS handshake between a client Envoy and a server Envoy by real checks, in the
 * order TLS 1.3 performs them: plaintext vs TLS, protocol versions, the client verifying the
 * server's chain (PKIX path to a trusted root at the client's clock, then the SAN matcher), the
 * server requiring and verifying the client's chain (at the server's clock).
 */
public final class Handshake {
    private Handshake() {}

    /** What one side observed: its Envoy's error (if any) and the counters that moved. */
    public record Half(
            BoringSsl.Reason reason,
            String validatorDetail,
            FailureCategory category,
            RejectedBy rejectedBy,
            List<String> counters) {
        /** A half whose validator added no detail, with the counters that moved. */
        static Half of(BoringSsl.Reason reason, FailureCategory category, RejectedBy rejectedBy, String... counters) {
            return new Half(reason, null, category, rejectedBy, List.of(counters));
        }

        public boolean failed() {
            return category != null;
        }

        /** The {@code TLS_error:|…:TLS_error_end} text, or null when no TLS error was raised. */
        public String tlsError() {
            return reason == null ? null : EnvoyTlsErrors.tlsError(reason, validatorDetail);
        }
    }

    /**
     * The verdict. {@code category}/{@code rejectedBy} are the truth (rejectedBy from the client's
     * point of view); {@code client}/{@code server} what each Envoy saw.
     */
    public record Result(
            boolean success,
            FailureCategory category,
            RejectedBy rejectedBy,
            Half client,
            Half server,
            boolean noRoute,
            boolean plaintextClient,
            String tlsVersion,
            String why) {
        /** A failed handshake of TLS peers (neither a missing route nor a plaintext client). */
        static Result failure(
                FailureCategory category,
                RejectedBy rejectedBy,
                Half client,
                Half server,
                String tlsVersion,
                String why) {
            return new Result(false, category, rejectedBy, client, server, false, false, tlsVersion, why);
        }
    }

    private static final List<String> VERSIONS = List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    public static Result decide(Envoy client, Envoy server, Envoy gateway, Instant trueTime) {
        List<String> none = List.of();
        String serverPrefix = (gateway != null && server == null ? gateway : server).listenerStatPrefix();
        // 1. gateway SNI routing (TLS passthrough): no filter chain -> the gateway resets the connection.
        if (gateway != null
                && gateway.routableServices() != null
                && !gateway.routableServices().contains(server.service())) {
            Half c = new Half(
                    EnvoyTlsErrors.CONNECTION_RESET, null, FailureCategory.CONNECTION_RESET, RejectedBy.UNKNOWN, none);
            Half s = Half.of(
                    null,
                    FailureCategory.NO_ROUTE,
                    RejectedBy.UNKNOWN,
                    gateway.listenerStatPrefix() + "no_filter_chain_match");
            return new Result(
                    false,
                    FailureCategory.NO_ROUTE,
                    RejectedBy.PEER,
                    c,
                    s,
                    true,
                    false,
                    null,
                    "gateway " + gateway + " has no filter chain for the SNI of " + server.service());
        }
        // 2. plaintext vs TLS.
        if (!client.tlsOrigination() && server.tlsTermination() && !server.permissive()) {
            Half c = new Half(null, null, FailureCategory.CONNECTION_RESET, RejectedBy.UNKNOWN, none);
            // the TLS server's own BoringSSL raised HTTP_REQUEST: it detected the plaintext itself (rejected_by self,
            // as the classifier corpus reads it)
            Half s = Half.of(
                    EnvoyTlsErrors.HTTP_REQUEST,
                    FailureCategory.PLAINTEXT_MISMATCH,
                    RejectedBy.SELF,
                    serverPrefix + "ssl.connection_error");
            return new Result(
                    false,
                    FailureCategory.PLAINTEXT_MISMATCH,
                    RejectedBy.PEER,
                    c,
                    s,
                    false,
                    true,
                    null,
                    client + " sends plaintext to " + server + ", which requires TLS");
        }
        if (client.tlsOrigination() && !server.tlsTermination()) {
            // the TLS client's BoringSSL raised WRONG_VERSION_NUMBER on the plaintext answer: rejected_by self; the
            // plaintext server only saw bytes its HTTP codec could not parse (no TLS verdict: unknown)
            Half c = new Half(
                    EnvoyTlsErrors.WRONG_VERSION_NUMBER,
                    null,
                    FailureCategory.PLAINTEXT_MISMATCH,
                    RejectedBy.SELF,
                    none);
            Half s = new Half(null, null, FailureCategory.PLAINTEXT_MISMATCH, RejectedBy.UNKNOWN, none);
            return Result.failure(
                    FailureCategory.PLAINTEXT_MISMATCH,
                    RejectedBy.SELF,
                    c,
                    s,
                    null,
                    client + " speaks TLS to " + server + ", which serves plaintext");
        }
        if (!client.tlsOrigination()) {
            // plaintext on both sides, or a PERMISSIVE server that accepts the plaintext
            return new Result(true, null, null, ok(none), ok(none), false, true, null, "plaintext on both sides");
        }
        String clientPrefix = "cluster." + clusterStatName(client, server) + ".";
        // 3. protocol versions.
        int cMin = VERSIONS.indexOf(client.minTls()), cMax = VERSIONS.indexOf(client.maxTls());
        int sMin = VERSIONS.indexOf(server.minTls()), sMax = VERSIONS.indexOf(server.maxTls());
        if (cMax < sMin) {
            Half c = Half.of(
                    EnvoyTlsErrors.ALERT_PROTOCOL_VERSION,
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    clientPrefix + "ssl.connection_error");
            Half s = Half.of(
                    EnvoyTlsErrors.UNSUPPORTED_PROTOCOL,
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.SELF,
                    serverPrefix + "ssl.connection_error");
            return Result.failure(
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    c,
                    s,
                    null,
                    server + " requires at least " + server.minTls() + " but " + client + " offers at most "
                            + client.maxTls());
        }
        if (sMax < cMin) {
            Half c = Half.of(
                    EnvoyTlsErrors.UNSUPPORTED_PROTOCOL,
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.SELF,
                    clientPrefix + "ssl.connection_error");
            Half s = Half.of(
                    EnvoyTlsErrors.ALERT_PROTOCOL_VERSION,
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    serverPrefix + "ssl.connection_error");
            return Result.failure(
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.SELF,
                    c,
                    s,
                    null,
                    client + " requires at least " + client.minTls() + " but " + server + " offers at most "
                            + server.maxTls());
        }
        String version = VERSIONS.get(Math.min(cMax, sMax));
        // 4. the client verifies the server.
        Instant clientNow = client.mesh().clock(trueTime);
        Verdict v = verify(server.presentedChain(), client.mesh().trustedRoots(), clientNow);
        if (v != Verdict.OK) {
            boolean detail = client.validatorDetail();
            BoringSsl.Reason alert =
                    v == Verdict.UNTRUSTED ? EnvoyTlsErrors.ALERT_UNKNOWN_CA : EnvoyTlsErrors.ALERT_CERTIFICATE_EXPIRED;
            FailureCategory cat =
                    v == Verdict.UNTRUSTED ? FailureCategory.UNTRUSTED_ROOT : FailureCategory.CERT_EXPIRED;
            Half c = new Half(
                    EnvoyTlsErrors.CERTIFICATE_VERIFY_FAILED,
                    detail ? x509Detail(v, server.presentedChain()) : null,
                    detail ? cat : FailureCategory.CERT_REJECTED,
                    RejectedBy.SELF,
                    List.of(clientPrefix + "ssl.fail_verify_error", clientPrefix + "ssl.connection_error"));
            Half s = Half.of(alert, cat, RejectedBy.PEER, serverPrefix + "ssl.connection_error");
            return Result.failure(
                    cat,
                    RejectedBy.SELF,
                    c,
                    s,
                    version,
                    client + " rejected the certificate of " + server + ": " + v.text);
        }
        String expected = client.expectedSanFor(server);
        String presented = Pki.uriSan(server.leaf());
        if (!expected.equals(presented)) {
            boolean detail = client.validatorDetail();
            Half c = new Half(
                    EnvoyTlsErrors.CERTIFICATE_VERIFY_FAILED,
                    detail ? EnvoyTlsErrors.SAN_MATCHER_DETAIL : null,
                    detail ? FailureCategory.SAN_MISMATCH : FailureCategory.CERT_REJECTED,
                    RejectedBy.SELF,
                    List.of(clientPrefix + "ssl.fail_verify_san", clientPrefix + "ssl.connection_error"));
            Half s = Half.of(
                    EnvoyTlsErrors.ALERT_BAD_CERTIFICATE,
                    FailureCategory.CERT_REJECTED,
                    RejectedBy.PEER,
                    serverPrefix + "ssl.connection_error");
            return Result.failure(
                    FailureCategory.SAN_MISMATCH,
                    RejectedBy.SELF,
                    c,
                    s,
                    version,
                    client + " expected " + expected + " but " + server + " presented " + presented);
        }
        // 5. the server requires and verifies the client's certificate.
        if (server.requireClientCert() && !(server.permissive() && !client.sendsClientCert())) {
            if (!client.sendsClientCert()) {
                Half c = Half.of(
                        EnvoyTlsErrors.ALERT_CERTIFICATE_REQUIRED,
                        FailureCategory.CLIENT_CERT_MISSING,
                        RejectedBy.PEER,
                        clientPrefix + "ssl.connection_error");
                Half s = Half.of(
                        EnvoyTlsErrors.PEER_DID_NOT_RETURN_A_CERTIFICATE,
                        FailureCategory.CLIENT_CERT_MISSING,
                        RejectedBy.SELF,
                        serverPrefix + "ssl.fail_verify_no_cert",
                        serverPrefix + "ssl.connection_error");
                return Result.failure(
                        FailureCategory.CLIENT_CERT_MISSING,
                        RejectedBy.PEER,
                        c,
                        s,
                        version,
                        server + " requires a client certificate; " + client + " sent none");
            }
            Instant serverNow = server.mesh().clock(trueTime);
            Verdict sv = verify(client.presentedChain(), server.mesh().trustedRoots(), serverNow);
            if (sv != Verdict.OK) {
                boolean detail = server.validatorDetail();
                BoringSsl.Reason alert = sv == Verdict.UNTRUSTED
                        ? EnvoyTlsErrors.ALERT_UNKNOWN_CA
                        : EnvoyTlsErrors.ALERT_CERTIFICATE_EXPIRED;
                FailureCategory cat =
                        sv == Verdict.UNTRUSTED ? FailureCategory.UNTRUSTED_ROOT : FailureCategory.CERT_EXPIRED;
                Half c = Half.of(alert, cat, RejectedBy.PEER, clientPrefix + "ssl.connection_error");
                Half s = new Half(
                        EnvoyTlsErrors.CERTIFICATE_VERIFY_FAILED,
                        detail ? x509Detail(sv, client.presentedChain()) : null,
                        detail ? cat : FailureCategory.CERT_REJECTED,
                        RejectedBy.SELF,
                        List.of(serverPrefix + "ssl.fail_verify_error", serverPrefix + "ssl.connection_error"));
                return Result.failure(
                        cat,
                        RejectedBy.PEER,
                        c,
                        s,
                        version,
                        server + " rejected the certificate of " + client + ": " + sv.text);
            }
            String clientSan = Pki.uriSan(client.leaf());
            if (!server.admitsClientSan(clientSan)) {
                boolean detail = server.validatorDetail();
                Half c = Half.of(
                        EnvoyTlsErrors.ALERT_BAD_CERTIFICATE,
                        FailureCategory.CERT_REJECTED,
                        RejectedBy.PEER,
                        clientPrefix + "ssl.connection_error");
                Half s = new Half(
                        EnvoyTlsErrors.CERTIFICATE_VERIFY_FAILED,
                        detail ? EnvoyTlsErrors.SAN_MATCHER_DETAIL : null,
                        detail ? FailureCategory.SAN_MISMATCH : FailureCategory.CERT_REJECTED,
                        RejectedBy.SELF,
                        List.of(serverPrefix + "ssl.fail_verify_san", serverPrefix + "ssl.connection_error"));
                return Result.failure(
                        FailureCategory.SAN_MISMATCH,
                        RejectedBy.PEER,
                        c,
                        s,
                        version,
                        server + " expected a client identity under " + server.allowedClientSanPrefix() + " but "
                                + client + " presented " + clientSan);
            }
        }
        return new Result(
                true,
                null,
                null,
                ok(List.of(clientPrefix + "ssl.handshake")),
                ok(List.of(serverPrefix + "ssl.handshake")),
                false,
                false,
                version,
                "ok");
    }

    private static Half ok(List<String> counters) {
        return new Half(null, null, null, null, counters);
    }

    static String clusterStatName(Envoy client, Envoy server) {
        return Traffic.upstreamCluster(client, server);
    }

    enum Verdict {
        OK("ok"),
        UNTRUSTED("unable to get local issuer certificate"),
        EXPIRED("certificate has expired"),
        NOT_YET_VALID("certificate is not yet valid"),
        OTHER("certificate verification error");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    private static String x509Detail(Verdict v, List<X509Certificate> chain) {
        if (v == Verdict.UNTRUSTED && chain.size() > 1) {
            return EnvoyTlsErrors.x509Detail(1, "self-signed certificate in certificate chain");
        }
        return EnvoyTlsErrors.x509Detail(0, v == Verdict.OTHER ? "certificate signature failure" : v.text);
    }

    private record TrustKey(List<X509Certificate> chain, List<X509Certificate> roots) {}

    private static final Map<TrustKey, Verdict> TRUST_CACHE =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<TrustKey, Verdict> e) {
                    return size() > 4096;
                }
            });

    /**
     * Verification of {@code chain} against {@code roots} at {@code at}, in BoringSSL's order: the path
     * to a trusted root first (PKIX, cached per chain and bundle), then the validity of every certificate.
     */
    static Verdict verify(List<X509Certificate> chain, List<X509Certificate> roots, Instant at) {
        Verdict trust = TRUST_CACHE.computeIfAbsent(
                new TrustKey(List.copyOf(chain), List.copyOf(roots)),
                k -> pkix(k.chain(), k.roots(), k.chain().get(0).getNotBefore().toInstant()));
        if (trust != Verdict.OK) {
            return trust;
        }
        for (X509Certificate c : chain) {
            if (at.isBefore(c.getNotBefore().toInstant())) {
                return Verdict.NOT_YET_VALID;
            }
            if (at.isAfter(c.getNotAfter().toInstant())) {
                return Verdict.EXPIRED;
            }
        }
        return Verdict.OK;
    }

    /** PKIX path validation at {@code at}. */
    static Verdict pkix(List<X509Certificate> chain, List<X509Certificate> roots, Instant at) {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate r : roots) {
                anchors.add(new TrustAnchor(r, null));
            }
            List<X509Certificate> path = new ArrayList<>();
            for (X509Certificate c : chain) {
                boolean selfSigned = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
                if (!selfSigned) {
                    path.add(c);
                }
            }
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters p = new PKIXParameters(anchors);
            p.setRevocationEnabled(false);
            p.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX").validate(cp, p);
            return Verdict.OK;
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Verdict.EXPIRED;
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Verdict.NOT_YET_VALID;
            }
            if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                return Verdict.UNTRUSTED;
            }
            return Verdict.OTHER;
        } catch (Exception e) {
            throw new IllegalStateException("PKIX validation could not run: " + e, e);
        }
    }
}
