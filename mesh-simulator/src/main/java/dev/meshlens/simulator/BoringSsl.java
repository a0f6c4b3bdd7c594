package dev.meshlens.simulator;

/**
 * BoringSSL error codes and the strings Envoy writes for them. A packed code is
 * {@code (library << 24) | reason}; the SSL library is 16, TLS alerts are reason 1000 + alert
 * number, system errors (library 2) carry errno.
 */
public final class BoringSsl {
  private BoringSsl() {}

  public static final int LIB_SYS = 2;
  public static final int LIB_SSL = 16;

  /** A reason with its packed code and BoringSSL name. */
  public record Reason(int library, int reason, String name) {
    public long code() {
      return ((long) library << 24) | reason;
    }

    /** The library name as BoringSSL prints it. */
    public String libraryName() {
      return library == LIB_SYS ? "system library" : "SSL routines";
    }

    /** True when this is a TLS alert received from the peer. */
    public boolean isAlert() {
      return library == LIB_SSL && reason >= 1000;
    }
  }

  public static final Reason CERTIFICATE_VERIFY_FAILED = new Reason(LIB_SSL, 125, "CERTIFICATE_VERIFY_FAILED");
  public static final Reason PEER_DID_NOT_RETURN_A_CERTIFICATE =
      new Reason(LIB_SSL, 199, "PEER_DID_NOT_RETURN_A_CERTIFICATE");
  public static final Reason HTTP_REQUEST = new Reason(LIB_SSL, 156, "HTTP_REQUEST");
  public static final Reason UNSUPPORTED_PROTOCOL = new Reason(LIB_SSL, 240, "UNSUPPORTED_PROTOCOL");
  public static final Reason WRONG_VERSION_NUMBER = new Reason(LIB_SSL, 247, "WRONG_VERSION_NUMBER");
  public static final Reason ALERT_HANDSHAKE_FAILURE = new Reason(LIB_SSL, 1040, "SSLV3_ALERT_HANDSHAKE_FAILURE");
  public static final Reason ALERT_BAD_CERTIFICATE = new Reason(LIB_SSL, 1042, "SSLV3_ALERT_BAD_CERTIFICATE");
  public static final Reason ALERT_CERTIFICATE_EXPIRED = new Reason(LIB_SSL, 1045, "SSLV3_ALERT_CERTIFICATE_EXPIRED");
  public static final Reason ALERT_CERTIFICATE_UNKNOWN = new Reason(LIB_SSL, 1046, "SSLV3_ALERT_CERTIFICATE_UNKNOWN");
  public static final Reason ALERT_UNKNOWN_CA = new Reason(LIB_SSL, 1048, "TLSV1_ALERT_UNKNOWN_CA");
  public static final Reason ALERT_PROTOCOL_VERSION = new Reason(LIB_SSL, 1070, "TLSV1_ALERT_PROTOCOL_VERSION");
  public static final Reason ALERT_CERTIFICATE_REQUIRED =
      new Reason(LIB_SSL, 1116, "TLSV13_ALERT_CERTIFICATE_REQUIRED");
  public static final Reason CONNECTION_RESET = new Reason(LIB_SYS, 104, "Connection reset by peer");

  /**
   * Envoy's transport failure reason: {@code TLS_error:|<code>:<lib>:OPENSSL_internal:<name>[:<detail>]:TLS_error_end}
   * (the form of Envoy 1.24+; the validator detail is appended by 1.28+).
   */
  public static String tlsError(Reason r, String detail) {
    StringBuilder sb = new StringBuilder("TLS_error:|").append(r.code()).append(':').append(r.libraryName())
        .append(":OPENSSL_internal:").append(r.name());
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
