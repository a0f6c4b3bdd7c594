package dev.meshlens.query.trust;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.SpiffeId;
import java.util.ArrayList;
import java.util.List;

/**
 * The chains of one {@code /certs} event. The collector flattens Envoy's answer into one list: the
 * trusted CAs ({@code ca_cert}, marked {@code ca}) and the presented chains ({@code cert_chain}, leaf
 * and intermediates alike marked not-CA). Chains are rebuilt by linking each certificate to its
 * issuer, by key identifier when both are known, else by name.
 */
final class Chains {
    private static final int MAX_DEPTH = 8;

    private Chains() {}

    static List<Chain> of(MeshEvent e) {
        List<CertificateInfo> certs = e.certificates();
        List<CertificateInfo> leaves = new ArrayList<>();
        for (CertificateInfo c : certs) {
            if (!c.ca() && !selfSigned(c) && !issuesAnother(c, certs)) {
                leaves.add(c);
            }
        }
        // without issuer names an intermediate looks like a leaf; a SPIFFE workload ID tells them apart
        List<CertificateInfo> workloads =
                leaves.stream().filter(Chains::hasWorkloadId).toList();
        if (!workloads.isEmpty()) {
            leaves = workloads;
        }
        List<Chain> out = new ArrayList<>();
        for (CertificateInfo leaf : leaves) {
            List<CertificateInfo> inter = new ArrayList<>();
            CertificateInfo root = null;
            CertificateInfo cur = leaf;
            for (int depth = 0; depth < MAX_DEPTH; depth++) {
                CertificateInfo up = issuerOf(cur, certs, leaf, inter);
                if (up == null) {
                    break;
                }
                if (selfSigned(up)) {
                    root = up;
                    break;
                }
                inter.add(up);
                cur = up;
            }
            out.add(new Chain(e.meshId(), workloadOf(leaf, e), leaf, inter, root, e.observedTime(), e.observedTime()));
        }
        return out;
    }

    static boolean selfSigned(CertificateInfo c) {
        if (c.subject() == null || !DistinguishedNames.equal(c.subject(), c.issuer())) {
            return false;
        }
        return c.authorityKeyId() == null
                || c.subjectKeyId() == null
                || DistinguishedNames.sameHex(c.authorityKeyId(), c.subjectKeyId());
    }

    /** True when {@code c} issued another certificate of the list (an intermediate or a root). */
    private static boolean issuesAnother(CertificateInfo c, List<CertificateInfo> certs) {
        for (CertificateInfo o : certs) {
            if (o != c && !selfSigned(o) && signedBy(o, c)) {
                return true;
            }
        }
        return false;
    }

    static boolean signedBy(CertificateInfo child, CertificateInfo issuer) {
        if (child.authorityKeyId() != null && issuer.subjectKeyId() != null) {
            return DistinguishedNames.sameHex(child.authorityKeyId(), issuer.subjectKeyId())
                    && (child.issuer() == null
                            || issuer.subject() == null
                            || DistinguishedNames.equal(child.issuer(), issuer.subject()));
        }
        return child.issuer() != null && DistinguishedNames.equal(child.issuer(), issuer.subject());
    }

    private static CertificateInfo issuerOf(
            CertificateInfo cur, List<CertificateInfo> certs, CertificateInfo leaf, List<CertificateInfo> used) {
        CertificateInfo found = null;
        int nameOnly = 0;
        for (CertificateInfo o : certs) {
            if (o == cur || o == leaf || used.contains(o) || !signedBy(cur, o)) {
                continue;
            }
            if (cur.authorityKeyId() != null && o.subjectKeyId() != null) {
                return o; // a key match is unambiguous
            }
            nameOnly++;
            found = o;
        }
        // two CAs of the same name (a rotation that kept the subject) and no key ids: do not guess
        return nameOnly == 1 ? found : null;
    }

    private static boolean hasWorkloadId(CertificateInfo c) {
        for (String u : c.uriSans()) {
            SpiffeId id = SpiffeId.tryParse(u);
            if (id != null && id.workloadName() != null) {
                return true;
            }
        }
        return false;
    }

    private static String workloadOf(CertificateInfo leaf, MeshEvent e) {
        if (!leaf.uriSans().isEmpty()) {
            return leaf.uriSans().get(0);
        }
        if (!leaf.dnsSans().isEmpty()) {
            return leaf.dnsSans().get(0);
        }
        if (leaf.subject() != null && !leaf.subject().isBlank()) {
            return leaf.subject();
        }
        String w = e.attributes().get("workload");
        return w != null ? w : e.cluster() != null ? e.cluster() : "envoy";
    }
}
