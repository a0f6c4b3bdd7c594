package dev.meshlens.events;

import java.util.Objects;

/**
 * The TLS failure one Envoy observed.
 *
 * @param category stable category name
 * @param rejectedBy which side rejected the other
 * @param code the packed BoringSSL error code when one was logged (e.g. 268435581), else null
 * @param reason the decoded reason name (e.g. {@code CERTIFICATE_VERIFY_FAILED}), else null
 * @param detail validator detail when present (e.g. {@code verify cert failed: SAN matcher})
 * @param rawText the raw failure text exactly as logged, kept for audit and for new spellings
 */
public record TlsFailure(
        FailureCategory category, RejectedBy rejectedBy, Long code, String reason, String detail, String rawText) {

    public TlsFailure {
        Objects.requireNonNull(category, "category");
        rejectedBy = rejectedBy == null ? RejectedBy.UNKNOWN : rejectedBy;
    }

    public static TlsFailure of(FailureCategory category, RejectedBy rejectedBy, String rawText) {
        return new TlsFailure(category, rejectedBy, null, null, null, rawText);
    }
}
