package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.TrustBundle;
import java.time.Duration;
import java.time.Instant;

/**
 * A CA certificate as far as trust is concerned: who it is (subject, key, fingerprint) and when it
 * is valid. Roots of a trust bundle and intermediates of a presented chain both become one.
 *
 * @param subject subject DN, or null when the source did not report it
 * @param sha256 SHA-256 fingerprint (lower-case hex), or null
 * @param subjectKeyId subject key identifier (lower-case hex), or null
 * @param notBefore start of validity, or null
 * @param notAfter end of validity, or null
 */
public record RootRef(String subject, String sha256, String subjectKeyId, Instant notBefore, Instant notAfter) {

    public RootRef {
        sha256 = DistinguishedNames.hex(sha256);
        subjectKeyId = DistinguishedNames.hex(subjectKeyId);
    }

    static RootRef of(TrustBundle.Root r) {
        return new RootRef(r.subject(), r.sha256Fingerprint(), r.subjectKeyId(), r.notBefore(), r.notAfter());
    }

    static RootRef of(CertificateInfo c) {
        return new RootRef(c.subject(), c.sha256Fingerprint(), c.subjectKeyId(), c.notBefore(), c.notAfter());
    }

    /** The bundle entry of this root (a self-signed root's authority key id is its own). */
    TrustBundle.Root asBundleRoot() {
        return new TrustBundle.Root(subject, sha256, subjectKeyId, subjectKeyId, notBefore, notAfter);
    }

    boolean validAt(Instant t) {
        return (notAfter == null || !t.isAfter(notAfter)) && (notBefore == null || !t.isBefore(notBefore));
    }

    /** Whole days left at {@code now} (negative once expired), or null without an end of validity. */
    Long daysLeft(Instant now) {
        return notAfter == null
                ? null
                : Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    }

    /**
     * The same CA: equal fingerprints, else equal key identifiers, else (only when neither side has a
     * key or fingerprint to tell them apart) equal subjects.
     */
    boolean sameAs(RootRef o) {
        if (sha256 != null && o.sha256 != null) {
            return sha256.equals(o.sha256);
        }
        if (subjectKeyId != null && o.subjectKeyId != null) {
            return subjectKeyId.equals(o.subjectKeyId);
        }
        return DistinguishedNames.equal(subject, o.subject);
    }

    /** A stable identity for grouping: fingerprint, else key id, else subject. */
    String identity() {
        if (sha256 != null) {
            return "sha256:" + sha256;
        }
        if (subjectKeyId != null) {
            return "ski:" + subjectKeyId;
        }
        return "subject:" + DistinguishedNames.canonical(subject);
    }

    /** How people name it in a sentence: the subject and a short fingerprint or key id. */
    String label() {
        String s = subject == null ? "(subject unknown)" : subject;
        if (sha256 != null) {
            return s + " (sha256 " + sha256.substring(0, Math.min(16, sha256.length())) + "…)";
        }
        if (subjectKeyId != null) {
            return s + " (key id " + subjectKeyId + ")";
        }
        return s;
    }
}
