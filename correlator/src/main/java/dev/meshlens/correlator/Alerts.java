package dev.meshlens.correlator;

import dev.meshlens.events.FailureCategory;

/**
 * What a TLS alert received by one side says the other side's certificate validator saw.
 *
 * <p>Envoy's default validator ({@code source/common/tls/cert_validator/default_validator.cc},
 * {@code DefaultCertValidator::doVerifyCertChain}) answers a failed chain check with
 * {@code SSL_alert_from_verify_result(X509_STORE_CTX_get_error(ctx))}, and a failed SAN check (verify SAN
 * list or SAN matcher, which also bump {@code ssl.fail_verify_san}) with its default
 * {@code tls_alert = SSL_AD_CERTIFICATE_UNKNOWN}; a certificate pin mismatch sends
 * {@code SSL_AD_BAD_CERTIFICATE_HASH_VALUE}. BoringSSL's {@code SSL_alert_from_verify_result}
 * ({@code ssl/ssl_x509.cc}) maps an issuer it cannot find (unable to get local issuer, self-signed in
 * chain, invalid CA...) to {@code SSL_AD_UNKNOWN_CA}, expired or not yet valid to
 * {@code SSL_AD_CERTIFICATE_EXPIRED}, structural rejections (hostname/IP/e-mail mismatch, bad validity
 * fields, untrusted or rejected purpose) to {@code SSL_AD_BAD_CERTIFICATE}, a bad signature to
 * {@code SSL_AD_DECRYPT_ERROR} and anything it does not list to {@code SSL_AD_CERTIFICATE_UNKNOWN}. So
 * {@code certificate_unknown} from an Envoy peer means its SAN check failed, unless an unusual X.509
 * error fell through BoringSSL's table; the finding says which alert decided.
 */
final class Alerts {
    private Alerts() {}

    /** A received alert's reading: the category it implies (null: none narrower than a rejection) and why. */
    record Reading(FailureCategory category, String why) {}

    /** True for a BoringSSL reason name that is a received TLS alert. */
    static boolean isAlert(String reason) {
        return reason != null && (reason.startsWith("TLSV1_ALERT_") || reason.startsWith("SSLV3_ALERT_"));
    }

    /** The reading of a received certificate alert, or null for reasons that are not about the certificate. */
    static Reading read(String reason) {
        if (!isAlert(reason)) {
            return null;
        }
        return switch (reason) {
            case "TLSV1_ALERT_UNKNOWN_CA" ->
                new Reading(
                        FailureCategory.UNTRUSTED_ROOT,
                        "the peer's validator found no trusted root for the chain (unknown_ca)");
            case "SSLV3_ALERT_CERTIFICATE_EXPIRED" ->
                new Reading(
                        FailureCategory.CERT_EXPIRED,
                        "the peer's validator found a certificate outside its validity at its clock (certificate_expired)");
            case "SSLV3_ALERT_CERTIFICATE_UNKNOWN" ->
                new Reading(
                        FailureCategory.SAN_MISMATCH,
                        "Envoy sends certificate_unknown when its SAN list or SAN matcher rejects the presented identity");
            case "SSLV3_ALERT_BAD_CERTIFICATE" ->
                new Reading(
                        null,
                        "BoringSSL rejected the certificate's structure (bad_certificate: name/IP mismatch, malformed validity,"
                                + " untrusted purpose); it does not say which");
            case "TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE" ->
                new Reading(null, "the peer pins certificate hashes or SPKIs and this certificate matches none");
            case "SSLV3_ALERT_CERTIFICATE_REVOKED" -> new Reading(null, "the peer found the certificate revoked (CRL)");
            case "TLSV1_ALERT_DECRYPT_ERROR" -> new Reading(null, "the peer could not verify a signature in the chain");
            case "TLSV1_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_NO_CERTIFICATE" ->
                new Reading(
                        FailureCategory.CLIENT_CERT_MISSING, "the server required a client certificate and got none");
            default -> null;
        };
    }

    /**
     * True when a received alert, read as its own category by the classifier, may also mean {@code category}
     * found by the other side. BoringSSL's TLS 1.2 server ({@code ssl/handshake_server.cc},
     * {@code do_read_client_certificate}: "Fail for TLS only if we required a certificate") refuses a missing
     * client certificate with {@code SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE} and the alert
     * {@code SSL_AD_HANDSHAKE_FAILURE}; only TLS 1.3 sends {@code certificate_required}. So a client's
     * {@code handshake_failure} is a protocol mismatch or, when the server counted a missing certificate, that.
     */
    static boolean mayAlsoMean(String reason, FailureCategory category) {
        return "SSLV3_ALERT_HANDSHAKE_FAILURE".equals(reason) && category == FailureCategory.CLIENT_CERT_MISSING;
    }
}
