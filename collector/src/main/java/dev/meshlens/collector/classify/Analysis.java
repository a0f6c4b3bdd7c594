package dev.meshlens.collector.classify;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;

/**
 * What one piece of failure text says.
 *
 * @param category the category
 * @param rejectedBy which side rejected the other
 * @param code packed BoringSSL code, or null
 * @param library library name of the code (e.g. {@code SSL routines}), or null
 * @param reason decoded reason name (e.g. {@code CERTIFICATE_VERIFY_FAILED}) or the recognised marker
 * @param detail validator detail or other detail text, or null
 * @param recognised false when the text failed but matched no rule (category UNKNOWN)
 */
public record Analysis(
        FailureCategory category,
        RejectedBy rejectedBy,
        Long code,
        String library,
        String reason,
        String detail,
        boolean recognised) {}
