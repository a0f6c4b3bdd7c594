package dev.meshlens.simulator;

import dev.meshlens.events.BoringSsl;
import dev.meshlens.events.BoringSsl.Reason;

/**
 * The BoringSSL reasons the simulated handshakes raise and the strings Envoy writes for them. Codes and
 * names come from the one table in {@link BoringSsl} (the collector decodes with the same table), so a
 * name BoringSSL does not have fails here at class load instead of being written into a log.
 */
public final class EnvoyTlsErrors {
    private EnvoyTlsErrors() {}

    public static final Reason CERTIFICATE_VERIFY_FAILED = BoringSsl.ssl("CERTIFICATE_VERIFY_FAILED");
    public static final Reason PEER_DID_NOT_RETURN_A_CERTIFICATE = BoringSsl.ssl("PEER_DID_NOT_RETURN_A_CERTIFICATE");
    public static final Reason HTTP_REQUEST = BoringSsl.ssl("HTTP_REQUEST");
    public static final Reason UNSUPPORTED_PROTOCOL = BoringSsl.ssl("UNSUPPORTED_PROTOCOL");
    public static final Reason WRONG_VERSION_NUMBER = BoringSsl.ssl("WRONG_VERSION_NUMBER");
    public static final Reason ALERT_HANDSHAKE_FAILURE = BoringSsl.ssl("SSLV3_ALERT_HANDSHAKE_FAILURE");
    public static final Reason ALERT_BAD_CERTIFICATE = BoringSsl.ssl("SSLV3_ALERT_BAD_CERTIFICATE");
    public static final Reason ALERT_CERTIFICATE_EXPIRED = BoringSsl.ssl("SSLV3_ALERT_CERTIFICATE_EXPIRED");
    public static final Reason ALERT_CERTIFICATE_UNKNOWN = BoringSsl.ssl("SSLV3_ALERT_CERTIFICATE_UNKNOWN");
    public static final Reason ALERT_UNKNOWN_CA = BoringSsl.ssl("TLSV1_ALERT_UNKNOWN_CA");
    public static final Reason ALERT_PROTOCOL_VERSION = BoringSsl.ssl("TLSV1_ALERT_PROTOCOL_VERSION");
    public static final Reason ALERT_CERTIFICATE_REQUIRED = BoringSsl.ssl("TLSV1_ALERT_CERTIFICATE_REQUIRED");
    public static final Reason CONNECTION_RESET = BoringSsl.sys(104);

    /**
     * Envoy's transport failure reason: {@code TLS_error:|<code>:<lib>:OPENSSL_internal:<name>[:<detail>]:TLS_error_end}
     * (the form of Envoy 1.24+; the validator detail is appended by 1.28+).
     */
    public static String tlsError(Reason r, String detail) {
        StringBuilder sb = new StringBuilder("TLS_error:|")
                .append(r.code())
                .append(':')
                .append(r.libraryName())
                .append(":OPENSSL_internal:")
                .append(r.name());
        if (detail != null) {
            sb.append(':').append(detail);
        }
        return sb.append(":TLS_error_end").toString();
    }

    /** The same text as it appears inside {@code %RESPONSE_CODE_DETAILS%} (spaces become '_'). */
    public static String inDetails(String tlsError) {
        return tlsError.replace(' ', '_');
    }

    /** Validator detail Envoy appends for an X509 verification error. */
    public static String x509Detail(int depth, String x509Error) {
        return "verify cert failed: X509_verify_cert: certificate verification error at depth " + depth + ": "
                + x509Error;
    }

    public static final String SAN_MATCHER_DETAIL = "verify cert failed: SAN matcher";
}
