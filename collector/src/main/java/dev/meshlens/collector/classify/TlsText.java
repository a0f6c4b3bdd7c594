package dev.meshlens.collector.classify;

import dev.meshlens.events.BoringSsl;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads TLS failure text in every spelling Envoy uses: {@code TLS error: <code>:SSL routines:OPENSSL_internal:<NAME>},
 * {@code SSL error: …}, {@code TLS_error:|…:TLS_error_end} (also doubled), the {@code _}-for-space spelling of
 * {@code %RESPONSE_CODE_DETAILS%}, validator details ({@code verify cert failed: SAN matcher…}), OpenSSL-style
 * lower-case names, the 503 body and Envoy's debug/warning lines. The packed code is decoded, so a name cut
 * off in a log still gives the reason. Stateless and thread-safe.
 */
public final class TlsText {
    private record Marker(String text, FailureCategory category, RejectedBy rejectedBy, String reason) {}

    /** Validator / X.509 detail phrases, in the normalised spelling (lower case, '_' as space). */
    private static final List<Marker> DETAILS = List.of(
            new Marker("san matcher", FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null),
            new Marker("verify san list", FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null),
            new Marker("san mismatch", FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null),
            new Marker("subject alt name", FailureCategory.SAN_MISMATCH, RejectedBy.SELF, null),
            new Marker("unable to get local issuer certificate", FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null),
            new Marker("self signed certificate", FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null),
            new Marker("self-signed certificate", FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null),
            new Marker("unable to get issuer certificate", FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null),
            new Marker("unable to verify the first certificate", FailureCategory.UNTRUSTED_ROOT, RejectedBy.SELF, null),
            new Marker("certificate has expired", FailureCategory.CERT_EXPIRED, RejectedBy.SELF, null),
            new Marker("certificate is not yet valid", FailureCategory.CERT_EXPIRED, RejectedBy.SELF, null),
            new Marker("crl has expired", FailureCategory.CERT_EXPIRED, RejectedBy.SELF, null),
            new Marker("certificate revoked", FailureCategory.CERT_REJECTED, RejectedBy.SELF, null),
            new Marker("certificate signature failure", FailureCategory.CERT_REJECTED, RejectedBy.SELF, null),
            new Marker("unsupported certificate purpose", FailureCategory.CERT_REJECTED, RejectedBy.SELF, null),
            new Marker("verify cert failed", FailureCategory.CERT_REJECTED, RejectedBy.SELF, null));

    /** Go crypto/tls and x509 errors (Consul agents, Go clients and servers) in the normalised spelling. */
    private static final List<Marker> GO = List.of(
            new Marker(
                    "remote error: tls: unknown certificate authority",
                    FailureCategory.UNTRUSTED_ROOT,
                    RejectedBy.PEER,
                    "tls: unknown certificate authority"),
            new Marker(
                    "remote error: tls: bad certificate",
                    FailureCategory.CERT_REJECTED,
                    RejectedBy.PEER,
                    "tls: bad certificate"),
            new Marker(
                    "remote error: tls: expired certificate",
                    FailureCategory.CERT_EXPIRED,
                    RejectedBy.PEER,
                    "tls: expired certificate"),
            new Marker(
                    "remote error: tls: certificate required",
                    FailureCategory.CLIENT_CERT_MISSING,
                    RejectedBy.PEER,
                    "tls: certificate required"),
            new Marker(
                    "remote error: tls: protocol version not supported",
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    "tls: protocol version not supported"),
            new Marker(
                    "remote error: tls: handshake failure",
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.PEER,
                    "tls: handshake failure"),
            new Marker(
                    "x509: certificate signed by unknown authority",
                    FailureCategory.UNTRUSTED_ROOT,
                    RejectedBy.SELF,
                    "x509: certificate signed by unknown authority"),
            new Marker(
                    "x509: certificate has expired or is not yet valid",
                    FailureCategory.CERT_EXPIRED,
                    RejectedBy.SELF,
                    "x509: certificate has expired or is not yet valid"),
            new Marker(
                    "x509: certificate is valid for",
                    FailureCategory.SAN_MISMATCH,
                    RejectedBy.SELF,
                    "x509: certificate is valid for another name"),
            new Marker(
                    "tls: client didn't provide a certificate",
                    FailureCategory.CLIENT_CERT_MISSING,
                    RejectedBy.SELF,
                    "tls: client didn't provide a certificate"),
            new Marker(
                    "tls: first record does not look like a tls handshake",
                    FailureCategory.PLAINTEXT_MISMATCH,
                    RejectedBy.SELF,
                    "tls: first record does not look like a TLS handshake"),
            new Marker(
                    "tls: no cipher suite supported by both client and server",
                    FailureCategory.PROTOCOL_MISMATCH,
                    RejectedBy.SELF,
                    "tls: no cipher suite supported by both client and server"));

    /** Non-TLS-library markers (configuration, routing, connection) in the normalised spelling. */
    private static final List<Marker> MARKERS = List.of(
            new Marker(
                    "failed to load trusted ca certificates",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Failed to load trusted CA certificates"),
            new Marker(
                    "failed to load certificate chain",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Failed to load certificate chain"),
            new Marker(
                    "failed to load private key",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Failed to load private key"),
            new Marker(
                    "failed to load incomplete certificate",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Failed to load incomplete certificate"),
            new Marker(
                    "secret is not supplied",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Secret is not supplied by SDS"),
            new Marker(
                    "failed to load trusted ca",
                    FailureCategory.TRUST_CONFIG_ERROR,
                    RejectedBy.SELF,
                    "Failed to load trusted CA"),
            new Marker(
                    "filter chain not found", FailureCategory.NO_ROUTE, RejectedBy.UNKNOWN, "filter_chain_not_found"),
            new Marker(
                    "connection reset by peer",
                    FailureCategory.CONNECTION_RESET,
                    RejectedBy.UNKNOWN,
                    "Connection reset by peer"),
            new Marker(
                    "delayed connect error",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "delayed_connect_error"),
            new Marker(
                    "connection refused",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "Connection refused"),
            new Marker(
                    "connection timed out",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "Connection timed out"),
            new Marker("broken pipe", FailureCategory.CONNECTION_RESET, RejectedBy.UNKNOWN, "Broken pipe"),
            new Marker(
                    "no healthy upstream",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "no healthy upstream"),
            new Marker("route not found", FailureCategory.NO_ROUTE, RejectedBy.UNKNOWN, "route_not_found"),
            new Marker("cluster not found", FailureCategory.NO_ROUTE, RejectedBy.UNKNOWN, "cluster_not_found"));

    /** The 503 body / response code details reset reasons. */
    private static final List<Marker> RESETS = List.of(
            new Marker(
                    "remote connection failure",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "remote connection failure"),
            new Marker(
                    "local connection failure",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "local connection failure"),
            new Marker(
                    "connection failure",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "connection failure"),
            new Marker(
                    "connection termination",
                    FailureCategory.CONNECTION_RESET,
                    RejectedBy.UNKNOWN,
                    "connection termination"),
            new Marker("remote reset", FailureCategory.CONNECTION_RESET, RejectedBy.UNKNOWN, "remote reset"),
            new Marker("local reset", FailureCategory.CONNECTION_RESET, RejectedBy.UNKNOWN, "local reset"),
            new Marker(
                    "connection timeout",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "connection timeout"),
            new Marker(
                    "connect timeout",
                    FailureCategory.UPSTREAM_CONNECT_FAILURE,
                    RejectedBy.UNKNOWN,
                    "connection timeout"),
            new Marker("overflow", FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, "overflow"));

    /** SSL reason names, longest first so the most specific name wins. */
    private static final List<String> NAMES_LONGEST_FIRST;

    private static final List<String> LOWER_NAMES;

    static {
        List<String> names = new ArrayList<>(BoringSsl.sslReasonNames());
        names.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        NAMES_LONGEST_FIRST = List.copyOf(names);
        List<String> lower = new ArrayList<>();
        for (String n : names) {
            lower.add(n.toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        LOWER_NAMES = List.copyOf(lower);
    }

    private TlsText() {}

    /**
     * Analyses failure text; null when it holds no recognisable failure and no TLS failure wording.
     * Text that clearly reports a TLS/transport failure but matches no rule gives category UNKNOWN with
     * {@code recognised == false}.
     */
    public static Analysis analyze(String text) {
        if (text == null || text.isEmpty() || "-".equals(text)) {
            return null;
        }
        String norm = text.toLowerCase(Locale.ROOT).replace('_', ' ');
        Long code = findCode(text);
        String reason = null;
        String library = null;
        if (code != null) {
            library = BoringSsl.libraryName(BoringSsl.library(code));
            reason = BoringSsl.reasonName(code);
        }
        String written = writtenReason(text);
        if (written != null) {
            if (reason == null) {
                if (BoringSsl.isSslReason(written)) {
                    reason = written;
                } else {
                    String completed = BoringSsl.completeSslReason(written);
                    boolean lower = !written.equals(written.toUpperCase(Locale.ROOT));
                    reason = completed != null ? completed : lower ? written.replace('_', ' ') : written;
                }
            }
        }
        if (reason == null) {
            reason = findName(text, norm);
        }
        String detail = findDetail(text, norm);
        Marker detailMarker = detail == null
                ? firstMarker(norm, DETAILS)
                : firstMarker(detail.toLowerCase(Locale.ROOT).replace('_', ' '), DETAILS);
        if (detail == null && detailMarker != null) {
            detail = extractAround(text, norm, detailMarker.text());
        }

        // 1. An alert received from the peer: the peer rejected us.
        int sslCode = reason == null ? -1 : BoringSsl.sslReasonCode(reason);
        if (sslCode >= BoringSsl.ALERT_BASE) {
            FailureCategory c = categoryOfReason(reason);
            return new Analysis(
                    c,
                    RejectedBy.PEER,
                    code,
                    library(library, code, sslCode),
                    reason,
                    detail,
                    c != FailureCategory.UNKNOWN);
        }
        // 2. Validator detail: this side rejected the peer's certificate, with the cause.
        if (detailMarker != null && detailMarker.category() != FailureCategory.CERT_REJECTED) {
            return new Analysis(
                    detailMarker.category(),
                    RejectedBy.SELF,
                    code,
                    library(library, code, sslCode),
                    reason != null ? reason : "CERTIFICATE_VERIFY_FAILED",
                    detail,
                    true);
        }
        // 3. A reason name raised locally.
        if (sslCode >= 0) {
            FailureCategory c = categoryOfReason(reason);
            return new Analysis(
                    c,
                    c == FailureCategory.UNKNOWN ? RejectedBy.UNKNOWN : RejectedBy.SELF,
                    code,
                    library(library, code, sslCode),
                    reason,
                    detail,
                    c != FailureCategory.UNKNOWN);
        }
        if (detailMarker != null) {
            return new Analysis(FailureCategory.CERT_REJECTED, RejectedBy.SELF, code, library, reason, detail, true);
        }
        // 4. Go TLS errors, then configuration, routing and connection markers.
        Marker g = firstMarker(norm, GO);
        if (g != null) {
            return new Analysis(g.category(), g.rejectedBy(), null, null, g.reason(), detail, true);
        }
        Marker m = firstMarker(norm, MARKERS);
        if (m != null) {
            return new Analysis(
                    m.category(), m.rejectedBy(), code, library, reason != null ? reason : m.reason(), detail, true);
        }
        if (code != null && BoringSsl.library(code) == BoringSsl.LIB_SYS) {
            return new Analysis(
                    FailureCategory.CONNECTION_RESET,
                    RejectedBy.UNKNOWN,
                    code,
                    library,
                    reason,
                    detail,
                    reason != null);
        }
        // 5. The 503 body / reset reason without a transport failure reason.
        if (norm.contains("reset reason")
                || norm.contains("upstream reset before response started")
                || norm.contains("upstream connect error")) {
            Marker r = firstMarker(norm, RESETS);
            if (r != null) {
                return new Analysis(
                        r.category(),
                        r.rejectedBy(),
                        code,
                        library,
                        r.reason(),
                        detail,
                        r.category() != FailureCategory.UNKNOWN);
            }
        }
        if (code != null || reason != null || looksLikeTlsFailure(norm)) {
            return new Analysis(FailureCategory.UNKNOWN, RejectedBy.UNKNOWN, code, library, reason, detail, false);
        }
        return null;
    }

    /** True when text talks about a TLS failure even if no rule names it. */
    static boolean looksLikeTlsFailure(String norm) {
        return norm.contains("tls error")
                || norm.contains("ssl error")
                || norm.contains("handshake error")
                || norm.contains("handshake failed")
                || norm.contains("openssl internal")
                || norm.contains("ssl routines")
                || norm.contains("tls handshake")
                || norm.contains("transport failure reason");
    }

    private static String library(String library, Long code, int sslCode) {
        if (library != null) {
            return library;
        }
        return sslCode >= 0 ? "SSL routines" : null;
    }

    /** The category a BoringSSL SSL reason name implies. */
    public static FailureCategory categoryOfReason(String reason) {
        if (reason == null) {
            return FailureCategory.UNKNOWN;
        }
        return switch (reason) {
            case "CERTIFICATE_VERIFY_FAILED",
                    "SSLV3_ALERT_BAD_CERTIFICATE",
                    "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
                    "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
                    "SSLV3_ALERT_CERTIFICATE_REVOKED",
                    "TLSV1_ALERT_ACCESS_DENIED",
                    "TLSV1_ALERT_DECRYPT_ERROR",
                    "TLSV1_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE",
                    "TLSV1_ALERT_BAD_CERTIFICATE_HASH_VALUE",
                    "TLSV1_ALERT_CERTIFICATE_UNOBTAINABLE",
                    "BAD_ECC_CERT",
                    "UNKNOWN_CERTIFICATE_TYPE",
                    "WRONG_CERTIFICATE_TYPE",
                    "CANNOT_PARSE_LEAF_CERT",
                    "KEY_USAGE_BIT_INCORRECT",
                    "PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE",
                    "SERVER_CERT_CHANGED",
                    "BAD_SIGNATURE" -> FailureCategory.CERT_REJECTED;
            case "TLSV1_ALERT_UNKNOWN_CA", "NO_MATCHING_ISSUER" -> FailureCategory.UNTRUSTED_ROOT;
            case "SSLV3_ALERT_CERTIFICATE_EXPIRED" -> FailureCategory.CERT_EXPIRED;
            case "PEER_DID_NOT_RETURN_A_CERTIFICATE",
                    "TLSV1_ALERT_CERTIFICATE_REQUIRED",
                    "SSLV3_ALERT_NO_CERTIFICATE",
                    "TLS_PEER_DID_NOT_RESPOND_WITH_CERTIFICATE_LIST",
                    "NO_CERTIFICATES_RETURNED" -> FailureCategory.CLIENT_CERT_MISSING;
            case "WRONG_VERSION_NUMBER",
                    "HTTP_REQUEST",
                    "HTTPS_PROXY_REQUEST",
                    "UNKNOWN_PROTOCOL",
                    "INVALID_OUTER_RECORD_TYPE" -> FailureCategory.PLAINTEXT_MISMATCH;
            case "TLSV1_ALERT_PROTOCOL_VERSION",
                    "SSLV3_ALERT_HANDSHAKE_FAILURE",
                    "TLSV1_ALERT_INSUFFICIENT_SECURITY",
                    "TLSV1_ALERT_INAPPROPRIATE_FALLBACK",
                    "TLSV1_ALERT_NO_APPLICATION_PROTOCOL",
                    "NO_SHARED_CIPHER",
                    "NO_COMMON_SIGNATURE_ALGORITHMS",
                    "UNSUPPORTED_PROTOCOL",
                    "NO_SHARED_GROUP",
                    "NO_CIPHERS_AVAILABLE",
                    "NO_CIPHER_MATCH",
                    "HANDSHAKE_FAILURE_ON_CLIENT_HELLO",
                    "NO_APPLICATION_PROTOCOL",
                    "TLS13_DOWNGRADE",
                    "INAPPROPRIATE_FALLBACK",
                    "UNSUPPORTED_ELLIPTIC_CURVE",
                    "WRONG_SSL_VERSION",
                    "UNKNOWN_SSL_VERSION",
                    "NO_SUPPORTED_VERSIONS_ENABLED",
                    "SSL_HANDSHAKE_FAILURE",
                    "UNSUPPORTED_CIPHER",
                    "WRONG_CURVE",
                    "DOWNGRADE_DETECTED",
                    "TLSV1_ALERT_UNSUPPORTED_EXTENSION",
                    "TLSV1_ALERT_ECH_REQUIRED" -> FailureCategory.PROTOCOL_MISMATCH;
            case "TLSV1_ALERT_UNRECOGNIZED_NAME" -> FailureCategory.NO_ROUTE;
            case "CERTIFICATE_AND_PRIVATE_KEY_MISMATCH",
                    "NO_CERTIFICATE_SET",
                    "NO_CERTIFICATE_ASSIGNED",
                    "NO_PRIVATE_KEY_ASSIGNED",
                    "X509_VERIFICATION_SETUP_PROBLEMS",
                    "PRIVATE_KEY_OPERATION_FAILED" -> FailureCategory.TRUST_CONFIG_ERROR;
            default -> FailureCategory.UNKNOWN;
        };
    }

    /**
     * The first packed error code: 7 to 10 decimal digits after a delimiter, followed by ':' or the end of the
     * text (a cut-off log), whose top byte is a BoringSSL library; or OpenSSL's hex spelling {@code error:1000007d:}.
     */
    static Long findCode(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                int start = i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                int len = i - start;
                boolean boundary = start == 0 || !Character.isLetterOrDigit(s.charAt(start - 1));
                boolean end = i == n || s.charAt(i) == ':';
                if (boundary && end && len >= 7 && len <= 10) {
                    long v = Long.parseLong(s, start, i, 10);
                    if (plausible(v)) {
                        return v;
                    }
                }
                continue;
            }
            i++;
        }
        int e = s.indexOf("error:");
        while (e >= 0) {
            int st = e + 6;
            if (st + 9 <= n && s.charAt(st + 8) == ':') {
                try {
                    long v = Long.parseLong(s, st, st + 8, 16);
                    if (plausible(v)) {
                        return v;
                    }
                } catch (NumberFormatException ignored) {
                    // not hex
                }
            }
            e = s.indexOf("error:", st);
        }
        return null;
    }

    private static boolean plausible(long v) {
        int lib = BoringSsl.library(v);
        return v <= 0xffffffffL && lib >= 1 && lib <= 33 && (v >>> 12 & 0xfff) == 0;
    }

    /** The name written after {@code OPENSSL_internal:}, cut at ':' or a delimiter; null when absent. */
    static String writtenReason(String s) {
        int idx = s.indexOf("OPENSSL_internal:");
        if (idx < 0) {
            return null;
        }
        int st = idx + "OPENSSL_internal:".length();
        int e = st;
        int n = s.length();
        while (e < n) {
            char c = s.charAt(e);
            if (c == ':' || c == '}' || c == '"' || c == '|' || c == ',' || c == '\n' || c == ']' || c == '\'') {
                break;
            }
            e++;
        }
        String r = s.substring(st, e).trim();
        // The '_' spelling ends names with "_TLS_error_end" only after ':'; a trailing '_' is spacing.
        while (r.endsWith("_")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.isEmpty() ? null : r;
    }

    /** A known SSL reason name anywhere in the text (upper case), or OpenSSL's lower-case spelling. */
    static String findName(String text, String norm) {
        for (String n : NAMES_LONGEST_FIRST) {
            if (n.length() >= 8 && text.contains(n)) {
                return n;
            }
        }
        if (norm.contains("ssl") || norm.contains("tls") || norm.contains("alert")) {
            for (int i = 0; i < LOWER_NAMES.size(); i++) {
                String l = LOWER_NAMES.get(i);
                if (l.length() >= 10 && norm.contains(l)) {
                    return NAMES_LONGEST_FIRST.get(i);
                }
            }
        }
        return null;
    }

    /** {@code verify cert failed: …} up to the end marker, in the original spelling with '_' made spaces. */
    static String findDetail(String text, String norm) {
        int idx = norm.indexOf("verify cert failed");
        if (idx < 0) {
            return null;
        }
        int end = text.length();
        for (String stop : new String[] {":TLS_error_end", ":TLS error end", "TLS_error_end", "}", "\"", "\n"}) {
            int e = text.indexOf(stop, idx);
            if (e >= 0 && e < end) {
                end = e;
            }
        }
        String d = text.substring(idx, end);
        d = (d.indexOf(' ') < 0 ? d.replace('_', ' ') : d).trim();
        while (d.endsWith(":") || d.endsWith(",")) {
            d = d.substring(0, d.length() - 1).trim();
        }
        return d.length() > 300 ? d.substring(0, 300) : d;
    }

    private static String extractAround(String text, String norm, String phrase) {
        int idx = norm.indexOf(phrase);
        if (idx < 0) {
            return phrase;
        }
        return text.substring(idx, Math.min(text.length(), idx + phrase.length()))
                .replace('_', ' ');
    }

    private static Marker firstMarker(String norm, List<Marker> markers) {
        for (Marker m : markers) {
            if (norm.contains(m.text())) {
                return m;
            }
        }
        return null;
    }
}
