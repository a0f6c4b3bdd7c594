package dev.meshlens.query.trust;

import dev.meshlens.events.TrustBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which roots of a bundle a chain's anchor matches, and how: by fingerprint when the chain carried
 * its root, else by key identifier (what a verifier actually checks, together with the name), else
 * by subject name alone when one side has no key identifier (weak: a rotation that keeps the
 * subject looks the same).
 */
final class Anchors {
    static final String BY_FINGERPRINT = "fingerprint";
    static final String BY_KEY_ID = "key_id";
    static final String BY_SUBJECT = "subject";

    private Anchors() {}

    /**
     * @param roots matching roots, the one valid longest first
     * @param by how they matched (null when none did)
     * @param sameNameOtherKey a root of the same subject but another key is in the bundle
     */
    record Match(List<TrustBundle.Root> roots, String by, TrustBundle.Root sameNameOtherKey) {}

    static Match match(RootRef anchor, List<TrustBundle.Root> bundle) {
        List<TrustBundle.Root> found = new ArrayList<>();
        String by = null;
        if (anchor.sha256() != null) {
            for (TrustBundle.Root r : bundle) {
                if (DistinguishedNames.sameHex(anchor.sha256(), r.sha256Fingerprint())) {
                    found.add(r);
                }
            }
            by = found.isEmpty() ? null : BY_FINGERPRINT;
        }
        if (found.isEmpty() && anchor.subjectKeyId() != null) {
            for (TrustBundle.Root r : bundle) {
                if (DistinguishedNames.sameHex(anchor.subjectKeyId(), r.subjectKeyId())) {
                    found.add(r);
                }
            }
            by = found.isEmpty() ? null : BY_KEY_ID;
        }
        TrustBundle.Root otherKey = null;
        if (found.isEmpty() && anchor.subject() != null) {
            for (TrustBundle.Root r : bundle) {
                if (!DistinguishedNames.equal(anchor.subject(), r.subject())) {
                    continue;
                }
                if (anchor.subjectKeyId() == null || r.subjectKeyId() == null) {
                    found.add(r);
                } else {
                    otherKey = r;
                }
            }
            by = found.isEmpty() ? null : BY_SUBJECT;
        }
        found.sort(Comparator.comparing((TrustBundle.Root r) -> r.notAfter() == null ? Instant.MAX : r.notAfter())
                .reversed());
        return new Match(List.copyOf(found), by, otherKey);
    }

    /** True when a bundle root is the given CA (by the same rules). */
    static boolean holds(TrustBundle.Root r, RootRef root) {
        return !match(root, List.of(r)).roots().isEmpty();
    }

    /** The fullest description of a chain's anchor among every known root, else what the chain says of it. */
    static RootRef resolve(RootRef anchor, List<RootRef> universe) {
        RootRef best = null;
        int bestRank = 0;
        for (RootRef u : universe) {
            Match m = match(anchor, List.of(u.asBundleRoot()));
            if (m.roots().isEmpty()) {
                continue;
            }
            int rank = switch (m.by()) {
                case BY_FINGERPRINT -> 3;
                case BY_KEY_ID -> 2;
                default -> 1;
            };
            if (best == null || rank > bestRank || (rank == bestRank && later(u, best))) {
                best = u;
                bestRank = rank;
            }
        }
        return best != null ? best : anchor;
    }

    private static boolean later(RootRef a, RootRef b) {
        return a.notAfter() != null && (b.notAfter() == null || a.notAfter().isAfter(b.notAfter()));
    }
}
