package dev.meshlens.query.trust;

import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.Finding;
import dev.meshlens.events.FindingState;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.SchemaVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The matrix's contradictions as findings of category {@code TRUST_CONTRADICTION}, so they reach the
 * findings API, the on-call page, the open-findings gauge and a fix like every other finding. Pure:
 * the matrix and the contradiction findings already stored in, the versions to store out.
 *
 * <p>A contradiction that is still there keeps its first-seen time and history; one that is gone
 * is resolved; one that comes back is reopened (a new history entry, so its version is newer than
 * the resolution it follows).
 */
public final class ContradictionFindings {
    private ContradictionFindings() {}

    /**
     * The findings to store: every current contradiction (opened, kept or reopened) and every stored
     * open one that the matrix no longer shows (resolved). Unchanged findings are left out.
     *
     * @param m the matrix now
     * @param stored the TRUST_CONTRADICTION findings stored so far, by id (open and resolved)
     */
    public static List<Finding> next(TrustMatrix m, Map<String, Finding> stored) {
        Instant now = m.generatedAt();
        List<Finding> out = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (Contradiction x : m.contradictions()) {
            current.add(x.id());
            Finding f = of(x, cell(m, x), stored.get(x.id()), now);
            if (!f.equals(stored.get(x.id()))) {
                out.add(f);
            }
        }
        for (Finding f : stored.values()) {
            if (f.state() == FindingState.OPEN && !current.contains(f.id())) {
                out.add(resolved(f, now));
            }
        }
        return out;
    }

    /** The finding of one contradiction, continuing {@code previous} (null when first seen). */
    static Finding of(Contradiction x, Cell cell, Finding previous, Instant now) {
        boolean trustedButFailing = x.kind() == Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING;
        String verifier = x.direction().verifier(x.clientMesh(), x.serverMesh());
        String presenter = x.direction().presenter(x.clientMesh(), x.serverMesh());
        Instant first = x.since() != null ? x.since() : now;
        List<Finding.StateChange> history = new ArrayList<>();
        if (previous == null) {
            history.add(new Finding.StateChange(
                    first,
                    FindingState.OPEN,
                    trustedButFailing
                            ? "the matrix says trusted while UNTRUSTED_ROOT findings are open"
                            : "the matrix says not trusted while mutual TLS succeeds"));
        } else {
            first = previous.firstSeen() != null ? previous.firstSeen() : first;
            history.addAll(previous.history());
            if (previous.state() != FindingState.OPEN) {
                history.add(
                        new Finding.StateChange(now, FindingState.OPEN, "the traffic contradicts the matrix again"));
            }
        }
        Instant last = x.lastEvidence() != null && x.lastEvidence().isAfter(first) ? x.lastEvidence() : first;
        return new Finding(
                SchemaVersion.CURRENT,
                x.id(),
                FailureCategory.TRUST_CONTRADICTION,
                x.clientMesh(),
                null,
                x.serverMesh(),
                null,
                null,
                x.direction() == Verification.SERVER_VERIFIES_CLIENT ? RejectedBy.PEER : RejectedBy.SELF,
                trustedButFailing
                        ? "the inventory says mesh " + verifier + " trusts the roots of mesh " + presenter
                                + ", yet open UNTRUSTED_ROOT findings say it rejects them"
                        : "the inventory says mesh " + verifier + " does not trust the roots of mesh " + presenter
                                + ", yet mutual TLS from " + x.clientMesh() + " to " + x.serverMesh() + " succeeds",
                first,
                last,
                x.evidenceCount(),
                FindingState.OPEN,
                false,
                null,
                List.of(),
                x.description() + ". Fix: find out which is wrong on a proxy of mesh " + verifier
                        + " (the roots it validates with, Envoy admin /certs) before changing any bundle.",
                details(x, cell, verifier, presenter),
                history);
    }

    /** The cell as evidence: its verdict, since when, the roots it rests on, and the contradicting traffic. */
    private static Map<String, String> details(Contradiction x, Cell cell, String verifier, String presenter) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("contradiction_kind", x.kind().wireName());
        d.put("verifier_mesh", verifier);
        d.put("presenter_mesh", presenter);
        d.put("direction", x.direction().wireName());
        if (cell != null) {
            d.put("cell_state", cell.state().wireName());
            if (cell.since() != null) {
                d.put("cell_since", cell.since().toString() + (cell.sinceStartOfData() ? " (or earlier)" : ""));
            }
            d.put("cell_reason", cell.reason());
            List<String> roots = new ArrayList<>();
            for (AnchorUse a : cell.roots()) {
                roots.add(a.root().label() + (a.inVerifierBundle() ? " in " : " not in ") + verifier + "'s bundle");
            }
            if (!roots.isEmpty()) {
                d.put("roots", String.join("; ", roots));
            }
            if (cell.bundleSeen() != null) {
                d.put("bundle_seen", cell.bundleSeen().toString());
            }
            if (cell.certsSeen() != null) {
                d.put("certs_seen", cell.certsSeen().toString());
            }
        }
        if (x.kind() == Contradiction.Kind.TRUSTED_BUT_UNTRUSTED_ROOT_FINDING) {
            d.put("contradicting_findings", String.join(",", x.findingIds()));
        } else {
            d.put("successes", Long.toString(x.evidenceCount()));
        }
        if (x.lastEvidence() != null) {
            d.put("last_contradicting_traffic", x.lastEvidence().toString());
        }
        return d;
    }

    /** The stored open finding, resolved now: the matrix and the traffic agree again. */
    static Finding resolved(Finding f, Instant now) {
        return f.resolved(now, "the trust matrix and the traffic agree again for this pair");
    }

    private static Cell cell(TrustMatrix m, Contradiction x) {
        for (Cell c : m.cells()) {
            if (c.clientMesh().equals(x.clientMesh())
                    && c.serverMesh().equals(x.serverMesh())
                    && c.direction() == x.direction()) {
                return c;
            }
        }
        return null;
    }
}
