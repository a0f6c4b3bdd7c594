package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain a mesh's workload presents: the leaf, the intermediates above it, and (when
 * the Envoy reported it) the root the chain ends at. Seen from {@code firstSeen} to {@code lastSeen}
 * in the {@code /certs} inventory.
 *
 * @param meshId mesh whose workload presents it
 * @param workload the workload's SPIFFE ID (else DNS SAN, subject or Envoy name)
 * @param leaf the workload certificate
 * @param intermediates CA certificates between the leaf and the root, leaf side first
 * @param presentedRoot the self-signed root the chain ends at, when known, else null
 * @param firstSeen first sighting
 * @param lastSeen newest sighting
 */
public record Chain(
        String meshId,
        String workload,
        CertificateInfo leaf,
        List<CertificateInfo> intermediates,
        CertificateInfo presentedRoot,
        Instant firstSeen,
        Instant lastSeen) {

    public Chain {
        Objects.requireNonNull(meshId, "meshId");
        Objects.requireNonNull(leaf, "leaf");
        intermediates = intermediates == null ? List.of() : List.copyOf(intermediates);
    }

    /** The certificate whose issuer is the trust anchor: the last intermediate, else the leaf. */
    CertificateInfo top() {
        return intermediates.isEmpty() ? leaf : intermediates.get(intermediates.size() - 1);
    }

    /** What is known about the anchor: the presented root itself, else the top's issuer name and key id. */
    RootRef anchorRef() {
        if (presentedRoot != null) {
            return RootRef.of(presentedRoot);
        }
        CertificateInfo t = top();
        return new RootRef(t.issuer(), null, t.authorityKeyId(), null, null);
    }

    /** True when the inventory says nothing about who signed this chain (Envoy's own /certs has no issuer). */
    boolean anchorUnknown() {
        RootRef a = anchorRef();
        return a.sha256() == null && a.subjectKeyId() == null && a.subject() == null;
    }

    /** Identity of the leaf: its fingerprint, else serial and issuer. */
    String key() {
        if (leaf.sha256Fingerprint() != null) {
            return meshId + "|" + DistinguishedNames.hex(leaf.sha256Fingerprint());
        }
        return meshId + "|" + leaf.serialNumber() + "|" + DistinguishedNames.canonical(leaf.issuer()) + "|" + workload;
    }

    Chain seen(Instant first, Instant last) {
        return new Chain(meshId, workload, leaf, intermediates, presentedRoot, first, last);
    }

    /**
     * The same workload re-issued directly by {@code root} (what-if "mesh rotates to root R"): the leaf
     * keeps its identity and validity, its issuer becomes R, and R is the presented root.
     */
    Chain reissuedBy(RootRef root) {
        CertificateInfo l = new CertificateInfo(
                leaf.subject(),
                root.subject(),
                leaf.serialNumber(),
                null,
                leaf.uriSans(),
                leaf.dnsSans(),
                leaf.notBefore(),
                leaf.notAfter(),
                leaf.subjectKeyId(),
                root.subjectKeyId(),
                false);
        CertificateInfo r = new CertificateInfo(
                root.subject(),
                root.subject(),
                null,
                root.sha256(),
                List.of(),
                List.of(),
                root.notBefore(),
                root.notAfter(),
                root.subjectKeyId(),
                root.subjectKeyId(),
                true);
        return new Chain(meshId, workload, l, List.of(), r, firstSeen, lastSeen);
    }
}
