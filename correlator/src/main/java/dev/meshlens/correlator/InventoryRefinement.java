package dev.meshlens.correlator;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SpiffeId;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import dev.meshlens.events.mesh.NamingTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the certificate and trust-bundle inventory says about a failure: it narrows a bare
 * {@code CERT_REJECTED} (does the verifier's bundle hold the issuer of the presented certificate? was that
 * certificate outside its validity?) and adds the certificates and bundles involved to the details. Unknown
 * values are left out, never written as text.
 */
final class InventoryRefinement {
    private final Inventory inventory;

    InventoryRefinement(Inventory inventory) {
        this.inventory = inventory;
    }

    /** The parties of one finding. */
    record Parties(
            String clientMesh, String clientIdentity, String serverMesh, String service, String serverIdentity) {}

    /** Narrows CERT_REJECTED: which bundle lacks the issuer, which cert is out of date, else SAN. */
    FailureCategory refine(FailureCategory category, RejectedBy rb, Parties p, long t, Map<String, String> details) {
        if (category != FailureCategory.CERT_REJECTED || rb == RejectedBy.UNKNOWN) {
            return category;
        }
        boolean self = rb == RejectedBy.SELF;
        String verifierMesh = self ? p.clientMesh() : p.serverMesh();
        TrustBundle bundle = inventory.bundle(verifierMesh);
        CertificateInfo presented = presented(rb, p, t);
        if (bundle == null || presented == null) {
            List<String> missing = new ArrayList<>();
            if (bundle == null) {
                missing.add("no trust bundle of mesh " + verifierMesh);
            }
            if (presented == null) {
                missing.add("no certificate inventory of the presenting side");
            }
            details.put("refinement", "not possible: " + String.join(", ", missing));
            return category;
        }
        FailureCategory refined;
        String by;
        if (Inventory.issuerIn(bundle, presented) == null) {
            refined = FailureCategory.UNTRUSTED_ROOT;
            by = "certificate and trust bundle inventory";
        } else if (presented.isExpiredAt(Instant.ofEpochMilli(t))) {
            refined = FailureCategory.CERT_EXPIRED;
            by = "certificate inventory (validity)";
        } else {
            refined = FailureCategory.SAN_MISMATCH;
            by = "inventory: the certificate chains to a trusted root and is valid, so the SAN matcher rejected it";
        }
        details.put("refined_by", by);
        String before = details.get("decided_by");
        details.put("decided_by", by + (before != null ? "; the halves alone said: " + before : ""));
        describe(refined, rb, p, t, details);
        return refined;
    }

    private CertificateInfo presented(RejectedBy rb, Parties p, long t) {
        return rb != RejectedBy.PEER
                ? inventory.leaf(p.serverMesh(), p.serverIdentity() != null ? p.serverIdentity() : p.service(), t)
                : inventory.leaf(p.clientMesh(), p.clientIdentity(), t);
    }

    /** Adds the certificates and bundles involved, per category. */
    void describe(FailureCategory category, RejectedBy rb, Parties p, long t, Map<String, String> details) {
        boolean self = rb != RejectedBy.PEER;
        String presenterMesh = self ? p.serverMesh() : p.clientMesh();
        String verifierMesh = self ? p.clientMesh() : p.serverMesh();
        CertificateInfo presented = presented(rb, p, t);
        switch (category) {
            case UNTRUSTED_ROOT -> {
                details.put("verifier_mesh", verifierMesh);
                TrustBundle vb = inventory.bundle(verifierMesh);
                if (vb != null) {
                    List<String> subjects = new ArrayList<>();
                    vb.roots().forEach(r -> subjects.add(r.subject()));
                    details.put("verifier_bundle_roots", String.join("; ", subjects));
                }
                if (presented != null) {
                    put(
                            details,
                            "presented_certificate",
                            presented.uriSans().isEmpty()
                                    ? presented.subject()
                                    : presented.uriSans().get(0));
                    put(details, "presented_issuer", presented.issuer());
                    TrustBundle.Root root = inventory.findRoot(presented, presenterMesh);
                    put(details, "missing_root_subject", root != null ? root.subject() : presented.issuer());
                    if (root != null) {
                        put(details, "missing_root_sha256", root.sha256Fingerprint());
                    }
                }
            }
            case SAN_MISMATCH -> {
                if (self) {
                    String presentedId =
                            presented != null && !presented.uriSans().isEmpty()
                                    ? presented.uriSans().get(0)
                                    : p.serverIdentity();
                    SpiffeId parsed = SpiffeId.tryParse(presentedId);
                    put(details, "presented_spiffe_id", presentedId);
                    if (parsed != null) {
                        details.put("presented_template", parsed.template());
                    }
                    String ck = inventory.kindOf(p.clientMesh());
                    MeshProfile clientProfile = MeshProfiles.find(ck);
                    NamingTemplate expected = clientProfile == null ? null : clientProfile.identity();
                    if (parsed != null && expected != null && parsed.workloadName() != null) {
                        // what a client of that mesh kind configured with its own naming template expects
                        String ns = parsed.namespace() == null ? "default" : parsed.namespace();
                        details.putIfAbsent(
                                "expected_spiffe_id",
                                expected.format(parsed.trustDomain(), ns, parsed.workloadName()) + " (the " + ck
                                        + " template; inferred)");
                    }
                } else {
                    put(details, "presented_spiffe_id", p.clientIdentity());
                }
            }
            case CERT_EXPIRED -> {
                if (presented != null) {
                    put(details, "certificate_subject", presented.subject());
                    if (!presented.uriSans().isEmpty()) {
                        details.put("certificate_spiffe_id", presented.uriSans().get(0));
                    }
                    if (presented.notBefore() != null) {
                        details.put("not_before", presented.notBefore().toString());
                    }
                    if (presented.notAfter() != null) {
                        details.put("not_after", presented.notAfter().toString());
                    }
                    Instant at = Instant.ofEpochMilli(t);
                    details.put("observed_at", at.toString());
                    details.put("expired_at_observation", Boolean.toString(presented.isExpiredAt(at)));
                }
            }
            default -> {}
        }
    }

    private static void put(Map<String, String> details, String key, String value) {
        if (value != null && !value.isBlank()) {
            details.put(key, value);
        }
    }
}
