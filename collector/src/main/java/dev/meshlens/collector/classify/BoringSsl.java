package dev.meshlens.collector.classify;

import java.util.HashMap;
import java.util.Map;

/**
 * BoringSSL packed error codes: library in the top byte, reason in the low 12 bits
 * ({@code ERR_PACK}); TLS alerts received from the peer are reason {@code 1000 + alert number}.
 * {@code 268435581 = (16 << 24) | 125} is {@code SSL routines : CERTIFICATE_VERIFY_FAILED}.
 */
public final class BoringSsl {
  public static final int LIB_SYS = 2;
  public static final int LIB_X509 = 11;
  public static final int LIB_SSL = 16;
  /** Reasons at or above this in the SSL library are alerts received from the peer. */
  public static final int ALERT_BASE = 1000;

  private static final String[] LIBRARIES = new String[34];
  private static final Map<Integer, String> SSL_REASONS = new HashMap<>();
  private static final Map<String, Integer> SSL_REASON_CODES = new HashMap<>();
  private static final Map<Integer, String> ERRNO = new HashMap<>();

  static {
    String[] libs = {null, "unknown library", "system library", "bignum routines", "RSA routines",
        "Diffie-Hellman routines", "public key routines", "memory buffer routines", "object identifier routines",
        "PEM routines", "DSA routines", "X.509 certificate routines", "ASN.1 encoding routines",
        "configuration file routines", "common libcrypto routines", "elliptic curve routines", "SSL routines",
        "BIO routines", "PKCS7 routines", "PKCS8 routines", "X509 V3 routines", "random number generator",
        "ENGINE routines", "OCSP routines", "UI routines", "COMP routines", "ECDSA routines", "ECDH routines",
        "HMAC routines", "Digest functions", "Cipher functions", "HKDF functions", "Trust Token functions",
        "User defined functions"};
    System.arraycopy(libs, 0, LIBRARIES, 0, libs.length);
    Object[] r = {
        100, "APP_DATA_IN_HANDSHAKE", 102, "BAD_ALERT", 103, "BAD_CHANGE_CIPHER_SPEC", 107, "BAD_ECC_CERT",
        109, "BAD_HANDSHAKE_RECORD", 111, "BAD_LENGTH", 112, "BAD_PACKET_LENGTH", 114, "BAD_SIGNATURE",
        117, "BAD_SSL_FILETYPE", 119, "BIO_NOT_SET", 121, "BUFFER_TOO_SMALL", 124, "CCS_RECEIVED_EARLY",
        125, "CERTIFICATE_VERIFY_FAILED", 126, "CERT_CB_ERROR", 127, "CERT_LENGTH_MISMATCH",
        131, "CLIENTHELLO_PARSE_FAILED", 132, "CLIENTHELLO_TLSEXT", 133, "CONNECTION_REJECTED",
        134, "CONNECTION_TYPE_NOT_SET", 135, "CUSTOM_EXTENSION_ERROR", 137, "DECODE_ERROR",
        138, "DECRYPTION_FAILED", 139, "DECRYPTION_FAILED_OR_BAD_RECORD_MAC", 142, "DIGEST_CHECK_FAILED",
        145, "EMS_STATE_INCONSISTENT", 148, "ERROR_IN_RECEIVED_CIPHER_LIST", 149, "ERROR_PARSING_EXTENSION",
        150, "EXCESSIVE_MESSAGE_SIZE", 151, "EXTRA_DATA_IN_MESSAGE", 152, "FRAGMENT_MISMATCH",
        154, "HANDSHAKE_FAILURE_ON_CLIENT_HELLO", 155, "HTTPS_PROXY_REQUEST", 156, "HTTP_REQUEST",
        157, "INAPPROPRIATE_FALLBACK", 159, "INVALID_MESSAGE", 160, "INVALID_SSL_SESSION", 162, "LENGTH_MISMATCH",
        164, "MISSING_EXTENSION", 165, "MISSING_RSA_CERTIFICATE", 172, "NO_CERTIFICATES_RETURNED",
        173, "NO_CERTIFICATE_ASSIGNED", 174, "NO_CERTIFICATE_SET", 175, "NO_CIPHERS_AVAILABLE",
        176, "NO_CIPHERS_PASSED", 177, "NO_CIPHER_MATCH", 181, "NO_PRIVATE_KEY_ASSIGNED", 182, "NO_RENEGOTIATION",
        183, "NO_REQUIRED_DIGEST", 184, "NO_SHARED_CIPHER", 190, "PARSE_TLSEXT",
        192, "PEER_DID_NOT_RETURN_A_CERTIFICATE", 193, "PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE",
        194, "PROTOCOL_IS_SHUTDOWN", 198, "READ_TIMEOUT_EXPIRED", 199, "RECORD_LENGTH_MISMATCH",
        200, "RECORD_TOO_LARGE", 203, "REQUIRED_CIPHER_MISSING", 207, "SERVERHELLO_TLSEXT",
        215, "SSL_HANDSHAKE_FAILURE", 217, "TLS_PEER_DID_NOT_RESPOND_WITH_CERTIFICATE_LIST",
        222, "UNEXPECTED_EXTENSION", 223, "UNEXPECTED_MESSAGE", 225, "UNEXPECTED_RECORD", 226, "UNINITIALIZED",
        227, "UNKNOWN_ALERT_TYPE", 228, "UNKNOWN_CERTIFICATE_TYPE", 229, "UNKNOWN_CIPHER_RETURNED",
        233, "UNKNOWN_PROTOCOL", 234, "UNKNOWN_SSL_VERSION", 237, "UNSUPPORTED_CIPHER",
        239, "UNSUPPORTED_ELLIPTIC_CURVE", 240, "UNSUPPORTED_PROTOCOL", 241, "WRONG_CERTIFICATE_TYPE",
        242, "WRONG_CIPHER_RETURNED", 243, "WRONG_CURVE", 244, "WRONG_MESSAGE_TYPE", 245, "WRONG_SIGNATURE_TYPE",
        246, "WRONG_SSL_VERSION", 247, "WRONG_VERSION_NUMBER", 248, "X509_LIB",
        249, "X509_VERIFICATION_SETUP_PROBLEMS", 250, "SHUTDOWN_WHILE_IN_INIT", 251, "INVALID_OUTER_RECORD_TYPE",
        253, "NO_COMMON_SIGNATURE_ALGORITHMS", 254, "DOWNGRADE_DETECTED", 255, "EXCESS_HANDSHAKE_DATA",
        258, "MISSING_KEY_SHARE", 259, "INVALID_ALPN_PROTOCOL", 262, "NO_CIPHERS_SPECIFIED",
        265, "NO_GROUPS_SPECIFIED", 266, "NO_SHARED_GROUP", 272, "CANNOT_PARSE_LEAF_CERT",
        273, "SERVER_CERT_CHANGED", 274, "CERTIFICATE_AND_PRIVATE_KEY_MISMATCH", 280, "NO_SUPPORTED_VERSIONS_ENABLED",
        284, "HANDSHAKE_NOT_COMPLETE", 287, "PRIVATE_KEY_OPERATION_FAILED", 289, "OCSP_CB_ERROR",
        295, "INVALID_SIGNATURE_ALGORITHM", 297, "TLS13_DOWNGRADE", 302, "KEY_USAGE_BIT_INCORRECT",
        307, "NO_APPLICATION_PROTOCOL", 319, "ECH_REJECTED", 323, "NO_MATCHING_ISSUER",
        1000, "SSLV3_ALERT_CLOSE_NOTIFY", 1010, "SSLV3_ALERT_UNEXPECTED_MESSAGE", 1020, "SSLV3_ALERT_BAD_RECORD_MAC",
        1021, "TLSV1_ALERT_DECRYPTION_FAILED", 1022, "TLSV1_ALERT_RECORD_OVERFLOW",
        1030, "SSLV3_ALERT_DECOMPRESSION_FAILURE", 1040, "SSLV3_ALERT_HANDSHAKE_FAILURE",
        1041, "SSLV3_ALERT_NO_CERTIFICATE", 1042, "SSLV3_ALERT_BAD_CERTIFICATE",
        1043, "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE", 1044, "SSLV3_ALERT_CERTIFICATE_REVOKED",
        1045, "SSLV3_ALERT_CERTIFICATE_EXPIRED", 1046, "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
        1047, "SSLV3_ALERT_ILLEGAL_PARAMETER", 1048, "TLSV1_ALERT_UNKNOWN_CA", 1049, "TLSV1_ALERT_ACCESS_DENIED",
        1050, "TLSV1_ALERT_DECODE_ERROR", 1051, "TLSV1_ALERT_DECRYPT_ERROR",
        1060, "TLSV1_ALERT_EXPORT_RESTRICTION", 1070, "TLSV1_ALERT_PROTOCOL_VERSION",
        1071, "TLSV1_ALERT_INSUFFICIENT_SECURITY", 1080, "TLSV1_ALERT_INTERNAL_ERROR",
        1086, "TLSV1_ALERT_INAPPROPRIATE_FALLBACK", 1090, "TLSV1_ALERT_USER_CANCELLED",
        1100, "TLSV1_ALERT_NO_RENEGOTIATION", 1110, "TLSV1_ALERT_UNSUPPORTED_EXTENSION",
        1111, "TLSV1_ALERT_CERTIFICATE_UNOBTAINABLE", 1112, "TLSV1_ALERT_UNRECOGNIZED_NAME",
        1113, "TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE", 1114, "TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE",
        1115, "TLSV1_ALERT_UNKNOWN_PSK_IDENTITY", 1116, "TLSV1_ALERT_CERTIFICATE_REQUIRED",
        1120, "TLSV1_ALERT_NO_APPLICATION_PROTOCOL", 1121, "TLSV1_ALERT_ECH_REQUIRED"};
    for (int i = 0; i < r.length; i += 2) {
      SSL_REASONS.put((Integer) r[i], (String) r[i + 1]);
      SSL_REASON_CODES.put((String) r[i + 1], (Integer) r[i]);
    }
    Object[] e = {1, "Operation not permitted", 4, "Interrupted system call", 32, "Broken pipe",
        99, "Cannot assign requested address", 101, "Network is unreachable", 103, "Software caused connection abort",
        104, "Connection reset by peer", 107, "Transport endpoint is not connected", 110, "Connection timed out",
        111, "Connection refused", 113, "No route to host"};
    for (int i = 0; i < e.length; i += 2) {
      ERRNO.put((Integer) e[i], (String) e[i + 1]);
    }
  }

  private BoringSsl() {}

  public static int library(long packed) {
    return (int) ((packed >>> 24) & 0xff);
  }

  public static int reason(long packed) {
    return (int) (packed & 0xfff);
  }

  public static long pack(int library, int reason) {
    return ((long) (library & 0xff) << 24) | (reason & 0xfff);
  }

  /** The library name as BoringSSL prints it (e.g. {@code SSL routines}), or null. */
  public static String libraryName(int lib) {
    return lib >= 0 && lib < LIBRARIES.length ? LIBRARIES[lib] : null;
  }

  /**
   * The reason name of a packed code: SSL reasons as {@code CERTIFICATE_VERIFY_FAILED}, system
   * library reasons as the errno text (e.g. {@code Connection reset by peer}); null when unknown.
   */
  public static String reasonName(long packed) {
    int lib = library(packed);
    int reason = reason(packed);
    if (lib == LIB_SSL) {
      return SSL_REASONS.get(reason);
    }
    if (lib == LIB_SYS) {
      return ERRNO.get(reason);
    }
    return null;
  }

  /** The SSL reason code of a name, or -1. */
  public static int sslReasonCode(String name) {
    Integer c = SSL_REASON_CODES.get(name);
    return c == null ? -1 : c;
  }

  /** True when {@code name} is a known SSL reason name. */
  public static boolean isSslReason(String name) {
    return SSL_REASON_CODES.containsKey(name);
  }

  /** The unique known SSL reason name starting with {@code prefix} (a name cut off in a log), or null. */
  public static String completeSslReason(String prefix) {
    if (prefix == null || prefix.length() < 4) {
      return null;
    }
    String found = null;
    for (String n : SSL_REASON_CODES.keySet()) {
      if (n.startsWith(prefix)) {
        if (found != null) {
          return null;
        }
        found = n;
      }
    }
    return found;
  }

  /** True for reasons that are TLS alerts received from the peer. */
  public static boolean isAlert(long packed) {
    return library(packed) == LIB_SSL && reason(packed) >= ALERT_BASE;
  }

  /** All SSL reason names (for scanning text without codes). */
  static java.util.Set<String> sslReasonNames() {
    return SSL_REASON_CODES.keySet();
  }
}
