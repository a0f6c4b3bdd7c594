package dev.meshlens.events;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * BoringSSL's error codes, the one table every module uses: the collector decodes what Envoy logged,
 * the simulator writes what Envoy would log. A packed code is {@code ERR_PACK(lib, reason)}: library
 * in the top byte, reason in the low 12 bits; TLS alerts received from the peer are reason
 * {@code 1000 + alert number} ({@code SSL_AD_REASON_OFFSET}). {@code 268435581 = (16 << 24) | 125} is
 * {@code SSL routines : CERTIFICATE_VERIFY_FAILED}.
 *
 * <p>Envoy links BoringSSL, not OpenSSL, and the two number and spell reasons differently: BoringSSL's
 * {@code PEER_DID_NOT_RETURN_A_CERTIFICATE} is 192 (OpenSSL's 199 is BoringSSL's
 * {@code RECORD_LENGTH_MISMATCH}), and BoringSSL spells alert 116 {@code TLSV1_ALERT_CERTIFICATE_REQUIRED}
 * where OpenSSL writes {@code TLSV13_…}. So the reasons below are every {@code SSL_R_*} of BoringSSL's
 * {@code include/openssl/ssl.h} (google/boringssl, commit 7d88bb1bf3372bda1134ad8bf624b25b88e0db86),
 * without the prefix; the library names are {@code kLibraryNames} of {@code crypto/err/err.c}. Pure,
 * no I/O, immutable.
 */
public final class BoringSsl {
    public static final int LIB_SYS = 2;
    public static final int LIB_X509 = 11;
    public static final int LIB_SSL = 16;
    /** Reasons at or above this in the SSL library are alerts received from the peer. */
    public static final int ALERT_BASE = 1000;

    /** A reason with its library: what Envoy writes as {@code <code>:<library name>:OPENSSL_internal:<name>}. */
    public record Reason(int library, int reason, String name) {
        /** The packed code. */
        public long code() {
            return pack(library, reason);
        }

        /** The library name as BoringSSL prints it ({@code SSL routines}, {@code system library}). */
        public String libraryName() {
            return BoringSsl.libraryName(library);
        }

        /** True when this is a TLS alert received from the peer. */
        public boolean isAlert() {
            return library == LIB_SSL && reason >= ALERT_BASE;
        }
    }

    // crypto/err/err.c kLibraryNames, indexed by ERR_LIB_*.
    private static final String[] LIBRARIES = {
        "invalid library (0)",
        "unknown library",
        "system library",
        "bignum routines",
        "RSA routines",
        "Diffie-Hellman routines",
        "public key routines",
        "memory buffer routines",
        "object identifier routines",
        "PEM routines",
        "DSA routines",
        "X.509 certificate routines",
        "ASN.1 encoding routines",
        "configuration file routines",
        "common libcrypto routines",
        "elliptic curve routines",
        "SSL routines",
        "BIO routines",
        "PKCS7 routines",
        "PKCS8 routines",
        "X509 V3 routines",
        "random number generator",
        "ENGINE routines",
        "OCSP routines",
        "UI routines",
        "COMP routines",
        "ECDSA routines",
        "ECDH routines",
        "HMAC routines",
        "Digest functions",
        "Cipher functions",
        "HKDF functions",
        "Trust Token functions",
        "User defined functions"
    };
    private static final Map<Integer, String> SSL_REASONS;
    private static final Map<String, Integer> SSL_REASON_CODES;
    private static final Map<Integer, String> ERRNO;

    static {
        // include/openssl/ssl.h: #define SSL_R_<NAME> <code>, in the header's order.
        Object[] r = {
            100,
            "APP_DATA_IN_HANDSHAKE",
            101,
            "ATTEMPT_TO_REUSE_SESSION_IN_DIFFERENT_CONTEXT",
            102,
            "BAD_ALERT",
            103,
            "BAD_CHANGE_CIPHER_SPEC",
            104,
            "BAD_DATA_RETURNED_BY_CALLBACK",
            105,
            "BAD_DH_P_LENGTH",
            106,
            "BAD_DIGEST_LENGTH",
            107,
            "BAD_ECC_CERT",
            108,
            "BAD_ECPOINT",
            109,
            "BAD_HANDSHAKE_RECORD",
            110,
            "BAD_HELLO_REQUEST",
            111,
            "BAD_LENGTH",
            112,
            "BAD_PACKET_LENGTH",
            113,
            "BAD_RSA_ENCRYPT",
            114,
            "BAD_SIGNATURE",
            115,
            "BAD_SRTP_MKI_VALUE",
            116,
            "BAD_SRTP_PROTECTION_PROFILE_LIST",
            117,
            "BAD_SSL_FILETYPE",
            118,
            "BAD_WRITE_RETRY",
            119,
            "BIO_NOT_SET",
            120,
            "BN_LIB",
            121,
            "BUFFER_TOO_SMALL",
            122,
            "CA_DN_LENGTH_MISMATCH",
            123,
            "CA_DN_TOO_LONG",
            124,
            "CCS_RECEIVED_EARLY",
            125,
            "CERTIFICATE_VERIFY_FAILED",
            126,
            "CERT_CB_ERROR",
            127,
            "CERT_LENGTH_MISMATCH",
            128,
            "CHANNEL_ID_NOT_P256",
            129,
            "CHANNEL_ID_SIGNATURE_INVALID",
            130,
            "CIPHER_OR_HASH_UNAVAILABLE",
            131,
            "CLIENTHELLO_PARSE_FAILED",
            132,
            "CLIENTHELLO_TLSEXT",
            133,
            "CONNECTION_REJECTED",
            134,
            "CONNECTION_TYPE_NOT_SET",
            135,
            "CUSTOM_EXTENSION_ERROR",
            136,
            "DATA_LENGTH_TOO_LONG",
            137,
            "DECODE_ERROR",
            138,
            "DECRYPTION_FAILED",
            139,
            "DECRYPTION_FAILED_OR_BAD_RECORD_MAC",
            140,
            "DH_PUBLIC_VALUE_LENGTH_IS_WRONG",
            141,
            "DH_P_TOO_LONG",
            142,
            "DIGEST_CHECK_FAILED",
            143,
            "DTLS_MESSAGE_TOO_BIG",
            144,
            "ECC_CERT_NOT_FOR_SIGNING",
            145,
            "EMS_STATE_INCONSISTENT",
            146,
            "ENCRYPTED_LENGTH_TOO_LONG",
            147,
            "ERROR_ADDING_EXTENSION",
            148,
            "ERROR_IN_RECEIVED_CIPHER_LIST",
            149,
            "ERROR_PARSING_EXTENSION",
            150,
            "EXCESSIVE_MESSAGE_SIZE",
            151,
            "EXTRA_DATA_IN_MESSAGE",
            152,
            "FRAGMENT_MISMATCH",
            153,
            "GOT_NEXT_PROTO_WITHOUT_EXTENSION",
            154,
            "HANDSHAKE_FAILURE_ON_CLIENT_HELLO",
            155,
            "HTTPS_PROXY_REQUEST",
            156,
            "HTTP_REQUEST",
            157,
            "INAPPROPRIATE_FALLBACK",
            158,
            "INVALID_COMMAND",
            159,
            "INVALID_MESSAGE",
            160,
            "INVALID_SSL_SESSION",
            161,
            "INVALID_TICKET_KEYS_LENGTH",
            162,
            "LENGTH_MISMATCH",
            164,
            "MISSING_EXTENSION",
            165,
            "MISSING_RSA_CERTIFICATE",
            166,
            "MISSING_TMP_DH_KEY",
            167,
            "MISSING_TMP_ECDH_KEY",
            168,
            "MIXED_SPECIAL_OPERATOR_WITH_GROUPS",
            169,
            "MTU_TOO_SMALL",
            170,
            "NEGOTIATED_BOTH_NPN_AND_ALPN",
            171,
            "NESTED_GROUP",
            172,
            "NO_CERTIFICATES_RETURNED",
            173,
            "NO_CERTIFICATE_ASSIGNED",
            174,
            "NO_CERTIFICATE_SET",
            175,
            "NO_CIPHERS_AVAILABLE",
            176,
            "NO_CIPHERS_PASSED",
            177,
            "NO_CIPHER_MATCH",
            178,
            "NO_COMPRESSION_SPECIFIED",
            179,
            "NO_METHOD_SPECIFIED",
            181,
            "NO_PRIVATE_KEY_ASSIGNED",
            182,
            "NO_RENEGOTIATION",
            183,
            "NO_REQUIRED_DIGEST",
            184,
            "NO_SHARED_CIPHER",
            185,
            "NULL_SSL_CTX",
            186,
            "NULL_SSL_METHOD_PASSED",
            187,
            "OLD_SESSION_CIPHER_NOT_RETURNED",
            188,
            "OLD_SESSION_VERSION_NOT_RETURNED",
            189,
            "OUTPUT_ALIASES_INPUT",
            190,
            "PARSE_TLSEXT",
            191,
            "PATH_TOO_LONG",
            192,
            "PEER_DID_NOT_RETURN_A_CERTIFICATE",
            193,
            "PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE",
            194,
            "PROTOCOL_IS_SHUTDOWN",
            195,
            "PSK_IDENTITY_NOT_FOUND",
            196,
            "PSK_NO_CLIENT_CB",
            197,
            "PSK_NO_SERVER_CB",
            198,
            "READ_TIMEOUT_EXPIRED",
            199,
            "RECORD_LENGTH_MISMATCH",
            200,
            "RECORD_TOO_LARGE",
            201,
            "RENEGOTIATION_ENCODING_ERR",
            202,
            "RENEGOTIATION_MISMATCH",
            203,
            "REQUIRED_CIPHER_MISSING",
            204,
            "RESUMED_EMS_SESSION_WITHOUT_EMS_EXTENSION",
            205,
            "RESUMED_NON_EMS_SESSION_WITH_EMS_EXTENSION",
            206,
            "SCSV_RECEIVED_WHEN_RENEGOTIATING",
            207,
            "SERVERHELLO_TLSEXT",
            208,
            "SESSION_ID_CONTEXT_UNINITIALIZED",
            209,
            "SESSION_MAY_NOT_BE_CREATED",
            210,
            "SIGNATURE_ALGORITHMS_EXTENSION_SENT_BY_SERVER",
            211,
            "SRTP_COULD_NOT_ALLOCATE_PROFILES",
            212,
            "SRTP_UNKNOWN_PROTECTION_PROFILE",
            213,
            "SSL3_EXT_INVALID_SERVERNAME",
            214,
            "SSL_CTX_HAS_NO_DEFAULT_SSL_VERSION",
            215,
            "SSL_HANDSHAKE_FAILURE",
            216,
            "SSL_SESSION_ID_CONTEXT_TOO_LONG",
            217,
            "TLS_PEER_DID_NOT_RESPOND_WITH_CERTIFICATE_LIST",
            218,
            "TLS_RSA_ENCRYPTED_VALUE_LENGTH_IS_WRONG",
            219,
            "TOO_MANY_EMPTY_FRAGMENTS",
            220,
            "TOO_MANY_WARNING_ALERTS",
            221,
            "UNABLE_TO_FIND_ECDH_PARAMETERS",
            222,
            "UNEXPECTED_EXTENSION",
            223,
            "UNEXPECTED_MESSAGE",
            224,
            "UNEXPECTED_OPERATOR_IN_GROUP",
            225,
            "UNEXPECTED_RECORD",
            226,
            "UNINITIALIZED",
            227,
            "UNKNOWN_ALERT_TYPE",
            228,
            "UNKNOWN_CERTIFICATE_TYPE",
            229,
            "UNKNOWN_CIPHER_RETURNED",
            230,
            "UNKNOWN_CIPHER_TYPE",
            231,
            "UNKNOWN_DIGEST",
            232,
            "UNKNOWN_KEY_EXCHANGE_TYPE",
            233,
            "UNKNOWN_PROTOCOL",
            234,
            "UNKNOWN_SSL_VERSION",
            235,
            "UNKNOWN_STATE",
            236,
            "UNSAFE_LEGACY_RENEGOTIATION_DISABLED",
            237,
            "UNSUPPORTED_CIPHER",
            238,
            "UNSUPPORTED_COMPRESSION_ALGORITHM",
            239,
            "UNSUPPORTED_ELLIPTIC_CURVE",
            240,
            "UNSUPPORTED_PROTOCOL",
            241,
            "WRONG_CERTIFICATE_TYPE",
            242,
            "WRONG_CIPHER_RETURNED",
            243,
            "WRONG_CURVE",
            244,
            "WRONG_MESSAGE_TYPE",
            245,
            "WRONG_SIGNATURE_TYPE",
            246,
            "WRONG_SSL_VERSION",
            247,
            "WRONG_VERSION_NUMBER",
            248,
            "X509_LIB",
            249,
            "X509_VERIFICATION_SETUP_PROBLEMS",
            250,
            "SHUTDOWN_WHILE_IN_INIT",
            251,
            "INVALID_OUTER_RECORD_TYPE",
            252,
            "UNSUPPORTED_PROTOCOL_FOR_CUSTOM_KEY",
            253,
            "NO_COMMON_SIGNATURE_ALGORITHMS",
            254,
            "DOWNGRADE_DETECTED",
            255,
            "EXCESS_HANDSHAKE_DATA",
            256,
            "INVALID_COMPRESSION_LIST",
            257,
            "DUPLICATE_EXTENSION",
            258,
            "MISSING_KEY_SHARE",
            259,
            "INVALID_ALPN_PROTOCOL",
            260,
            "TOO_MANY_KEY_UPDATES",
            261,
            "BLOCK_CIPHER_PAD_IS_WRONG",
            262,
            "NO_CIPHERS_SPECIFIED",
            263,
            "RENEGOTIATION_EMS_MISMATCH",
            264,
            "DUPLICATE_KEY_SHARE",
            265,
            "NO_GROUPS_SPECIFIED",
            266,
            "NO_SHARED_GROUP",
            267,
            "PRE_SHARED_KEY_MUST_BE_LAST",
            268,
            "OLD_SESSION_PRF_HASH_MISMATCH",
            269,
            "INVALID_SCT_LIST",
            270,
            "TOO_MUCH_SKIPPED_EARLY_DATA",
            271,
            "PSK_IDENTITY_BINDER_COUNT_MISMATCH",
            272,
            "CANNOT_PARSE_LEAF_CERT",
            273,
            "SERVER_CERT_CHANGED",
            274,
            "CERTIFICATE_AND_PRIVATE_KEY_MISMATCH",
            275,
            "CANNOT_HAVE_BOTH_PRIVKEY_AND_METHOD",
            276,
            "TICKET_ENCRYPTION_FAILED",
            277,
            "ALPN_MISMATCH_ON_EARLY_DATA",
            278,
            "WRONG_VERSION_ON_EARLY_DATA",
            279,
            "UNEXPECTED_EXTENSION_ON_EARLY_DATA",
            280,
            "NO_SUPPORTED_VERSIONS_ENABLED",
            282,
            "EMPTY_HELLO_RETRY_REQUEST",
            283,
            "EARLY_DATA_NOT_IN_USE",
            284,
            "HANDSHAKE_NOT_COMPLETE",
            285,
            "NEGOTIATED_TB_WITHOUT_EMS_OR_RI",
            286,
            "SERVER_ECHOED_INVALID_SESSION_ID",
            287,
            "PRIVATE_KEY_OPERATION_FAILED",
            288,
            "SECOND_SERVERHELLO_VERSION_MISMATCH",
            289,
            "OCSP_CB_ERROR",
            290,
            "SSL_SESSION_ID_TOO_LONG",
            291,
            "APPLICATION_DATA_ON_SHUTDOWN",
            292,
            "CERT_DECOMPRESSION_FAILED",
            293,
            "UNCOMPRESSED_CERT_TOO_LARGE",
            294,
            "UNKNOWN_CERT_COMPRESSION_ALG",
            295,
            "INVALID_SIGNATURE_ALGORITHM",
            296,
            "DUPLICATE_SIGNATURE_ALGORITHM",
            297,
            "TLS13_DOWNGRADE",
            298,
            "QUIC_INTERNAL_ERROR",
            299,
            "WRONG_ENCRYPTION_LEVEL_RECEIVED",
            300,
            "TOO_MUCH_READ_EARLY_DATA",
            301,
            "INVALID_DELEGATED_CREDENTIAL",
            302,
            "KEY_USAGE_BIT_INCORRECT",
            303,
            "INCONSISTENT_CLIENT_HELLO",
            304,
            "CIPHER_MISMATCH_ON_EARLY_DATA",
            305,
            "QUIC_TRANSPORT_PARAMETERS_MISCONFIGURED",
            306,
            "UNEXPECTED_COMPATIBILITY_MODE",
            307,
            "NO_APPLICATION_PROTOCOL",
            308,
            "NEGOTIATED_ALPS_WITHOUT_ALPN",
            309,
            "ALPS_MISMATCH_ON_EARLY_DATA",
            310,
            "ECH_SERVER_CONFIG_AND_PRIVATE_KEY_MISMATCH",
            311,
            "ECH_SERVER_CONFIG_UNSUPPORTED_EXTENSION",
            312,
            "UNSUPPORTED_ECH_SERVER_CONFIG",
            313,
            "ECH_SERVER_WOULD_HAVE_NO_RETRY_CONFIGS",
            314,
            "INVALID_CLIENT_HELLO_INNER",
            315,
            "INVALID_ALPN_PROTOCOL_LIST",
            316,
            "COULD_NOT_PARSE_HINTS",
            317,
            "INVALID_ECH_PUBLIC_NAME",
            318,
            "INVALID_ECH_CONFIG_LIST",
            319,
            "ECH_REJECTED",
            320,
            "INVALID_OUTER_EXTENSION",
            321,
            "INCONSISTENT_ECH_NEGOTIATION",
            322,
            "INVALID_ALPS_CODEPOINT",
            323,
            "NO_MATCHING_ISSUER",
            324,
            "INVALID_SPAKE2PLUSV1_VALUE",
            325,
            "PAKE_EXHAUSTED",
            326,
            "PEER_PAKE_MISMATCH",
            327,
            "UNSUPPORTED_CREDENTIAL_LIST",
            328,
            "INVALID_TRUST_ANCHOR_LIST",
            329,
            "INVALID_CERTIFICATE_PROPERTY_LIST",
            330,
            "DUPLICATE_GROUP",
            1000,
            "SSLV3_ALERT_CLOSE_NOTIFY",
            1010,
            "SSLV3_ALERT_UNEXPECTED_MESSAGE",
            1020,
            "SSLV3_ALERT_BAD_RECORD_MAC",
            1021,
            "TLSV1_ALERT_DECRYPTION_FAILED",
            1022,
            "TLSV1_ALERT_RECORD_OVERFLOW",
            1030,
            "SSLV3_ALERT_DECOMPRESSION_FAILURE",
            1040,
            "SSLV3_ALERT_HANDSHAKE_FAILURE",
            1041,
            "SSLV3_ALERT_NO_CERTIFICATE",
            1042,
            "SSLV3_ALERT_BAD_CERTIFICATE",
            1043,
            "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
            1044,
            "SSLV3_ALERT_CERTIFICATE_REVOKED",
            1045,
            "SSLV3_ALERT_CERTIFICATE_EXPIRED",
            1046,
            "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
            1047,
            "SSLV3_ALERT_ILLEGAL_PARAMETER",
            1048,
            "TLSV1_ALERT_UNKNOWN_CA",
            1049,
            "TLSV1_ALERT_ACCESS_DENIED",
            1050,
            "TLSV1_ALERT_DECODE_ERROR",
            1051,
            "TLSV1_ALERT_DECRYPT_ERROR",
            1060,
            "TLSV1_ALERT_EXPORT_RESTRICTION",
            1070,
            "TLSV1_ALERT_PROTOCOL_VERSION",
            1071,
            "TLSV1_ALERT_INSUFFICIENT_SECURITY",
            1080,
            "TLSV1_ALERT_INTERNAL_ERROR",
            1086,
            "TLSV1_ALERT_INAPPROPRIATE_FALLBACK",
            1090,
            "TLSV1_ALERT_USER_CANCELLED",
            1100,
            "TLSV1_ALERT_NO_RENEGOTIATION",
            1110,
            "TLSV1_ALERT_UNSUPPORTED_EXTENSION",
            1111,
            "TLSV1_ALERT_CERTIFICATE_UNOBTAINABLE",
            1112,
            "TLSV1_ALERT_UNRECOGNIZED_NAME",
            1113,
            "TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE",
            1114,
            "TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE",
            1115,
            "TLSV1_ALERT_UNKNOWN_PSK_IDENTITY",
            1116,
            "TLSV1_ALERT_CERTIFICATE_REQUIRED",
            1120,
            "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
            1121,
            "TLSV1_ALERT_ECH_REQUIRED",
            1122,
            "PAKE_AND_KEY_SHARE_NOT_ALLOWED"
        };
        Map<Integer, String> reasons = new HashMap<>();
        Map<String, Integer> codes = new HashMap<>();
        for (int i = 0; i < r.length; i += 2) {
            reasons.put((Integer) r[i], (String) r[i + 1]);
            codes.put((String) r[i + 1], (Integer) r[i]);
        }
        SSL_REASONS = Collections.unmodifiableMap(reasons);
        SSL_REASON_CODES = Collections.unmodifiableMap(codes);
        // The system library's reason is errno; Envoy writes strerror's text (Linux values).
        Object[] e = {
            1,
            "Operation not permitted",
            4,
            "Interrupted system call",
            32,
            "Broken pipe",
            99,
            "Cannot assign requested address",
            101,
            "Network is unreachable",
            103,
            "Software caused connection abort",
            104,
            "Connection reset by peer",
            107,
            "Transport endpoint is not connected",
            110,
            "Connection timed out",
            111,
            "Connection refused",
            113,
            "No route to host"
        };
        Map<Integer, String> errno = new HashMap<>();
        for (int i = 0; i < e.length; i += 2) {
            errno.put((Integer) e[i], (String) e[i + 1]);
        }
        ERRNO = Collections.unmodifiableMap(errno);
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
        return lib >= 1 && lib < LIBRARIES.length ? LIBRARIES[lib] : null;
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
    public static Set<String> sslReasonNames() {
        return SSL_REASON_CODES.keySet();
    }

    /**
     * The SSL-library reason of that name.
     *
     * @throws IllegalArgumentException when BoringSSL has no such reason (an OpenSSL-only spelling, a typo)
     */
    public static Reason ssl(String name) {
        Integer c = SSL_REASON_CODES.get(name);
        if (c == null) {
            throw new IllegalArgumentException("BoringSSL has no SSL reason " + name
                    + " (include/openssl/ssl.h); OpenSSL-only names and numbers differ");
        }
        return new Reason(LIB_SSL, c, name);
    }

    /**
     * The system-library reason of an errno.
     *
     * @throws IllegalArgumentException when the errno has no text in this table
     */
    public static Reason sys(int errno) {
        String text = ERRNO.get(errno);
        if (text == null) {
            throw new IllegalArgumentException("no text for errno " + errno);
        }
        return new Reason(LIB_SYS, errno, text);
    }
}
