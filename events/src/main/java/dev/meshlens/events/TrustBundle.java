package dev.meshlens.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The set of roots a mesh trusts.
 *
 * @param meshId mesh that trusts these roots
 * @param trustDomain the mesh's own trust domain, when known
 * @param source where the bundle was read (file path, Consul roots URL)
 * @param roots the trusted roots
 */
public record TrustBundle(String meshId, String trustDomain, String source, List<Root> roots) {

    public TrustBundle {
        Objects.requireNonNull(meshId, "meshId");
        roots = roots == null ? List.of() : List.copyOf(roots);
    }

    /**
     * One trusted root.
     *
     * @param subject subject DN
     * @param sha256Fingerprint SHA-256 of the DER encoding, lower-case hex
     * @param subjectKeyId subject key identifier, hex
     * @param authorityKeyId authority key identifier, hex (may equal subjectKeyId for self-signed)
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param pem the root certificate itself, PEM (public; only {@code CERTIFICATE} blocks are ever kept,
     *     see {@link PublicPem}), or null when the source did not give it
     */
    public record Root(
            String subject,
            String sha256Fingerprint,
            String subjectKeyId,
            String authorityKeyId,
            Instant notBefore,
            Instant notAfter,
            String pem) {
        public Root {
            pem = PublicPem.certificatesOnly(pem);
        }

        /** A root known by its metadata only. */
        public Root(
                String subject,
                String sha256Fingerprint,
                String subjectKeyId,
                String authorityKeyId,
                Instant notBefore,
                Instant notAfter) {
            this(subject, sha256Fingerprint, subjectKeyId, authorityKeyId, notBefore, notAfter, null);
        }

        /** The same root with its PEM. */
        public Root withPem(String rootPem) {
            return new Root(subject, sha256Fingerprint, subjectKeyId, authorityKeyId, notBefore, notAfter, rootPem);
        }
    }

    /** True when a root with this subject key id or subject DN is in the bundle. */
    public boolean trusts(String keyIdOrSubject) {
        if (keyIdOrSubject == null) {
            return false;
        }
        for (Root r : roots) {
            if (keyIdOrSubject.equalsIgnoreCase(r.subjectKeyId()) || keyIdOrSubject.equals(r.subject())) {
                return true;
            }
        }
        return false;
    }
}
