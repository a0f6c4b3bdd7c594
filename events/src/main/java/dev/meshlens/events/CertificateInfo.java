package dev.meshlens.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Metadata of one X.509 certificate (never the key, never the PEM).
 *
 * @param subject subject DN
 * @param issuer issuer DN
 * @param serialNumber serial number in hex
 * @param sha256Fingerprint SHA-256 of the DER encoding, lower-case hex
 * @param uriSans URI SANs (SPIFFE IDs for mesh workloads)
 * @param dnsSans DNS SANs
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param subjectKeyId subject key identifier, hex, or null
 * @param authorityKeyId authority key identifier, hex, or null
 * @param ca whether this is a CA certificate
 */
public record CertificateInfo(
        String subject,
        String issuer,
        String serialNumber,
        String sha256Fingerprint,
        List<String> uriSans,
        List<String> dnsSans,
        Instant notBefore,
        Instant notAfter,
        String subjectKeyId,
        String authorityKeyId,
        boolean ca) {

    public CertificateInfo {
        uriSans = uriSans == null ? List.of() : List.copyOf(uriSans);
        dnsSans = dnsSans == null ? List.of() : List.copyOf(dnsSans);
    }

    /** Whole days until expiry at {@code now}; negative once expired. */
    public long daysUntilExpiry(Instant now) {
        if (notAfter == null) {
            return Long.MAX_VALUE;
        }
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    }

    /** True when {@code now} is outside [notBefore, notAfter]. */
    public boolean isExpiredAt(Instant now) {
        return (notAfter != null && now.isAfter(notAfter)) || (notBefore != null && now.isBefore(notBefore));
    }
}
